package org.arvados.tasksasjobs.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.arvados.tasksasjobs.gateway.auth.Authenticator;
import org.arvados.tasksasjobs.gateway.auth.TokenOwner;
import org.arvados.tasksasjobs.gateway.http.ApiClient.Response;
import org.arvados.tasksasjobs.gateway.tasks.Caller;
import org.arvados.tasksasjobs.gateway.tasks.Created;
import org.arvados.tasksasjobs.gateway.tasks.ListQuery;
import org.eclipse.jetty.server.Handler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP layer alone, over a recording resource instead of the database: what reaches a service from a
 * request, and what a service's failure becomes on the wire (500 and 503 cannot be provoked through the real
 * services without breaking them).
 */
class ApiHandlerTest {

    private static final String TOKEN = "token0123456789abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String USER = "zzzzz-tpzed-user00000000001";
    private static final long LIMIT = 1024;

    /** What each call received, and what it should do. */
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<Object> received = new CopyOnWriteArrayList<>();
    private volatile Exception failure;
    private volatile boolean reused;

    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private GatewayServer server;
    private ApiClient client;

    @BeforeEach
    void serve() throws Exception {
        Authenticator authenticator = new Authenticator(token -> token.equals(TOKEN)
                ? Optional.of(new TokenOwner(USER, false, true, org.arvados.tasksasjobs.gateway.auth.Scopes.ALL)) : Optional.empty());
        ErrorBody errorBodies = new ErrorBody(Clock.fixed(Instant.ofEpochSecond(1700000000), ZoneOffset.UTC));
        ApiHandler handler = new ApiHandler(Map.of("jobs", new Recording(true), "job_tasks", new Recording(false)),
                authenticator, new JsonBody(LIMIT), errorBodies, new PrintStream(stderr, true, StandardCharsets.UTF_8));
        server = GatewayServer.serve(new ServerOptions("127.0.0.1", 0, 4, null, null, null),
                new Handler.Sequence(handler, new NotFoundHandler(errorBodies)), errorBodies, Clock.systemUTC(),
                line -> { });
        client = new ApiClient(server.port(), TOKEN);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void listPassesTheDecodedQueryParameters() throws Exception {
        Response response = client.get(ApiClient.query("/arvados/v1/job_tasks",
                "filters", "[[\"parameters\", \"like\", \"%ä b+c%\"]]", "order", "qsequence asc", "limit", "7",
                "offset", "2", "select", "[\"uuid\"]", "count", "none", "where", "{}"));
        assertEquals(200, response.status());
        assertEquals(List.of("job_tasks list"), calls);
        assertEquals(new ListQuery("[[\"parameters\", \"like\", \"%ä b+c%\"]]", "{}", "qsequence asc", "7", "2",
                "[\"uuid\"]", "none"), received.get(1));
    }

    @Test
    void plusInTheQueryStringIsASpace() throws Exception {
        client.get("/arvados/v1/jobs?order=created_at+desc&limit=%31");
        ListQuery query = (ListQuery) received.get(1);
        assertEquals("created_at desc", query.order());
        assertEquals("1", query.limit());
        assertNull(query.filters());
    }

    @Test
    void callingTaskHeaderReachesTheService() throws Exception {
        client.asTask("zzzzz-ot0gb-task00000000001").get("/arvados/v1/jobs/zzzzz-8i9sb-job000000000001");
        assertEquals(new Caller(USER, false, "zzzzz-ot0gb-task00000000001"), received.get(0));
        assertEquals("zzzzz-8i9sb-job000000000001", received.get(1));
    }

    @Test
    void eachMethodReachesItsCall() throws Exception {
        String member = "/arvados/v1/job_tasks/zzzzz-ot0gb-task00000000001";
        client.get(member);
        client.put(member, "{\"job_task\": {}}");
        client.send("PATCH", member, "{\"job_task\": {}}");
        client.delete(member);
        client.post("/arvados/v1/job_tasks", "{\"job_task\": {}}");
        assertEquals(List.of("job_tasks get", "job_tasks update", "job_tasks update", "job_tasks delete",
                "job_tasks create"), calls);
    }

    @Test
    void jobsCreateSaysWhetherItReused() throws Exception {
        reused = true;
        assertEquals("true", client.post("/arvados/v1/jobs", "{\"job\": {}}").header("X-Arvados-Reused"));
        reused = false;
        assertEquals("false", client.post("/arvados/v1/jobs", "{\"job\": {}}").header("X-Arvados-Reused"));
        assertNull(client.post("/arvados/v1/job_tasks", "{\"job_task\": {}}").header("X-Arvados-Reused"));
    }

    @Test
    void findOrCreateInTheQueryStringJoinsTheBody() throws Exception {
        client.post("/arvados/v1/jobs?find_or_create=true", "{\"job\": {}}");
        assertTrue(((JsonNode) received.get(1)).get("find_or_create").asBoolean());
        client.post("/arvados/v1/jobs?find_or_create=true", "{\"job\": {}, \"find_or_create\": false}");
        assertFalse(((JsonNode) received.get(3)).get("find_or_create").asBoolean());
    }

    @Test
    void perlStyleGetIsAFormPostWithMethodGet() throws Exception {
        Response list = client.form("POST", "/arvados/v1/job_tasks", "_method", "GET",
                "filters", "[[\"job_uuid\",\"=\",\"zzzzz-8i9sb-job000000000001\"]]", "limit", "5");
        assertEquals(200, list.status(), list.body().toString());
        client.form("POST", "/arvados/v1/job_tasks/zzzzz-ot0gb-task00000000001", "_method", "GET");
        assertEquals(List.of("job_tasks list", "job_tasks get"), calls);
        assertEquals(new ListQuery("[[\"job_uuid\",\"=\",\"zzzzz-8i9sb-job000000000001\"]]", null, null, "5",
                null, null, null), received.get(1));
        assertEquals("zzzzz-ot0gb-task00000000001", received.get(3));
    }

    @Test
    void formBodyCarriesTheObjectAsJsonText() throws Exception {
        client.form("POST", "/arvados/v1/job_tasks", "job_task", "{\"sequence\": 1, \"parameters\": {\"a\": \"é\"}}");
        client.form("PUT", "/arvados/v1/job_tasks/zzzzz-ot0gb-task00000000001", "job_task", "{\"success\": true}");
        client.form("POST", "/arvados/v1/jobs", "job", "{}", "find_or_create", "true");
        assertEquals(List.of("job_tasks create", "job_tasks update", "jobs create"), calls);
        assertEquals(ApiClient.JSON.readTree("{\"job_task\": {\"sequence\": 1, \"parameters\": {\"a\": \"é\"}}}"),
                received.get(1));
        assertEquals(ApiClient.JSON.readTree("{\"job_task\": {\"success\": true}}"), received.get(3));
        assertEquals(ApiClient.JSON.readTree("{\"job\": {}, \"find_or_create\": true}"), received.get(5));
    }

    @Test
    void formObjectThatIsNotJsonIsUnprocessable() throws Exception {
        Response response = client.form("POST", "/arvados/v1/job_tasks", "job_task", "{sequence: 1");
        assertEquals(422, response.status());
        assertTrue(response.error().startsWith("parameter job_task is not valid JSON"), response.error());
        assertTrue(calls.isEmpty());
    }

    @Test
    void methodOverrideHeaderTurnsAPostIntoAGet() throws Exception {
        Response response = client.send("POST", "/arvados/v1/jobs", "limit=3&order=uuid",
                Map.of("Content-Type", "application/x-www-form-urlencoded", "X-HTTP-Method-Override", "GET"));
        assertEquals(200, response.status());
        assertEquals(List.of("jobs list"), calls);
        assertEquals("3", ((ListQuery) received.get(1)).limit());
    }

    @Test
    void bodyOverTheLimitIsTooLarge() throws Exception {
        String big = "{\"job\": {\"task_output\": \"" + "x".repeat((int) LIMIT) + "\"}}";
        Response response = client.post("/arvados/v1/jobs", big);
        assertEquals(413, response.status());
        assertTrue(calls.isEmpty());
    }

    @Test
    void bodyThatIsNotUtf8IsUnprocessable() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/arvados/v1/jobs"))
                .header("Authorization", "OAuth2 " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'}))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(422, response.statusCode(), response.body());
        assertTrue(calls.isEmpty());
    }

    @Test
    void ambiguousJsonIsUnprocessable() throws Exception {
        String member = "/arvados/v1/jobs/zzzzz-8i9sb-job000000000001";
        assertEquals(422, client.put(member, "{\"a\": 1, \"a\": 2}").status());
        assertEquals(422, client.put(member, "{} {}").status());
        assertEquals(422, client.put(member, "\"just a string\"").status());
        assertTrue(calls.isEmpty());
    }

    @Test
    void bugIsInternalErrorWithTheTraceOnlyOnStderr() throws Exception {
        failure = new IllegalStateException("secret detail");
        Response response = client.get("/arvados/v1/jobs?api_token=" + TOKEN);
        assertEquals(500, response.status());
        assertEquals("internal error", response.error());
        String errorToken = response.body().get("error_token").asText();
        assertTrue(errorToken.startsWith("1700000000+"), errorToken);
        String logged = stderr.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains(errorToken) && logged.contains("secret detail"), logged);
        assertFalse(logged.contains(TOKEN), logged);
    }

