package org.arvados.tasksasjobs.gateway.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.arvados.tasksasjobs.gateway.auth.Authenticator;
import org.arvados.tasksasjobs.gateway.auth.TokenOwner;
import org.arvados.tasksasjobs.gateway.tasks.Caller;
import org.arvados.tasksasjobs.gateway.tasks.Created;
import org.arvados.tasksasjobs.gateway.tasks.GatewayException;
import org.arvados.tasksasjobs.gateway.tasks.ListQuery;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;

/**
 * The gateway's own collections ({@code /arvados/v1/job_tasks}, {@code /arvados/v1/jobs}): route (405), read the
 * parameters as Rails did ({@link RailsParameters}), authenticate (401, 403), call the service, write the JSON
 * answer. A path that is not one of these is left to the next handler (the upstream, or a 404). Expected failures
 * become Arvados error bodies with their status; a lost database is 503; any other failure is a bug: 500
 * "internal error" to the client, the stack trace only to {@code errors}.
 */
final class ApiHandler extends Handler.Abstract {

    static final String REUSED_HEADER = "X-Arvados-Reused";
    static final String TASK_HEADER = "X-Arvados-Task-Uuid";

    /** jobs create parameters the reuse engine does not take; refused rather than ignored, since they narrow reuse. */
    private static final List<String> UNSUPPORTED_JOB_CREATE = List.of("filters", "minimum_script_version",
            "exclude_script_versions");

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
    public boolean handle(Request request, Response response, Callback callback) {
        Optional<Route> route = Route.of(request.getHttpURI().getPath(), resources);
        if (route.isEmpty()) {
            return false;
        }
        try {
            // The token first: without a valid one the answer is 401 before the query or a byte of the body is read.
            TokenOwner holder = authenticator.identify(Exchanges.header(request, HttpHeader.AUTHORIZATION.asString()));
            Map<String, String> query = QueryString.decode(request.getHttpURI().getQuery());
            request.setAttribute(AccessLog.USER_ATTRIBUTE, holder.userUuid());
            if (!JsonBody.present(request)) {
                respond(request, response, callback, () -> answer(request, route.get(), query, holder, null));
                return true;
            }
            // Read without holding this thread while a slow client sends; answered on the thread the body ends on.
            bodies.readText(request, new Promise<>() {
                @Override
                public void succeeded(String body) {
                    respond(request, response, callback, () -> answer(request, route.get(), query, holder, body));
                }

                @Override
                public void failed(Throwable failure) {
                    if (failure instanceof GatewayException refused) {
                        fail(request, response, callback, refused); // 413, 422
                    } else {
                        callback.failed(failure); // the client went away, or its body's deadline passed
                    }
                }
            });
        } catch (Exception e) {
            fail(request, response, callback, e);
        }
        return true;
    }

    /** What answers a request, given everything read from it; may fail in the ways {@link #fail} answers. */
    @FunctionalInterface
    private interface Work {
        Answer call() throws Exception;
    }

    private void respond(Request request, Response response, Callback callback, Work work) {
        Answer answer;
        try {
            answer = work.call();
        } catch (Exception e) {
            fail(request, response, callback, e);
            return;
        }
        Exchanges.write(response, callback, 200, answer.body, answer.headers);
    }

    /**
     * Expected failures become Arvados error bodies with their status; a lost database is 503; a client that went
     * away gets nothing; anything else is a bug: 500 to the client, the stack trace to {@code errors}.
     */
    private void fail(Request request, Response response, Callback callback, Throwable failure) {
        if (failure instanceof GatewayException e) {
            writeError(response, callback, e.status(), e.getMessage(), errorBodies.newToken(), Map.of());
        } else if (failure instanceof MethodNotAllowed e) {
            writeError(response, callback, 405, e.getMessage(), errorBodies.newToken(), Map.of("Allow", e.allowed));
        } else if (failure instanceof SQLException e && DatabaseOutage.isOutage(e)) {
            String token = errorBodies.newToken();
            errors.println("gateway: " + token + " database unavailable: " + firstLine(e.getMessage()));
            writeError(response, callback, 503, "the database is unavailable; try again later", token, Map.of());
        } else if (failure instanceof SQLException e && DatabaseOutage.isStatementTimeout(e)) {
            writeError(response, callback, 422, "the request ran longer than the database allows a statement;"
                    + " narrow its filters or limit", errorBodies.newToken(), Map.of());
        } else if (failure instanceof IOException) {
            callback.failed(failure); // the client went away while sending its body: there is no one to answer
        } else {
            internalError(request, response, callback, failure);
        }
    }

