package org.arvados.tasksasjobs.gateway.http;

import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.Map;
import org.arvados.tasksasjobs.gateway.Gateway;
import org.arvados.tasksasjobs.gateway.MigratedArvadosExtension;
import org.arvados.tasksasjobs.gateway.http.ApiClient.Response;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * crunch-job and Perl crunch scripts talk through the Perl SDK, which sends every call as a form body and every
 * GET as a POST with {@code _method=GET} (Arvados::Request). The gateway answers them as Rails did.
 */
@ExtendWith(MigratedArvadosExtension.class)
class PerlSdkRequestsTest {

    private static final String JOB = "zzzzz-8i9sb-perljob00000001";

    @Test
    void formRequestsCreateGetListAndUpdateTasks(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosJobs.insertRunning(c, JOB, ALICE, "hash", Map.of("input", "x"));
        }
        try (Gateway gateway = ArvadosJobs.gateway(db)) {
            ApiClient perl = new ApiClient(gateway.port(), ALICE_TOKEN);
            Response created = perl.form("POST", "/arvados/v1/job_tasks",
                    "job_task", "{\"job_uuid\":\"" + JOB + "\",\"sequence\":0,\"qsequence\":0,\"parameters\":{}}");
            assertEquals(200, created.status(), created.body().toString());
            String task = created.body().get("uuid").asText();

            Response got = perl.form("POST", "/arvados/v1/job_tasks/" + task, "_method", "GET");
            assertEquals(200, got.status(), got.body().toString());
            assertEquals(created.body(), got.body());

            Response updated = perl.form("PUT", "/arvados/v1/job_tasks/" + task,
                    "job_task", "{\"success\":true,\"progress\":1.0}");
            assertEquals(200, updated.status(), updated.body().toString());
            assertTrue(updated.body().get("success").asBoolean());

            Response list = perl.form("POST", "/arvados/v1/job_tasks", "_method", "GET",
                    "filters", "[[\"job_uuid\",\"=\",\"" + JOB + "\"],[\"success\",\"=\",true]]",
                    "order", "[\"qsequence asc\"]");
            assertEquals(200, list.status(), list.body().toString());
            assertEquals(1, list.body().get("items_available").asInt(), list.body().toString());
            assertEquals(task, list.body().get("items").get(0).get("uuid").asText());

            Response job = perl.form("POST", "/arvados/v1/jobs/" + JOB, "_method", "GET");
            assertEquals(200, job.status(), job.body().toString());
            assertEquals("x", job.body().get("script_parameters").get("input").asText());
        }
    }
}
