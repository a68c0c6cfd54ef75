package org.arvados.tasksasjobs.client;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS context for ARVADOS_API_HOST_INSECURE: no certificate check and no host name check, for
 * this client only.
 *
 * <p>Why an {@link X509ExtendedTrustManager}: JSSE performs endpoint identification (the host name
 * check the HttpClient asks for with the "HTTPS" algorithm) inside the extended trust manager's
 * {@code checkServerTrusted(chain, authType, engine)}; it only adds its own check when it has to
 * wrap a plain {@code X509TrustManager}. An extended manager that accepts everything therefore
 * turns off both checks for the one client built with it. The JVM-wide switch
 * {@code -Djdk.internal.httpclient.disableHostnameVerification} is not needed and not set: it is
 * read once per JVM and would weaken every other client in the process.
 */
final class InsecureTls {

    private InsecureTls() {}

    static SSLContext context() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustEverything()}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform must provide TLS", e);
        }
    }

    private static final class TrustEverything extends X509ExtendedTrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
