package org.arvados.tasksasjobs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArvadosClientTest {

    private static final String TASK = "zzzzz-ot0gb-000000000000002";
    private static final String JOB_BODY = "{\"kind\":\"arvados#job\",\"uuid\":\"zzzzz-8i9sb-000000000000001\"}";
    private static final String ERROR_401 = "{\"errors\":[\"Not logged in\"],\"error_token\":\"1700000000+0a1b2c3d\"}";

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void getRetries503TwiceThenSucceeds() throws IOException {
        try (FakeApi api = new FakeApi((request, attempt) -> attempt <= 2
                ? FakeApi.Response.json(503, "{\"errors\":[\"busy\"]}")
                : FakeApi.Response.json(200, JOB_BODY))) {
            ObjectNode job = new ArvadosClient(api.config(5), TASK).get(ApiResource.JOBS, "zzzzz-8i9sb-000000000000001");
            assertEquals("zzzzz-8i9sb-000000000000001", job.get("uuid").asText());
            List<FakeApi.Request> requests = api.requests();
            assertEquals(3, requests.size());
            FakeApi.Request last = requests.get(2);
            assertEquals("GET", last.method());
            assertEquals("/arvados/v1/jobs/zzzzz-8i9sb-000000000000001", last.path());
            assertEquals("OAuth2 " + FakeApi.TOKEN, last.header("Authorization"));
            assertEquals(TASK, last.header("X-Arvados-Task-Uuid"));
        }
    }

    @Test
    void aClientWithoutATaskSendsNoTaskHeader() throws IOException {
        try (FakeApi api = new FakeApi((request, attempt) -> FakeApi.Response.json(200, JOB_BODY))) {
            new ArvadosClient(api.config(1)).get(ApiResource.JOBS, "zzzzz-8i9sb-000000000000001");
            assertNull(api.requests().get(0).header("X-Arvados-Task-Uuid"));
        }
    }

    @Test
    void retriesStopAtTheLastAttemptWithTheLastStatus() throws IOException {
        try (FakeApi api = new FakeApi((request, attempt) -> FakeApi.Response.json(504, "<html>\nGateway Timeout</html>"))) {
            ArvadosApiException failure = assertThrows(ArvadosApiException.class,
                    () -> new ArvadosClient(api.config(3)).delete(ApiResource.JOBS, "zzzzz-8i9sb-000000000000001"));
            assertEquals(3, api.requests().size());
            assertEquals(504, failure.status());
            assertEquals(List.of("<html>"), failure.errors());
        }
    }

    @Test
    void postIsRetriedOn503ButNotOn500() throws IOException {
        try (FakeApi api = new FakeApi((request, attempt) -> attempt == 1
                ? FakeApi.Response.json(503, "{}")
                : FakeApi.Response.json(500, "{\"errors\":[\"internal error\"],\"error_token\":\"1+deadbeef\"}"))) {
            ArvadosApiException failure = assertThrows(ArvadosApiException.class,
                    () -> new ArvadosClient(api.config(5)).create(ApiResource.JOBS, Map.of("task_sequence", 1), true));
            assertEquals(2, api.requests().size());
            assertEquals(500, failure.status());
            assertEquals(List.of("internal error"), failure.errors());
        }
    }

    @Test
    void getAndPutAreRetriedOn500() throws IOException {
        try (FakeApi api = new FakeApi((request, attempt) -> attempt % 2 == 1
                ? FakeApi.Response.json(500, "{\"errors\":[\"internal error\"]}")
                : FakeApi.Response.json(200, JOB_BODY))) {
            ArvadosClient client = new ArvadosClient(api.config(3));
            client.get(ApiResource.JOBS, "zzzzz-8i9sb-000000000000001");
            client.update(ApiResource.JOBS, "zzzzz-8i9sb-000000000000001", Map.of("state", "Complete"));
            assertEquals(4, api.requests().size());
            assertEquals("PUT", api.requests().get(3).method());
        }
    }

    @Test
    void unauthorizedIsNotRetriedAndItsBodyIsParsed() throws IOException {
        try (FakeApi api = new FakeApi((request, attempt) -> FakeApi.Response.json(401, ERROR_401))) {
            ArvadosApiException failure = assertThrows(ArvadosApiException.class,
                    () -> new ArvadosClient(api.config(5)).get(ApiResource.JOBS, "zzzzz-8i9sb-000000000000001"));
            assertEquals(1, api.requests().size());
            assertEquals(401, failure.status());
            assertEquals(List.of("Not logged in"), failure.errors());
            assertEquals("1700000000+0a1b2c3d", failure.errorToken());
            assertEquals("GET", failure.method());
            assertEquals("/arvados/v1/jobs/zzzzz-8i9sb-000000000000001", failure.path());
            assertTrue(failure.getMessage().contains("401"), failure.getMessage());
            assertTrue(failure.getMessage().contains("Not logged in"), failure.getMessage());
            assertFalse(failure.getMessage().contains(FakeApi.TOKEN), failure.getMessage());
        }
    }

    @Test
    void refusedConnectionIsRetriedThenFailsClearly() throws IOException {
        ApiConfig config = new ApiConfig(URI.create("http://127.0.0.1:" + closedPort()), FakeApi.TOKEN, false,
                new RetryPolicy(3, Duration.ofMillis(5), 2.0, Duration.ofMillis(10)));
        for (Runnable call : List.<Runnable>of(
                () -> new ArvadosClient(config).get(ApiResource.JOBS, "zzzzz-8i9sb-000000000000001"),
                () -> new ArvadosClient(config).create(ApiResource.JOBS, Map.of(), true))) {
            ArvadosUnreachableException failure = assertThrows(ArvadosUnreachableException.class, call::run);
            assertEquals(3, failure.attempts());
            assertTrue(failure.getMessage().contains("could not connect after 3 attempts"), failure.getMessage());
            assertTrue(failure.getMessage().contains("/arvados/v1/jobs"), failure.getMessage());
            assertFalse(failure.getMessage().contains(FakeApi.TOKEN), failure.getMessage());
            assertInstanceOf(ConnectException.class, failure.getCause());
        }
    }

    @Test
    void createWrapsTheBodyAndReportsReuse() throws IOException {
        try (FakeApi api = new FakeApi((request, attempt) -> new FakeApi.Response(200,
                Map.of("X-Arvados-Reused", attempt == 1 ? "true" : "false"), JOB_BODY))) {
            ArvadosClient client = new ArvadosClient(api.config(1));
            Created first = client.create(ApiResource.JOBS, Map.of("task_sequence", 1), true);
            Created second = client.create(ApiResource.JOBS, Map.of("task_sequence", 1), false);
            assertTrue(first.reused());
            assertFalse(second.reused());
            assertEquals("zzzzz-8i9sb-000000000000001", first.object().get("uuid").asText());
            JsonNode body = json.readTree(api.requests().get(0).body());
            assertEquals(json.readTree("{\"job\":{\"task_sequence\":1},\"find_or_create\":true}"), body);
            assertTrue(api.requests().get(0).header("Content-Type").startsWith("application/json"));
            assertFalse(json.readTree(api.requests().get(1).body()).get("find_or_create").asBoolean());
        }
    }

    @Test
    void listSendsFiltersOrderLimitAndOffsetAsJson() throws IOException {
        String page = "{\"kind\":\"arvados#jobList\",\"items\":[" + JOB_BODY + "],\"items_available\":7,"
                + "\"offset\":3,\"limit\":1}";
        try (FakeApi api = new FakeApi((request, attempt) -> FakeApi.Response.json(200, page))) {
            ResourceList list = new ArvadosClient(api.config(1)).list(ApiResource.JOBS,
                    List.of(Filter.eq("parent_job_uuid", "zzzzz-8i9sb-000000000000001"),
                            new Filter("task_sequence", "in", List.of(1, 2)),
                            new Filter("script_parameters", "like", "%a b+c%")),
                    List.of("task_qsequence asc"), 1, 3);
            assertEquals(1, list.items().size());
            assertEquals(7, list.itemsAvailable().getAsLong());
            assertEquals(3, list.offset());
            Map<String, String> query = api.requests().get(0).query();
            assertEquals(json.readTree("[[\"parent_job_uuid\",\"=\",\"zzzzz-8i9sb-000000000000001\"],"
                    + "[\"task_sequence\",\"in\",[1,2]],[\"script_parameters\",\"like\",\"%a b+c%\"]]"),
                    json.readTree(query.get("filters")));
            assertEquals("[\"task_qsequence asc\"]", query.get("order"));
            assertEquals("1", query.get("limit"));
            assertEquals("3", query.get("offset"));
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
