package org.arvados.tasksasjobs.gateway.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty itself answers (a malformed request, a header too large, an upstream that cannot be reached) in
 * Arvados's shape, like every other error of the gateway, and without Jetty's HTML page or stack traces.
 */
final class ArvadosErrorHandler extends ErrorHandler {

    private final ErrorBody errorBodies;

    ArvadosErrorHandler(ErrorBody errorBodies) {
        this.errorBodies = errorBodies;
        setShowStacks(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        Exchanges.write(response, callback, code, ErrorBody.of(message(code, message), errorBodies.newToken()),
                Map.of());
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Exchanges.JSON_TYPE);
        String body = ErrorBody.of(message(status, reason), errorBodies.newToken()).toString();
        return ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8));
    }

    private static String message(int code, String message) {
        String reason = org.eclipse.jetty.http.HttpStatus.getMessage(code);
        return message == null || message.isBlank() || message.equals(reason) ? reason : reason + ": " + message;
    }
}
