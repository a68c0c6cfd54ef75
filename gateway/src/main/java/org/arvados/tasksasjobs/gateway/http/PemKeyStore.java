package org.arvados.tasksasjobs.gateway.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the in-memory key store Jetty serves TLS from out of {@link TlsFiles}. Every way the files can be wrong
 * gets a one-line message naming the file and what to do, never a stack trace: a wrong key type, an encrypted or
 * PKCS#1 key, an empty chain, or a key that does not belong to the certificate.
 */
final class PemKeyStore {

    static final char[] PASSWORD = "tasks-as-jobs".toCharArray(); // in memory only: the files are the secret

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    private PemKeyStore() {
    }

    static KeyStore load(TlsFiles files) throws IOException {
        List<Certificate> chain = certificates(files.certificateChain());
        PrivateKey key = privateKey(files.privateKey());
        requireMatch(key, chain.get(0), files);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("gateway", key, PASSWORD, chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build a key store from " + files.certificateChain() + " and "
                    + files.privateKey() + ": " + e.getMessage(), e);
        }
    }

    private static List<Certificate> certificates(Path file) throws IOException {
        String text = read(file, "--tls-cert");
        List<Certificate> chain;
        try {
            chain = List.copyOf(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII))));
        } catch (CertificateException e) {
            throw new IOException("--tls-cert " + file + " is not a PEM certificate chain: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IOException("--tls-cert " + file + " holds no certificate (expected -----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        String text = read(file, "--tls-key");
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            String type = block.group(1);
            switch (type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(file, Base64.getMimeDecoder().decode(block.group(2)));
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new IOException("--tls-key " + file + " is a "
                        + type + " (PKCS#1/SEC1); convert it to PKCS#8 with"
                        + " `openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8`");
                case "ENCRYPTED PRIVATE KEY" -> throw new IOException("--tls-key " + file + " is encrypted; give"
                        + " the unencrypted key (readable by the service user only), e.g."
                        + " `openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8`");
                default -> {
                    // Parameters blocks (EC PARAMETERS) and the like precede the key in some files: skip them.
                }
            }
        }
        throw new IOException("--tls-key " + file + " holds no private key (expected -----BEGIN PRIVATE KEY-----)");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws IOException {
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException e) {
                // not this algorithm: try the next
            } catch (GeneralSecurityException e) {
                throw new IOException("--tls-key " + file + ": " + e.getMessage(), e);
            }
        }
        throw new IOException("--tls-key " + file + " is neither an RSA nor an EC PKCS#8 key");
    }

    /** A key that signs what the certificate's public key cannot verify would fail every handshake: say so now. */
    private static void requireMatch(PrivateKey key, Certificate certificate, TlsFiles files) throws IOException {
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        if (!certificate.getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            throw mismatch(files);
        }
        try {
            byte[] probe = "tasks-as-jobs".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw mismatch(files);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot check --tls-key against --tls-cert: " + e.getMessage(), e);
        }
    }

    private static IOException mismatch(TlsFiles files) {
        return new IOException("--tls-key " + files.privateKey() + " is not the key of the first certificate in --tls-cert "
                + files.certificateChain());
    }

    private static String read(Path file, String option) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IOException(option + " " + file + ": no such file", e);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IOException(option + " " + file + " is not a PEM file (expected ASCII text)", e);
        } catch (IOException e) {
            throw new IOException(option + " " + file + ": cannot read it (" + e.getMessage() + ")", e);
        }
    }
}