    @Test
    void lostDatabaseIsServiceUnavailable() throws Exception {
        failure = new SQLException("An I/O error occurred while sending to the backend.", "08006");
        Response response = client.get("/arvados/v1/job_tasks");
        assertEquals(503, response.status());
        assertTrue(response.error().contains("unavailable"), response.error());
    }

    @Test
    void statementTimeoutIsUnprocessable() throws Exception {
        failure = new SQLException("ERROR: canceling statement due to statement timeout", "57014");
        Response response = client.get("/arvados/v1/job_tasks");
        assertEquals(422, response.status());
        assertTrue(response.error().contains("narrow"), response.error());
    }

    @Test
    void failingStatementIsInternalError() throws Exception {
        failure = new SQLException("syntax error at or near \"FROM\"", "42601");
        assertEquals(500, client.get("/arvados/v1/job_tasks").status());
    }

    @Test
    void unauthenticatedRequestNeverReachesAService() throws Exception {
        assertEquals(401, new ApiClient(server.port(), "other").get("/arvados/v1/jobs").status());
        assertTrue(calls.isEmpty());
    }

    /** Records each call and answers {@code {"ok": true}}, or throws {@link #failure}. */
    private final class Recording implements Resource {
        private final String name;
        private final boolean reportsReuse;

        Recording(boolean reportsReuse) {
            this.name = reportsReuse ? "jobs" : "job_tasks";
            this.reportsReuse = reportsReuse;
        }

