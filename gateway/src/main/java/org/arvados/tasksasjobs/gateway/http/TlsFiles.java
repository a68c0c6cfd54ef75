package org.arvados.tasksasjobs.gateway.http;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The PEM files {@code serve --tls-cert/--tls-key} name: a certificate chain (the server's certificate first) and
 * its unencrypted PKCS#8 private key, RSA or EC, as certbot and {@code openssl req -x509 -newkey} write them.
 */
public record TlsFiles(Path certificateChain, Path privateKey) {

    public TlsFiles {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
    }
}
