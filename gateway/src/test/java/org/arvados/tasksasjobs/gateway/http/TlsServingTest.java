package org.arvados.tasksasjobs.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLParameters;
import org.eclipse.jetty.server.Handler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * https from the operator's PEM files: RSA and EC keys, TLS 1.3 and 1.2 (nothing older is offered, but the JDK client
 * refuses TLS 1.1 itself, so it cannot show that), and a clear one-line refusal for each way
 * the files can be wrong. (That no TLS 1.3 session ticket is sent is proven by the real Perl SDK, which hangs on
 * one: RealSdksCrunchJobTest in the migrator module.)
 */
class TlsServingTest {

    private static final ErrorBody ERRORS = new ErrorBody(Clock.systemUTC());

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "EC"})
    void servesHttpsWithTheGivenKey(String algorithm) throws Exception {
        TlsFiles files = TestCertificates.generate(dir, algorithm);
        DiscoveryDocument document = new DiscoveryDocument(List.of(ResourceSchema.JOB_TASK), "zzzzz", false);
        try (GatewayServer server = GatewayServer.serve(new ServerOptions("127.0.0.1", 0, 2, files, null, null),
                new Handler.Sequence(new DiscoveryHandler(document, ERRORS),
                        new NotFoundHandler(ERRORS)), ERRORS, Clock.systemUTC(), line -> { })) {
            for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
                SSLParameters parameters = new SSLParameters();
                parameters.setProtocols(new String[] {protocol});
                HttpClient client = HttpClient.newBuilder().sslContext(TestCertificates.trustingEverything())
                        .sslParameters(parameters).build();
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                        + server.port() + DiscoveryDocument.PATH)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
                assertEquals(protocol, response.sslSession().orElseThrow().getProtocol());
                JsonNode doc = new ObjectMapper().readTree(response.body());
                assertEquals("https://127.0.0.1:" + server.port() + "/", doc.get("rootUrl").asText());
            }
        }
    }

    @Test
    void plainHttpIsForLoopbackOnly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ServerOptions("0.0.0.0", 0, 2, null, null, null));
        assertTrue(e.getMessage().contains("--tls-cert"), e.getMessage());
        new ServerOptions("::1", 0, 2, null, null, null); // loopback in IPv6 is loopback
    }

    @Test
    void eachWrongFileIsRefusedWithOneLineNamingIt() throws Exception {
        TlsFiles rsa = TestCertificates.generate(dir, "RSA");
        TlsFiles ec = TestCertificates.generate(dir, "EC");
        Path pkcs1 = Files.writeString(dir.resolve("pkcs1.pem"),
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        Path encrypted = Files.writeString(dir.resolve("encrypted.pem"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");

        assertRefused(new TlsFiles(rsa.certificateChain(), pkcs1), "PKCS#8");
        assertRefused(new TlsFiles(rsa.certificateChain(), encrypted), "encrypted");
        assertRefused(new TlsFiles(rsa.certificateChain(), ec.privateKey()), "is not the key of");
        assertRefused(new TlsFiles(empty, rsa.privateKey()), "--tls-cert");
        assertRefused(new TlsFiles(rsa.certificateChain(), empty), "holds no private key");
        assertRefused(new TlsFiles(dir.resolve("missing.pem"), rsa.privateKey()), "no such file");
    }

    private static void assertRefused(TlsFiles files, String expected) {
        IOException e = assertThrows(IOException.class, () -> PemKeyStore.load(files));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