        private ObjectNode call(String call, Caller caller, Object argument) throws SQLException {
            calls.add(name + " " + call);
            received.add(caller);
            received.add(argument);
            Exception f = failure;
            if (f instanceof SQLException sql) {
                throw sql;
            }
            if (f instanceof RuntimeException runtime) {
                throw runtime;
            }
            return JsonNodeFactory.instance.objectNode().put("ok", true);
        }

        @Override
        public ObjectNode get(Caller caller, String uuid) throws SQLException {
            return call("get", caller, uuid);
        }

        @Override
        public ObjectNode list(Caller caller, ListQuery query) throws SQLException {
            return call("list", caller, query);
        }

        @Override
        public Created create(Caller caller, JsonNode body) throws SQLException {
            return new Created(call("create", caller, body), reused);
        }

        @Override
        public ObjectNode update(Caller caller, String uuid, JsonNode body) throws SQLException {
            return call("update", caller, body);
        }

        @Override
        public ObjectNode delete(Caller caller, String uuid) throws SQLException {
            return call("delete", caller, uuid);
        }

        @Override
        public boolean reportsReuse() {
            return reportsReuse;
        }

        @Override
        public ResourceSchema schema() {
            return reportsReuse ? ResourceSchema.JOB : ResourceSchema.JOB_TASK;
        }
    }
}
