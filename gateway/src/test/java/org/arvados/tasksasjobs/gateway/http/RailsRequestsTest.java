package org.arvados.tasksasjobs.gateway.http;

import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.gateway.Gateway;
import org.arvados.tasksasjobs.gateway.MigratedArvadosExtension;
import org.arvados.tasksasjobs.gateway.http.ApiClient.Response;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Requests as the API server's Rails took them from the SDKs of the jobs era: the Python SDK's unwrapped JSON
 * bodies, crunch-job saving back the whole record it was given with {@code success => 0}, values cast from text,
 * {@code order} as a bare comma-separated string and paging by {@code offset} until an empty page.
 */
@ExtendWith(MigratedArvadosExtension.class)
class RailsRequestsTest {

    private static final String JOB = "zzzzz-8i9sb-railsjob0000001";

    @Test
    void sdkBodiesAreTakenAsRailsTookThem(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosJobs.insertRunning(c, JOB, ALICE, "grep", Map.of("input", "x", "pattern", "b"));
        }
        try (Gateway gateway = ArvadosJobs.gateway(db)) {
            ApiClient client = new ApiClient(gateway.port(), ALICE_TOKEN);

            // The Python SDK: the attributes at the top level (wrap_parameters), an integer sent as text.
            Response created = client.post("/arvados/v1/job_tasks", "{\"job_uuid\": \"" + JOB
                    + "\", \"sequence\": \"0\", \"parameters\": {}, \"unrelated\": 1}");
            assertEquals(200, created.status(), created.body().toString());
            assertEquals(0, created.body().get("sequence").asInt());
            String task = created.body().get("uuid").asText();

            // crunch-job: the whole record back, what the server rendered included, and success => 0.
            ObjectNode record = (ObjectNode) created.body().deepCopy();
            record.put("etag", "abc123").put("href", "/job_tasks/" + task).put("success", 0)
                    .put("finished_at", "2019-08-01T12:00:00Z");
            Response saved = client.form("PUT", "/arvados/v1/job_tasks/" + task, "job_task", record.toString());
            assertEquals(200, saved.status(), saved.body().toString());
            assertFalse(saved.body().get("success").asBoolean(true), saved.body().toString());

            for (String yes : List.of("1", "\"1\"", "\"true\"", "true")) {
                Response cast = client.put("/arvados/v1/job_tasks/" + task, "{\"success\": " + yes + "}");
                assertEquals(200, cast.status(), cast.body().toString());
                assertTrue(cast.body().get("success").asBoolean(), yes);
            }
            Response vague = client.put("/arvados/v1/job_tasks/" + task, "{\"success\": \"yes\"}");
            assertEquals(422, vague.status());
            assertTrue(vague.error().contains("job_task.success"), vague.error());

            // Children, then crunch-job's listing: order as a bare string, pages by offset until an empty one.
            for (int i = 0; i < 5; i++) {
                assertEquals(200, client.post("/arvados/v1/job_tasks", "{\"job_task\": {\"job_uuid\": \"" + JOB
                        + "\", \"sequence\": 1, \"created_by_job_task_uuid\": \"" + task + "\"}}").status());
            }
            List<String> seen = new ArrayList<>();
            Response page;
            do {
                page = client.form("POST", "/arvados/v1/job_tasks", "_method", "GET",
                        "filters", "[[\"created_by_job_task_uuid\",\"in\",[\"" + task + "\"]]]",
                        "order", "qsequence", "limit", "2", "offset", Integer.toString(seen.size()));
                assertEquals(200, page.status(), page.body().toString());
                page.body().get("items").forEach(item -> seen.add(item.get("uuid").asText()));
            } while (page.body().get("items").size() > 0 && seen.size() < 100);
            assertEquals(5, seen.size(), seen.toString());
            assertEquals(5, seen.stream().distinct().count());

            Response described = client.get(ApiClient.query("/arvados/v1/job_tasks", "filters",
                    "[[\"job_uuid\",\"=\",\"" + JOB + "\"]]", "order", "sequence desc, qsequence asc"));
            assertEquals(200, described.status(), described.body().toString());
            assertEquals(1, described.body().get("items").get(0).get("sequence").asInt());
            assertEquals(0, described.body().get("items").get(5).get("sequence").asInt());

            // distinct, Rails-cast: false is the default; true is refused rather than answered differently.
            assertEquals(200, client.get(ApiClient.query("/arvados/v1/job_tasks", "distinct", "0")).status());
            Response distinct = client.get(ApiClient.query("/arvados/v1/job_tasks", "distinct", "true",
                    "select", "[\"sequence\"]"));
            assertEquals(422, distinct.status());
            assertTrue(distinct.error().contains("distinct"), distinct.error());
            assertEquals(422, client.get(ApiClient.query("/arvados/v1/job_tasks", "distinct", "maybe")).status());
        }
    }
}
