package org.arvados.tasksasjobs.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A small transport for the Arvados REST API ({@code /arvados/v1/...}): JSON in, Jackson nodes out.
 *
 * <p>Every request carries {@code Authorization: OAuth2 <token>} and, when this client was built for
 * a task, {@code X-Arvados-Task-Uuid: <task uuid>} (the gateway uses it for the purity mark). Create
 * and update bodies are wrapped in the resource's key ({@code {"job": {...}}}).
 *
 * <p>Retries, with the delays of the configured {@link RetryPolicy}:
 * <ul>
 *   <li>every method: HTTP 502, 503, 504, and a refused or timed-out connection
 *       ({@link ConnectException}, {@link HttpConnectTimeoutException}): the request never reached
 *       the application, so repeating it cannot do anything twice;</li>
 *   <li>GET, PUT and DELETE only: also HTTP 500 and any other I/O failure (a connection reset, a
 *       response timeout). These requests are idempotent; a POST that may have been carried out is
 *       not repeated, because it would create a second task.</li>
 * </ul>
 * Any other status fails at once with an {@link ArvadosApiException} (status, {@code errors},
 * {@code error_token}); a request that got no answer after the last attempt fails with an
 * {@link ArvadosUnreachableException}. Neither message contains the token.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class ArvadosClient {

    /** Header naming the calling task (see the gateway's purity rule). */
    public static final String TASK_UUID_HEADER = "X-Arvados-Task-Uuid";

    /** Header a create answers with: {@code true} when find_or_create reused an existing object. */
    public static final String REUSED_HEADER = "X-Arvados-Reused";

    private static final String API_PREFIX = "/arvados/v1/";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    // The Python SDK's default request timeout (api(timeout=5*60)).
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);
    private static final int ERROR_LINE_MAX = 200;

    private final ApiConfig config;
    private final String callingTaskUuid;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    /** A client that names no calling task. */
    public ArvadosClient(ApiConfig config) {
        this(config, null);
    }

    /**
     * A client that sends {@code X-Arvados-Task-Uuid: callingTaskUuid} on every request.
     *
     * @param callingTaskUuid the task's uuid (TASK_UUID), or null for none
     */
    public ArvadosClient(ApiConfig config, String callingTaskUuid) {
        this.config = Objects.requireNonNull(config, "config");
        if (callingTaskUuid != null && !callingTaskUuid.matches("[0-9a-z]{5}-[0-9a-z]{5}-[0-9a-z]{15}")) {
            throw new ArvadosConfigException("calling task uuid is not an Arvados uuid: " + callingTaskUuid);
        }
        this.callingTaskUuid = callingTaskUuid;
        HttpClient.Builder builder = HttpClient.newBuilder()
                // HTTP/1.1: no h2c upgrade dance with a plain-HTTP gateway on loopback.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (config.insecure()) {
            builder.sslContext(InsecureTls.context());
        }
        this.http = builder.build();
    }

    /** The configuration this client was built with. */
    public ApiConfig config() {
        return config;
    }

    /** GET /arvados/v1/{resource}/{uuid}. */
    public ObjectNode get(ApiResource resource, String uuid) {
        return asObject(send("GET", objectPath(resource, uuid), null).body());
    }

    /**
     * GET /arvados/v1/{resource} with the given filters, order, limit and offset.
     *
     * @param filters conditions, all of which must hold (empty: none)
     * @param order   sort keys such as {@code "task_qsequence asc"} (empty: the server's default)
     * @param limit   page size, or null for the server's default (100; at most 1000)
     * @param offset  how many matching objects to skip
     */
    public ResourceList list(ApiResource resource, List<Filter> filters, List<String> order, Integer limit, long offset) {
        Map<String, String> query = new LinkedHashMap<>();
        if (!filters.isEmpty()) {
            ArrayNode array = json.createArrayNode();
            for (Filter filter : filters) {
                array.addArray().add(filter.attribute()).add(filter.operator()).add(json.valueToTree(filter.value()));
            }
            query.put("filters", array.toString());
        }
        if (!order.isEmpty()) {
            ArrayNode array = json.createArrayNode();
            order.forEach(array::add);
            query.put("order", array.toString());
        }
        if (limit != null) {
            query.put("limit", Integer.toString(limit));
        }
        query.put("offset", Long.toString(offset));
        ObjectNode page = asObject(send("GET", API_PREFIX + resource.path() + queryString(query), null).body());
        List<ObjectNode> items = new ArrayList<>();
        for (JsonNode item : page.path("items")) {
            if (item instanceof ObjectNode object) {
                items.add(object);
            }
        }
        JsonNode available = page.get("items_available");
        OptionalLong itemsAvailable = available != null && available.canConvertToLong()
                ? OptionalLong.of(available.asLong()) : OptionalLong.empty();
        return new ResourceList(items, itemsAvailable, page.path("offset").asLong(offset),
                page.path("limit").asLong(items.size()));
    }

    /**
     * POST /arvados/v1/{resource} with body {@code {"<bodyKey>": attributes, "find_or_create": ...}}.
     * Never retried once the request may have reached the server (see the class comment).
     */
    public Created create(ApiResource resource, Map<String, ?> attributes, boolean findOrCreate) {
        ObjectNode body = json.createObjectNode();
        body.set(resource.bodyKey(), json.valueToTree(attributes));
        body.put("find_or_create", findOrCreate);
        HttpResponse<byte[]> response = send("POST", API_PREFIX + resource.path(), body);
        boolean reused = response.headers().firstValue(REUSED_HEADER)
                .map(value -> value.trim().equalsIgnoreCase("true"))
                .orElse(false);
        return new Created(asObject(response.body()), reused);
    }

    /** PUT /arvados/v1/{resource}/{uuid} with body {@code {"<bodyKey>": fields}}. */
    public ObjectNode update(ApiResource resource, String uuid, Map<String, ?> fields) {
        ObjectNode body = json.createObjectNode();
        body.set(resource.bodyKey(), json.valueToTree(fields));
        return asObject(send("PUT", objectPath(resource, uuid), body).body());
    }

    /** DELETE /arvados/v1/{resource}/{uuid}; returns the object as it was. */
    public ObjectNode delete(ApiResource resource, String uuid) {
        return asObject(send("DELETE", objectPath(resource, uuid), null).body());
    }

    private HttpResponse<byte[]> send(String method, String pathAndQuery, JsonNode body) {
        URI uri = config.baseUri().resolve(pathAndQuery);
        HttpRequest request = request(method, uri, body);
        boolean idempotent = !method.equals("POST");
        RetryPolicy policy = config.retry();
        for (int attempt = 1; ; attempt++) {
            boolean lastAttempt = attempt >= policy.attempts();
            HttpResponse<byte[]> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                boolean connectFailure = isConnectFailure(e);
                if (lastAttempt || !(connectFailure || idempotent)) {
                    throw unreachable(method, uri, attempt, connectFailure, e);
                }
                pause(method, uri, attempt, policy.delayBeforeRetry(attempt));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ArvadosUnreachableException(method + " " + uri + ": interrupted", attempt, e);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return response;
            }
            boolean retryable = status == 502 || status == 503 || status == 504 || (status == 500 && idempotent);
            if (!retryable || lastAttempt) {
                throw apiError(method, uri, status, response.body());
            }
            pause(method, uri, attempt, policy.delayBeforeRetry(attempt));
        }
    }

    private HttpRequest request(String method, URI uri, JsonNode body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "OAuth2 " + config.token())
                .header("Accept", "application/json");
        if (callingTaskUuid != null) {
            builder.header(TASK_UUID_HEADER, callingTaskUuid);
        }
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/json; charset=utf-8");
            builder.method(method, HttpRequest.BodyPublishers.ofByteArray(body.toString().getBytes(StandardCharsets.UTF_8)));
        }
        return builder.build();
    }

    // The HttpClient reports a refused connection as a ConnectException, sometimes wrapped.
    private static boolean isConnectFailure(IOException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static void pause(String method, URI uri, int attempt, Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArvadosUnreachableException(method + " " + uri + ": interrupted while waiting to retry", attempt, e);
        }
    }

    private static ArvadosUnreachableException unreachable(String method, URI uri, int attempts, boolean connectFailure,
            IOException failure) {
        String what = connectFailure ? "could not connect" : "no answer";
        String detail = failure.getMessage() == null
                ? failure.getClass().getName()
                : failure.getClass().getName() + ": " + failure.getMessage();
        return new ArvadosUnreachableException(method + " " + uri + ": " + what + " after " + attempts
                + (attempts == 1 ? " attempt" : " attempts") + " (" + detail + ")", attempts, failure);
    }

    private ArvadosApiException apiError(String method, URI uri, int status, byte[] body) {
        List<String> errors = new ArrayList<>();
        String errorToken = null;
        JsonNode parsed = null;
        try {
            parsed = json.readTree(body);
        } catch (IOException notJson) {
            // Not an Arvados error body (e.g. a proxy's page): keep its first line below.
        }
        if (parsed != null && parsed.isObject() && parsed.has("errors")) {
            for (JsonNode error : parsed.get("errors")) {
                errors.add(error.isTextual() ? error.asText() : error.toString());
            }
            JsonNode token = parsed.get("error_token");
            errorToken = token != null && token.isTextual() ? token.asText() : null;
        } else {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            if (!text.isEmpty()) {
                String firstLine = text.lines().findFirst().orElse("");
                errors.add(firstLine.length() > ERROR_LINE_MAX ? firstLine.substring(0, ERROR_LINE_MAX) + "..." : firstLine);
            }
        }
        return new ArvadosApiException(method, pathOf(uri), status, errors, errorToken);
    }

    private ObjectNode asObject(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            if (node instanceof ObjectNode object) {
                return object;
            }
            throw new IllegalStateException("the API answered with JSON that is not an object");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the API answered with a body that is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("could not read the API's answer", e);
        }
    }

    private static String objectPath(ApiResource resource, String uuid) {
        if (uuid == null || !uuid.matches("[0-9A-Za-z-]+")) {
            throw new IllegalArgumentException("not a uuid: " + uuid);
        }
        return API_PREFIX + resource.path() + "/" + uuid;
    }

    private static String pathOf(URI uri) {
        return uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
    }

    // Spaces as %20, not '+': the gateway may decode the query with or without form rules.
    private static String queryString(Map<String, String> query) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> entry : query.entrySet()) {
            text.append(text.length() == 0 ? '?' : '&')
                    .append(encode(entry.getKey())).append('=').append(encode(entry.getValue()));
        }
        return text.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
