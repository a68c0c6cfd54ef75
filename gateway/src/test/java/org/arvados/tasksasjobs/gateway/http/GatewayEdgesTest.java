package org.arvados.tasksasjobs.gateway.http;

import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.arvados.tasksasjobs.gateway.Gateway;
import org.arvados.tasksasjobs.gateway.MigratedArvadosExtension;
import org.arvados.tasksasjobs.gateway.http.ApiClient.Response;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What surrounds the gateway's own collections: the discovery document, the health check, the access log, and
 * every other path, answered 404 or forwarded upstream as sent.
 */
@ExtendWith(MigratedArvadosExtension.class)
class GatewayEdgesTest {

    private static final String MANAGEMENT_TOKEN = "management0123456789abcdefghijklmnopqrstuvwxyz0123";

    @Test
    void discoveryNeedsNoTokenAndDeclaresWhatTheSdksCall(TestDatabase db) throws Exception {
        try (Gateway gateway = ArvadosJobs.gateway(db)) {
            ApiClient anonymous = new ApiClient(gateway.port(), null);
            // A client that reached the gateway by another name (java.net.http will not set Host: a raw request).
            JsonNode doc = getWithHost(gateway.port(), DiscoveryDocument.PATH, "gateway.example:8443");
            assertEquals("http://gateway.example:8443/", doc.get("rootUrl").asText());
            assertEquals("http://gateway.example:8443/arvados/v1/", doc.get("baseUrl").asText());
            assertEquals("arvados/v1/", doc.get("servicePath").asText());
            assertEquals("zzzzz", doc.get("uuidPrefix").asText());
            JsonNode tasks = doc.get("resources").get("job_tasks").get("methods");
            for (String method : List.of("get", "index", "list", "create", "update", "delete")) {
                assertNotNull(tasks.get(method), method);
            }
            assertEquals("job_tasks/{uuid}", tasks.get("update").get("path").asText());
            assertEquals("JobTask", tasks.get("create").get("request").get("properties").get("job_task")
                    .get("$ref").asText());
            for (String parameter : List.of("filters", "where", "order", "select", "distinct", "limit", "offset",
                    "count")) {
                assertNotNull(tasks.get("list").get("parameters").get(parameter), parameter);
            }
            assertEquals("boolean", doc.get("schemas").get("JobTask").get("properties").get("success").get("type")
                    .asText());
            assertNotNull(doc.get("resources").get("jobs").get("methods").get("create").get("parameters")
                    .get("find_or_create"));
            assertNull(doc.get("resources").get("collections"), "nothing forwarded, nothing declared");

            // The Perl SDK asks with a form POST and _method=GET.
            Response perl = anonymous.form("POST", DiscoveryDocument.PATH, "_method", "GET");
            assertEquals(200, perl.status());
            assertEquals(doc.get("resources"), perl.body().get("resources"));
        }
    }

    @Test
    void requestsBeyondLimitsAreRefusedInArvadosShapeAndWithoutATokenBeforeTheBody(TestDatabase db) throws Exception {
        try (Gateway gateway = ArvadosJobs.gateway(db)) {
            String header = "X-Big: " + "a".repeat(20_000) + "\r\n";
            assertRefused(gateway.port(), "GET /arvados/v1/job_tasks HTTP/1.1\r\nHost: x\r\n" + header
                    + "Connection: close\r\n\r\n", "431");
            assertRefused(gateway.port(), "GET /arvados/v1/job_tasks?q=" + "b".repeat(20_000)
                    + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "414");
            // A 100 MB body announced without a token: 401 at once, from the headers alone.
            assertRefused(gateway.port(), "POST /arvados/v1/job_tasks HTTP/1.1\r\nHost: x\r\nContent-Type:"
                    + " application/x-www-form-urlencoded\r\nContent-Length: 100000000\r\n\r\n_method=GET&", "401");
        }
    }

