package org.arvados.tasksasjobs.gateway.http;

import java.io.IOException;
import java.util.Map;
import org.arvados.tasksasjobs.gateway.tasks.GatewayException;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves {@link DiscoveryDocument} without a token, to a GET or to the Perl SDK's form POST with
 * {@code _method=GET}. Its URLs are built from the Host the client used and the scheme it connected with, so a
 * client reaching the gateway by a name or a tunnel is sent back the same way.
 */
final class DiscoveryHandler extends Handler.Abstract {

    private final DiscoveryDocument document;
    private final JsonBody bodies;
    private final ErrorBody errorBodies;

    DiscoveryHandler(DiscoveryDocument document, JsonBody bodies, ErrorBody errorBodies) {
        this.document = document;
        this.bodies = bodies;
        this.errorBodies = errorBodies;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!DiscoveryDocument.PATH.equals(request.getHttpURI().getPath())) {
            return false;
        }
        String method;
        try {
            Map<String, String> form = Exchanges.isForm(request)
                    ? QueryString.decode(bodies.readText(request), "the request body") : null;
            method = Exchanges.effectiveMethod(request, form);
        } catch (GatewayException e) {
            Exchanges.write(response, callback, e.status(), ErrorBody.of(e.getMessage(), errorBodies.newToken()),
                    Map.of());
            return true;
        } catch (IOException e) {
            callback.failed(e);
            return true;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            Exchanges.write(response, callback, 405, ErrorBody.of("method " + method + " is not allowed on "
                    + DiscoveryDocument.PATH, errorBodies.newToken()), Map.of("Allow", "GET"));
            return true;
        }
        Exchanges.write(response, callback, 200, document.forRoot(rootUrl(request)),
                Map.of("Cache-Control", "public, max-age=86400"));
        return true;
    }

    /** {@code scheme://host[:port]/} as the client addressed the gateway (the Host header, else the socket). */
    private static String rootUrl(Request request) {
        HttpURI uri = request.getHttpURI();
        String scheme = request.isSecure() ? "https" : "http";
        String authority = uri.getAuthority();
        if (authority == null || authority.isEmpty()) {
            authority = Request.getServerName(request) + ":" + Request.getServerPort(request);
        }
        return scheme + "://" + authority + "/";
    }
}