    private Answer answer(Request request, Route route, Map<String, String> query, TokenOwner holder, String body)
            throws GatewayException, MethodNotAllowed, SQLException {
        // A form body carries parameters (and, on a POST, maybe the real method): read before routing on the method
        // and checking the token's scopes against it. A JSON body is parsed only once both passed.
        Map<String, String> form = body != null && Exchanges.isForm(request)
                ? QueryString.decode(body, "the request body") : null;
        String method = Exchanges.effectiveMethod(request, form);
        Operation operation = Operation.of(method, route).orElseThrow(() -> new MethodNotAllowed(
                "method " + method + " is not allowed on " + Route.BASE + route.collection()
                        + (route.isCollection() ? "" : "/{uuid}"), route.allowed()));
        Caller caller = authenticator.authorize(holder, Exchanges.header(request, TASK_HEADER), method,
                request.getHttpURI().getPath());
        boolean writes = operation == Operation.CREATE || operation == Operation.UPDATE;
        ObjectNode json = writes && form == null
                ? (ObjectNode) JsonBody.parseObject(body == null ? "" : body, "the request body") : null;
        RailsParameters parameters = RailsParameters.of(query, form, json);
        Resource resource = route.resource();
        switch (operation) {
            case LIST:
                if (Boolean.TRUE.equals(parameters.bool("distinct"))) {
                    // Distinct values of rendered attributes would need every row in memory to count or page
                    // them; refused rather than answered with pages that are not what Arvados answered.
                    throw new GatewayException(422, "distinct=true is not supported by this gateway; list without"
                            + " it, or through the Arvados API server");
                }
                return new Answer(resource.list(caller, listQuery(parameters)), Map.of());
            case GET:
                return new Answer(resource.get(caller, route.uuid()), Map.of());
            case CREATE:
                Created created = resource.create(caller, body(resource, parameters, true));
                return new Answer(created.object(), resource.reportsReuse()
                        ? Map.of(REUSED_HEADER, Boolean.toString(created.reused())) : Map.of());
            case UPDATE:
                return new Answer(resource.update(caller, route.uuid(), body(resource, parameters, false)), Map.of());
            case DELETE:
                return new Answer(resource.delete(caller, route.uuid()), Map.of());
            default:
                throw new IllegalStateException("unrouted operation " + operation);
        }
    }

    private static ListQuery listQuery(RailsParameters p) {
        return new ListQuery(p.text("filters"), p.text("where"), p.text("order"), p.text("limit"), p.text("offset"),
                p.text("select"), p.text("count"));
    }

    /**
     * The create or update body as the services take it: {@code {"job_task": {...}}} or {@code {"job": {...},
     * "find_or_create": ...}}, the object read as Rails read it. Other parameters are ignored, as Rails ignored
     * parameters a controller did not take.
     */
    private static ObjectNode body(Resource resource, RailsParameters parameters, boolean create)
            throws GatewayException {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode object = parameters.object(resource.schema());
        if (object != null) {
            body.set(resource.schema().objectKey(), object);
        }
        if (resource.reportsReuse() && create) {
            Boolean findOrCreate = parameters.bool("find_or_create");
            if (findOrCreate != null) {
                body.put("find_or_create", findOrCreate);
            }
            for (String name : UNSUPPORTED_JOB_CREATE) {
                if (parameters.has(name)) {
                    throw new GatewayException(422, "the " + name + " parameter of a jobs create is not supported"
                            + " by this gateway; create through the Arvados API server");
                }
            }
        }
        return body;
    }

    private void internalError(Request request, Response response, Callback callback, Throwable failure) {
        String token = errorBodies.newToken();
        // Method and path only: the query string and headers may carry a token.
        errors.println("gateway: " + token + " internal error on " + request.getMethod() + " "
                + request.getHttpURI().getPath());
        failure.printStackTrace(errors);
        writeError(response, callback, 500, "internal error", token, Map.of());
    }

    private static void writeError(Response response, Callback callback, int status, String message, String token,
            Map<String, String> headers) {
        Exchanges.write(response, callback, status, ErrorBody.of(message, token), headers);
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
