package org.arvados.tasksasjobs.gateway.http;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Forwards every path the gateway does not own to the real API server ({@code serve --upstream}): Jetty's reverse
 * proxy, which streams the body both ways and passes the caller's headers ({@code Authorization} included) and
 * the answer's status and body through unchanged. The path and query go exactly as the client sent them, still
 * escaped: the Python SDK asks for {@code collections/<md5>%2B<size>}, and a decoded {@code +} would be a space.
 */
final class UpstreamHandler extends ProxyHandler.Reverse {

    private final Upstream upstream;

    UpstreamHandler(Upstream upstream) {
        super(request -> target(upstream, request));
        this.upstream = upstream;
    }

    private static HttpURI target(Upstream upstream, Request request) {
        HttpURI sent = request.getHttpURI();
        String query = sent.getQuery();
        return HttpURI.from(upstream.origin() + sent.getPath() + (query == null ? "" : "?" + query));
    }

    @Override
    protected HttpClient newHttpClient() {
        ClientConnector connector = new ClientConnector();
        SslContextFactory.Client tls = new SslContextFactory.Client(upstream.insecure());
        if (upstream.insecure()) {
            tls.setEndpointIdentificationAlgorithm(null); // a self-signed test cluster's name is not checked either
        }
        connector.setSslContextFactory(tls);
        return new HttpClient(new HttpClientTransportOverHTTP(connector));
    }
}
