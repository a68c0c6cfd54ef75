package org.arvados.tasksasjobs.gateway.http;

import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE_TOKEN;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ADMIN_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.sql.Connection;
import java.util.Map;
import org.arvados.tasksasjobs.gateway.Gateway;
import org.arvados.tasksasjobs.gateway.MigratedArvadosExtension;
import org.arvados.tasksasjobs.gateway.http.ApiClient.Response;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The jobs endpoint over real HTTP: a create says in X-Arvados-Reused whether it returned an existing task-like job. */
@ExtendWith(MigratedArvadosExtension.class)
class JobsEndpointTest {

    private static final String JOB = "zzzzz-8i9sb-hashjob00000001";
    private static final String MANIFEST = ". d41d8cd98f00b204e9800998ecf8427e+0 0:0:md5sum.txt\n";

    @Test
    void createSaysWhetherItReusedACompletedTask(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosJobs.insertRunning(c, JOB, ALICE, "hash", Map.of("input", "x", "algorithm", "md5"));
        }
        try (Gateway gateway = ArvadosJobs.gateway(db)) {
            ApiClient alice = new ApiClient(gateway.port(), ALICE_TOKEN);
            String task = "{\"parent_job_uuid\": \"" + JOB + "\", \"task_parameters\": {\"input\": \"x/a.txt\"},"
                    + " \"task_sequence\": 1";
            Response first = alice.post("/arvados/v1/jobs", "{\"job\": " + task + ", \"state\": \"Complete\","
                    + " \"task_output\": " + ApiClient.JSON.writeValueAsString(MANIFEST) + "}}");
            assertEquals(200, first.status(), first.body().toString());
            assertEquals("false", first.header("X-Arvados-Reused"));
            assertEquals("arvados#job", first.body().get("kind").asText());
            assertEquals(JOB, first.body().get("parent_job_uuid").asText());

            Response again = alice.post("/arvados/v1/jobs?find_or_create=true", "{\"job\": " + task + "}}");
            assertEquals(200, again.status(), again.body().toString());
            assertEquals("true", again.header("X-Arvados-Reused"));
            assertEquals(first.body().get("uuid"), again.body().get("uuid"));

            Response fresh = alice.post("/arvados/v1/jobs", "{\"job\": " + task + "}, \"find_or_create\": false}");
            assertEquals("false", fresh.header("X-Arvados-Reused"));
            assertNotEquals(first.body().get("uuid"), fresh.body().get("uuid"));

            Response list = new ApiClient(gateway.port(), ADMIN_TOKEN).get(ApiClient.query("/arvados/v1/jobs",
                    "filters", "[[\"parent_job_uuid\", \"=\", \"" + JOB + "\"]]"));
            assertEquals("arvados#jobList", list.body().get("kind").asText());
            assertEquals(2, list.body().get("items_available").asInt(), list.body().toString());
        }
    }
}
