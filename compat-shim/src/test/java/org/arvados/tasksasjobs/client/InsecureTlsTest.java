package org.arvados.tasksasjobs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ARVADOS_API_HOST_INSECURE against a real HTTPS server whose self-signed certificate names
 * another host: refused by default, accepted (certificate and host name) when insecure.
 */
class InsecureTlsTest {

    @TempDir
    Path directory;

    private HttpsServer server;

    @BeforeEach
    void startServerWithSelfSignedCertificate() throws IOException, GeneralSecurityException, InterruptedException {
        Path keystore = directory.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "2", "-dname", "CN=wrong.example", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, "keytool failed");

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", exchange -> {
            byte[] body = "{\"uuid\":\"zzzzz-8i9sb-000000000000001\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private ApiConfig config(boolean insecure) {
        return new ApiConfig(URI.create("https://127.0.0.1:" + server.getAddress().getPort()), FakeApi.TOKEN, insecure,
                RetryPolicy.NONE);
    }

    @Test
    void anUntrustedCertificateIsRefusedByDefault() {
        ArvadosUnreachableException failure = assertThrows(ArvadosUnreachableException.class,
                () -> new ArvadosClient(config(false)).get(ApiResource.JOBS, "zzzzz-8i9sb-000000000000001"));
        assertTrue(failure.getCause() instanceof SSLException, String.valueOf(failure.getCause()));
    }

    @Test
    void insecureSkipsTheCertificateAndHostNameChecks() {
        assertEquals("zzzzz-8i9sb-000000000000001", new ArvadosClient(config(true))
                .get(ApiResource.JOBS, "zzzzz-8i9sb-000000000000001").get("uuid").asText());
    }
}
