package org.arvados.tasksasjobs.gateway.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /_health/ping}, as every Arvados service answers it: {@code {"health":"OK"}} to
 * {@code Authorization: Bearer <management token>}, 401 to anything else, 404 when no management token is set
 * (the check is then off, as in Arvados). The token is compared in constant time.
 */
final class HealthHandler extends Handler.Abstract {

    static final String PATH = "/_health/ping";

    private final byte[] expected;
    private final ErrorBody errorBodies;

    /** @param managementToken the token, or null for no health check */
    HealthHandler(String managementToken, ErrorBody errorBodies) {
        this.expected = managementToken == null ? null
                : ("Bearer " + managementToken).getBytes(StandardCharsets.UTF_8);
        this.errorBodies = errorBodies;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!PATH.equals(request.getHttpURI().getPath())) {
            return false;
        }
        if (expected == null) {
            Exchanges.write(response, callback, 404, ErrorBody.of("the health check is disabled: no management"
                    + " token is set", errorBodies.newToken()), Map.of());
            return true;
        }
        String given = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            Exchanges.write(response, callback, 401, ErrorBody.of("Unauthorized", errorBodies.newToken()), Map.of());
            return true;
        }
        Exchanges.write(response, callback, 200, JsonNodeFactory.instance.objectNode().put("health", "OK"),
                Map.of());
        return true;
    }
}
