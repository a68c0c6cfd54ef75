package org.arvados.tasksasjobs.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.arvados.tasksasjobs.gateway.auth.Authenticator;
import org.arvados.tasksasjobs.gateway.tasks.Caller;
import org.arvados.tasksasjobs.gateway.tasks.Created;
import org.arvados.tasksasjobs.gateway.tasks.GatewayException;
import org.arvados.tasksasjobs.gateway.tasks.ListQuery;

/**
 * Every request: route (404, 405), authenticate (401, 403), read the body (413, 422), call the service, write
 * the JSON answer. Expected failures become Arvados error bodies with their status; a lost database is 503; any
 * other failure is a bug: 500 "internal error" to the client, the stack trace only to {@code errors}.
 */
final class ApiHandler implements HttpHandler {

    static final String REUSED_HEADER = "X-Arvados-Reused";
    static final String TASK_HEADER = "X-Arvados-Task-Uuid";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Resource> resources;
    private final Authenticator authenticator;
    private final JsonBody bodies;
    private final ErrorBody errorBodies;
    private final PrintStream errors;

    ApiHandler(Map<String, Resource> resources, Authenticator authenticator, JsonBody bodies, ErrorBody errorBodies,
            PrintStream errors) {
        this.resources = Map.copyOf(resources);
        this.authenticator = authenticator;
        this.bodies = bodies;
        this.errorBodies = errorBodies;
        this.errors = errors;
    }

    /** A successful answer: always 200, as the Arvados API server answered every call that worked. */
    private record Answer(ObjectNode body, Map<String, String> headers) {
    }

    @Override
    public void handle(HttpExchange exchange) {
        try {
            Answer answer;
            try {
                answer = answer(exchange);
            } catch (GatewayException e) {
                writeError(exchange, e.status(), e.getMessage(), Map.of());
                return;
            } catch (MethodNotAllowed e) {
                writeError(exchange, 405, e.getMessage(), Map.of("Allow", e.allowed));
                return;
            } catch (SQLException e) {
                if (DatabaseOutage.isOutage(e)) {
                    String token = errorBodies.newToken();
                    errors.println("gateway: " + token + " database unavailable: " + firstLine(e.getMessage()));
                    writeError(exchange, 503, "the database is unavailable; try again later", token, Map.of());
                } else {
                    internalError(exchange, e);
                }
                return;
            } catch (IOException e) {
                return; // the client went away while sending its body: there is no one to answer
            } catch (RuntimeException e) {
                internalError(exchange, e);
                return;
            }
            write(exchange, 200, answer.body, answer.headers);
        } catch (IOException e) {
            // The client went away while we answered: nothing is left to do for this exchange.
        } finally {
            exchange.close();
        }
    }

    private Answer answer(HttpExchange exchange) throws GatewayException, MethodNotAllowed, SQLException,
            IOException {
        String path = exchange.getRequestURI().getRawPath();
        Optional<Route> found = Route.of(path, resources);
        if (found.isEmpty()) {
            throw new GatewayException(404, "Path not found: " + path);
        }
        Route route = found.get();
        Map<String, String> parameters = QueryString.decode(exchange.getRequestURI().getRawQuery());
        // A form body carries parameters (and, on a POST, maybe the real method): read it before routing on the
        // method. A JSON body is read only once the caller is known.
        Map<String, String> form = isForm(exchange)
                ? QueryString.decode(bodies.readText(exchange), "the request body") : null;
        if (form != null) {
            parameters.putAll(form); // as in Rails: body parameters win over query parameters
        }
        String method = effectiveMethod(exchange, form);
        Operation operation = Operation.of(method, route).orElseThrow(() -> new MethodNotAllowed(
                "method " + method + " is not allowed on " + Route.BASE + route.collection()
                        + (route.isCollection() ? "" : "/{uuid}"), route.allowed()));
        Caller caller = authenticator.authenticate(exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst(TASK_HEADER));
        Resource resource = route.resource();
        switch (operation) {
            case LIST:
                return new Answer(resource.list(caller, listQuery(parameters)), Map.of());
            case GET:
                return new Answer(resource.get(caller, route.uuid()), Map.of());
            case CREATE:
                Created created = resource.create(caller, body(exchange, resource, form, parameters));
                return new Answer(created.object(), resource.reportsReuse()
                        ? Map.of(REUSED_HEADER, Boolean.toString(created.reused())) : Map.of());
            case UPDATE:
                return new Answer(resource.update(caller, route.uuid(), body(exchange, resource, form, parameters)),
                        Map.of());
            case DELETE:
                return new Answer(resource.delete(caller, route.uuid()), Map.of());
            default:
                throw new IllegalStateException("unrouted operation " + operation);
        }
    }

