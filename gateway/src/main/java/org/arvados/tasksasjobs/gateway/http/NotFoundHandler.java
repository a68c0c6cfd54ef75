package org.arvados.tasksasjobs.gateway.http;

import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The last handler without an upstream: every path nobody took is 404 "Path not found", as Rails routing said. */
final class NotFoundHandler extends Handler.Abstract {

    private final ErrorBody errorBodies;

    NotFoundHandler(ErrorBody errorBodies) {
        this.errorBodies = errorBodies;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchanges.write(response, callback, 404, ErrorBody.of("Path not found: " + request.getHttpURI().getPath(),
                errorBodies.newToken()), Map.of());
        return true;
    }
}
