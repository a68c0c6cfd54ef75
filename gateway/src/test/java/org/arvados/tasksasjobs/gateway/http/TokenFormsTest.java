package org.arvados.tasksasjobs.gateway.http;

import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE_TOKEN;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE_TOKEN_UUID;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.EXPIRED_TOKEN;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.TASK_READER_TOKEN;
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
 * Tokens as the API server took them: the v2 form, expiry, and scopes of method and path prefix, checked on the
 * method a request means (after {@code _method}) before anything is read or written.
 */
@ExtendWith(MigratedArvadosExtension.class)
class TokenFormsTest {

    private static final String JOB = "zzzzz-8i9sb-tokenjob0000001";

    @Test
    void v2ExpiredAndScopedTokensAreDecidedAsArvadosDecidedThem(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosJobs.insertRunning(c, JOB, ALICE, "hash", Map.of("input", "x"));
        }
        try (Gateway gateway = ArvadosJobs.gateway(db)) {
            ApiClient alice = new ApiClient(gateway.port(), ALICE_TOKEN);
            Response created = alice.post("/arvados/v1/job_tasks", "{\"job_task\": {\"job_uuid\": \"" + JOB
                    + "\", \"sequence\": 0, \"parameters\": {}}}");
            assertEquals(200, created.status(), created.body().toString());
            String task = created.body().get("uuid").asText();

            // v2: the row's uuid and its secret; a wrong uuid is as unknown as a wrong secret.
            Response v2 = new ApiClient(gateway.port(), "v2/" + ALICE_TOKEN_UUID + "/" + ALICE_TOKEN)
                    .get("/arvados/v1/job_tasks/" + task);
            assertEquals(200, v2.status(), v2.body().toString());
            assertEquals(401, new ApiClient(gateway.port(), "v2/zzzzz-gj3su-someoneelse0001/" + ALICE_TOKEN)
                    .get("/arvados/v1/job_tasks/" + task).status());
            assertEquals(401, new ApiClient(gateway.port(), EXPIRED_TOKEN).get("/arvados/v1/job_tasks/" + task)
                    .status());

            // Scoped to "GET /arvados/v1/job_tasks/": reads one task, lists nothing, writes nothing.
            ApiClient reader = new ApiClient(gateway.port(), TASK_READER_TOKEN);
            assertEquals(200, reader.get("/arvados/v1/job_tasks/" + task).status());
            assertEquals(200, reader.form("POST", "/arvados/v1/job_tasks/" + task, "_method", "GET").status(),
                    "the scope is checked on the method the request means");
            Response list = reader.get("/arvados/v1/job_tasks");
            assertEquals(403, list.status());
            assertTrue(list.error().contains("scopes"), list.error());
            assertEquals(403, reader.put("/arvados/v1/job_tasks/" + task, "{\"job_task\": {\"output\": \"x\"}}")
                    .status());
            assertEquals(403, reader.form("POST", "/arvados/v1/job_tasks/" + task, "_method", "PUT", "job_task",
                    "{\"output\": \"x\"}").status());
            assertEquals(403, reader.post("/arvados/v1/job_tasks", "{\"job_task\": {\"job_uuid\": \"" + JOB
                    + "\", \"sequence\": 1}}").status());
            assertEquals(403, reader.delete("/arvados/v1/job_tasks/" + task).status());

            Response after = alice.get(ApiClient.query("/arvados/v1/job_tasks", "filters",
                    "[[\"job_uuid\",\"=\",\"" + JOB + "\"]]"));
            assertEquals(1, after.body().get("items_available").asInt(), "nothing was created");
            assertTrue(after.body().get("items").get(0).get("output").isNull(), "nothing was written");
        }
    }
}