    private static boolean isForm(HttpExchange exchange) {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        return type != null && type.strip().toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    /**
     * The method a request means. On a POST, Rails (Rack::MethodOverride) took it from a {@code _method} form
     * parameter or the {@code X-HTTP-Method-Override} header: the Perl SDK sends every GET as a form POST with
     * {@code _method=GET}, and the Python SDK turns a GET with a long query into such a POST.
     */
    private static String effectiveMethod(HttpExchange exchange, Map<String, String> form) {
        String method = exchange.getRequestMethod();
        if (!method.equals("POST")) {
            return method;
        }
        String override = form == null ? null : form.get("_method");
        if (override == null) {
            override = exchange.getRequestHeaders().getFirst("X-HTTP-Method-Override");
        }
        return override == null || override.isBlank() ? method : override.strip().toUpperCase(Locale.ROOT);
    }

    private static ListQuery listQuery(Map<String, String> p) {
        return new ListQuery(p.get("filters"), p.get("where"), p.get("order"), p.get("limit"), p.get("offset"),
                p.get("select"), p.get("count"));
    }

    /**
     * The create or update body as the services take it: {@code {"job_task": {...}}} or {@code {"job": {...},
     * "find_or_create": ...}}. A JSON body is used as sent; a form carries the object as a JSON text under its
     * key. {@code find_or_create} may come in the query string (the Python SDK puts a method's non-body
     * parameters there) or the form; a JSON body that carries it wins.
     */
    private JsonNode body(HttpExchange exchange, Resource resource, Map<String, String> form,
            Map<String, String> parameters) throws GatewayException, IOException {
        ObjectNode body;
        if (form == null) {
            body = (ObjectNode) bodies.read(exchange);
        } else {
            body = JSON.createObjectNode();
            String object = parameters.get(resource.objectKey());
            if (object != null) {
                body.set(resource.objectKey(), JsonBody.parseObject(object, "parameter " + resource.objectKey()));
            }
        }
        String flag = parameters.get("find_or_create");
        if (resource.reportsReuse() && flag != null && !body.has("find_or_create")) {
            switch (flag) {
                case "true" -> body.put("find_or_create", true);
                case "false" -> body.put("find_or_create", false);
                default -> throw new GatewayException(422, "find_or_create must be true or false, not \"" + flag
                        + "\"");
            }
        }
        return body;
    }

    private void internalError(HttpExchange exchange, Exception failure) throws IOException {
        String token = errorBodies.newToken();
        // Method and path only: the query string and headers may carry a token.
        errors.println("gateway: " + token + " internal error on " + exchange.getRequestMethod() + " "
                + exchange.getRequestURI().getRawPath());
        failure.printStackTrace(errors);
        writeError(exchange, 500, "internal error", token, Map.of());
    }

    private void writeError(HttpExchange exchange, int status, String message, Map<String, String> headers)
            throws IOException {
        writeError(exchange, status, message, errorBodies.newToken(), headers);
    }

    private static void writeError(HttpExchange exchange, int status, String message, String token,
            Map<String, String> headers) throws IOException {
        write(exchange, status, ErrorBody.of(message, token), headers);
    }

    private static void write(HttpExchange exchange, int status, ObjectNode body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        headers.forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(status, bytes.length); // never 0 (that would mean chunked): "{}" at least
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** The five calls, by method and route. */
    private enum Operation {
        LIST, GET, CREATE, UPDATE, DELETE;

        static Optional<Operation> of(String method, Route route) {
            if (route.isCollection()) {
                return switch (method) {
                    case "GET" -> Optional.of(LIST);
                    case "POST" -> Optional.of(CREATE);
                    default -> Optional.empty();
                };
            }
            return switch (method) {
                case "GET" -> Optional.of(GET);
                case "PUT", "PATCH" -> Optional.of(UPDATE);
                case "DELETE" -> Optional.of(DELETE);
                default -> Optional.empty();
            };
        }
    }

    /** A 405, which alone among the failures carries a header ({@code Allow}). */
    private static final class MethodNotAllowed extends Exception {
        private final String allowed;

        MethodNotAllowed(String message, String allowed) {
            super(message, null, false, false);
            this.allowed = allowed;
        }
    }
}
