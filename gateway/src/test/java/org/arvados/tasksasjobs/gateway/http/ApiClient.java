package org.arvados.tasksasjobs.gateway.http;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A plain HTTP client as an old crunch script's SDK is one: JSON over {@code java.net.http}, the token in
 * {@code Authorization: OAuth2}, and the calling task in {@code X-Arvados-Task-Uuid} when it has one.
 */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: the status, the parsed JSON body, the headers. */
    record Response(int status, JsonNode body, HttpHeaders headers) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The first message of an error body. */
        String error() {
            return body.path("errors").path(0).asText(null);
        }
    }

    private final HttpClient http;
    private final int port;
    private final String token;
    private final String callingTask;

    ApiClient(int port, String token) {
        this(HttpClient.newHttpClient(), port, token, null);
    }

    private ApiClient(HttpClient http, int port, String token, String callingTask) {
        this.http = http;
        this.port = port;
        this.token = token;
        this.callingTask = callingTask;
    }

    /** The same client, calling as the task {@code taskUuid} (TASK_UUID). */
    ApiClient asTask(String taskUuid) {
        return new ApiClient(http, port, token, taskUuid);
    }

    Response get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    Response post(String path, String body) throws IOException, InterruptedException {
        return send("POST", path, body);
    }

    Response put(String path, String body) throws IOException, InterruptedException {
        return send("PUT", path, body);
    }

    Response delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path, null);
    }

    Response send(String method, String path, String body) throws IOException, InterruptedException {
        return send(method, path, body, Map.of());
    }

    Response send(String method, String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null && !headers.containsKey("Content-Type")) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "OAuth2 " + token);
        }
        if (callingTask != null) {
            request.header("X-Arvados-Task-Uuid", callingTask);
        }
        headers.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (!contentType.equals("application/json; charset=utf-8")) {
            fail("Content-Type of " + method + " " + path + " is \"" + contentType + "\"");
        }
        return new Response(response.statusCode(), JSON.readTree(response.body()), response.headers());
    }

    /**
     * A request as the Perl SDK sent every one: a form body, each parameter a text (objects as JSON), and a GET
     * sent as a POST with {@code _method=GET}.
     */
    Response form(String method, String path, String... namesAndValues) throws IOException, InterruptedException {
        String body = query("", namesAndValues).substring(1);
        return send(method, path, body, Map.of("Content-Type", "application/x-www-form-urlencoded; charset='utf8'"));
    }

    /** {@code path?name=value&...}, each value form-encoded. */
    static String query(String path, String... namesAndValues) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            parameters.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        StringJoiner query = new StringJoiner("&", path + "?", "");
        parameters.forEach((name, value) -> query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return query.toString();
    }
}
