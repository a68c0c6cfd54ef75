package org.arvados.tasksasjobs.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** What every handler does the same way with a Jetty request and response: JSON answers and method override. */
final class Exchanges {

    static final String JSON_TYPE = "application/json; charset=utf-8";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Exchanges() {
    }

    /** Writes {@code body} as the whole answer, with a Content-Length, and completes {@code callback}. */
    static void write(Response response, Callback callback, int status, ObjectNode body, Map<String, String> headers) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree that cannot be written", e);
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON_TYPE);
        headers.forEach(response.getHeaders()::put);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    static String header(Request request, String name) {
        return request.getHeaders().get(name);
    }

    static boolean isForm(Request request) {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        return type != null && type.strip().toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    /**
     * The method a request means. On a POST, Rails (Rack::MethodOverride) took it from a {@code _method} form
     * parameter or the {@code X-HTTP-Method-Override} header: the Perl SDK sends every GET as a form POST with
     * {@code _method=GET}, and the Python SDK turns a GET with a long query into such a POST.
     */
    static String effectiveMethod(Request request, Map<String, String> form) {
        String method = request.getMethod();
        if (!method.equals("POST")) {
            return method;
        }
        String override = form == null ? null : form.get("_method");
        if (override == null) {
            override = request.getHeaders().get("X-HTTP-Method-Override");
        }
        return override == null || override.isBlank() ? method : override.strip().toUpperCase(Locale.ROOT);
    }
}
