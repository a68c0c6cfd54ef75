package org.arvados.tasksasjobs.gateway.http;

import java.util.Map;
import org.arvados.tasksasjobs.gateway.tasks.GatewayException;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;

/**
 * Serves {@link DiscoveryDocument} without a token, to a GET or to the Perl SDK's form POST with
 * {@code _method=GET}. Its URLs are built from the Host the client used and the scheme it connected with, so a
 * client reaching the gateway by a name or a tunnel is sent back the same way.
 */
final class DiscoveryHandler extends Handler.Abstract {

    /** The Perl SDK's form is a few bytes; no token is asked for here, so nothing bigger is read. */
    static final int MAX_FORM_BYTES = 4096;

    private final DiscoveryDocument document;
    private final JsonBody forms = new JsonBody(MAX_FORM_BYTES);
    private final ErrorBody errorBodies;

    DiscoveryHandler(DiscoveryDocument document, ErrorBody errorBodies) {
        this.document = document;
        this.errorBodies = errorBodies;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!DiscoveryDocument.PATH.equals(request.getHttpURI().getPath())) {
            return false;
        }
        if (!Exchanges.isForm(request) || !JsonBody.present(request)) {
            answer(request, response, callback, Exchanges.effectiveMethod(request, null));
            return true;
        }
        // The Perl SDK asks for the document with a form POST (_method=GET), before it has a token to send.
        forms.readText(request, new Promise<>() {
            @Override
            public void succeeded(String body) {
                try {
                    answer(request, response, callback, Exchanges.effectiveMethod(request,
                            QueryString.decode(body, "the request body")));
                } catch (GatewayException e) {
                    failed(e);
                }
            }

            @Override
            public void failed(Throwable failure) {
                if (failure instanceof GatewayException e) {
                    Exchanges.write(response, callback, e.status(), ErrorBody.of(e.getMessage(),
                            errorBodies.newToken()), Map.of());
                } else {
                    callback.failed(failure);
                }
            }
        });
        return true;
    }

    private void answer(Request request, Response response, Callback callback, String method) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            Exchanges.write(response, callback, 405, ErrorBody.of("method " + method + " is not allowed on "
                    + DiscoveryDocument.PATH, errorBodies.newToken()), Map.of("Allow", "GET"));
            return;
        }
        Exchanges.write(response, callback, 200, document.forRoot(rootUrl(request)),
                Map.of("Cache-Control", "public, max-age=86400"));
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