    /** Sends {@code request} raw and expects {@code status} with an Arvados error body. */
    private static void assertRefused(int port, String request, String status) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                    socket.getInputStream(), StandardCharsets.UTF_8));
            String statusLine = in.readLine();
            assertTrue(statusLine != null && statusLine.startsWith("HTTP/1.1 " + status + " "), statusLine);
            String line;
            int length = -1;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).strip());
                }
            }
            assertTrue(length > 0, "no Content-Length for " + statusLine);
            char[] body = new char[length];
            int read = 0;
            while (read < length) {
                int n = in.read(body, read, length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            JsonNode error = ApiClient.JSON.readTree(new String(body, 0, read));
            assertTrue(error.path("errors").isArray() && error.has("error_token"), error.toString());
        }
    }

    private static JsonNode getWithHost(int port, String path, String host) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
            return ApiClient.JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        }
    }

    @Test
    void healthAnswersTheManagementTokenOnly(TestDatabase db) throws Exception {
        try (Gateway without = ArvadosJobs.gateway(db)) {
            assertEquals(404, new ApiClient(without.port(), null).get(HealthHandler.PATH).status());
        }
        try (Gateway gateway = Gateway.start(ArvadosJobs.settings(db).withManagementToken(MANAGEMENT_TOKEN))) {
            ApiClient client = new ApiClient(gateway.port(), null);
            Response ok = client.send("GET", HealthHandler.PATH, null,
                    Map.of("Authorization", "Bearer " + MANAGEMENT_TOKEN));
            assertEquals(200, ok.status());
            assertEquals("OK", ok.body().get("health").asText());
            assertEquals(401, client.get(HealthHandler.PATH).status());
            assertEquals(401, new ApiClient(gateway.port(), ALICE_TOKEN).get(HealthHandler.PATH).status());
            Response wrong = client.send("GET", HealthHandler.PATH, null, Map.of("Authorization", "Bearer nope"));
            assertEquals(401, wrong.status());
            assertNotNull(wrong.body().get("error_token"));
        }
    }

    @Test
    void accessLogHasALinePerRequestWithTheUserAndNeverAToken(TestDatabase db) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        try (Gateway gateway = Gateway.start(ArvadosJobs.settings(db), Clock.systemUTC(),
                new PrintStream(errors, true, StandardCharsets.UTF_8), lines::add)) {
            ApiClient alice = new ApiClient(gateway.port(), ALICE_TOKEN);
            assertEquals(200, alice.get("/arvados/v1/job_tasks?api_token=" + ALICE_TOKEN).status());
            assertEquals(401, new ApiClient(gateway.port(), "not" + ALICE_TOKEN).get("/arvados/v1/jobs").status());
        }
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("\\S+ 127\\.0\\.0\\.1 GET /arvados/v1/job_tasks 200 \\d+ms " + ALICE),
                lines.get(0));
        assertTrue(lines.get(1).matches("\\S+ 127\\.0\\.0\\.1 GET /arvados/v1/jobs 401 \\d+ms -"), lines.get(1));
        assertFalse(String.join("\n", lines).contains(ALICE_TOKEN));
        assertFalse(errors.toString(StandardCharsets.UTF_8).contains(ALICE_TOKEN));
    }

    @Test
    void otherPathsAreNotFoundWithoutAnUpstream(TestDatabase db) throws Exception {
        try (Gateway gateway = ArvadosJobs.gateway(db)) {
            for (String path : List.of("/arvados/v1/collections/d41d8cd98f00b204e9800998ecf8427e%2B0",
                    "/arvados/v1/jobs/zzzzz-8i9sb-000000000000000/lock", "/arvados/v1/jobs/queue", "/")) {
                Response response = new ApiClient(gateway.port(), ALICE_TOKEN).get(path);
                assertEquals(404, response.status(), path);
                assertTrue(response.error().startsWith("Path not found"), response.error());
                assertNotNull(response.body().get("error_token"));
            }
        }
    }

    @Test
    void anUnreachableUpstreamIsABadGatewayInArvadosShape(TestDatabase db) throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (Gateway gateway = Gateway.start(ArvadosJobs.settings(db).withUpstream(
                Upstream.of("http://127.0.0.1:" + closed, false)))) {
            Response response = new ApiClient(gateway.port(), ALICE_TOKEN).get("/arvados/v1/collections");
            assertEquals(502, response.status());
            assertNotNull(response.body().get("error_token"), response.body().toString());
            assertFalse(response.error().contains(ALICE_TOKEN));
        }
    }

    @Test
    void otherPathsGoUpstreamAsSentAndComeBackUnchanged(TestDatabase db) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + "?"
                    + exchange.getRequestURI().getRawQuery() + " " + exchange.getRequestHeaders()
                    .getFirst("Authorization") + " " + body);
            byte[] answer = ("{\"from\":\"upstream\",\"body\":" + body.length() + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.getResponseHeaders().set("X-Upstream", "yes");
            exchange.sendResponseHeaders(418, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        upstream.start();
        try (Gateway gateway = Gateway.start(ArvadosJobs.settings(db).withUpstream(
                Upstream.of("http://127.0.0.1:" + upstream.getAddress().getPort(), false)))) {
            ApiClient alice = new ApiClient(gateway.port(), ALICE_TOKEN);
            Response collection = alice.get("/arvados/v1/collections/d41d8cd98f00b204e9800998ecf8427e%2B0?a=b%2Bc");
            assertEquals(418, collection.status());
            assertEquals("upstream", collection.body().get("from").asText());
            assertEquals("yes", collection.header("X-Upstream"));
            Response lock = alice.post("/arvados/v1/jobs/zzzzz-8i9sb-000000000000000/lock", "{\"x\": 1}");
            assertEquals(418, lock.status());
            assertEquals(8, lock.body().get("body").asInt());
            assertEquals(List.of(
                    "GET /arvados/v1/collections/d41d8cd98f00b204e9800998ecf8427e%2B0?a=b%2Bc OAuth2 " + ALICE_TOKEN + " ",
                    "POST /arvados/v1/jobs/zzzzz-8i9sb-000000000000000/lock?null OAuth2 " + ALICE_TOKEN + " {\"x\": 1}"),
                    seen);
            // The gateway's own paths stay its own, and the discovery document now declares the forwarded ones.
            assertEquals(200, alice.get("/arvados/v1/job_tasks").status());
            assertNotNull(new ApiClient(gateway.port(), null).get(DiscoveryDocument.PATH).body()
                    .path("resources").path("collections").path("methods").get("get"));
        } finally {
            upstream.stop(0);
        }
    }
}
