package org.arvados.tasksasjobs.gateway.http;

import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE_TOKEN;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.BOB;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.BOB_TOKEN;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.EXPIRED_TOKEN;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.INACTIVE_TOKEN;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.SCOPED_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.Map;
import org.arvados.tasksasjobs.gateway.Gateway;
import org.arvados.tasksasjobs.gateway.MigratedArvadosExtension;
import org.arvados.tasksasjobs.gateway.http.ApiClient.Response;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One test per error status the gateway answers, over real HTTP and a real migrated database: alice owns a
 * running job with one task; bob owns a job of his own.
 */
@ExtendWith(MigratedArvadosExtension.class)
class ErrorStatusTest {

    private static final String ALICE_JOB = "zzzzz-8i9sb-alicejob0000001";
    private static final String BOB_JOB = "zzzzz-8i9sb-bobjob000000001";
    private static final String UNKNOWN_TASK = "zzzzz-ot0gb-nosuchtask00000";
    private static final String ERROR_TOKEN = "[0-9]+\\+[0-9a-f]{8}";

    private Gateway gateway;
    private ApiClient alice;
    private ApiClient bob;
    private String aliceTask;

    @BeforeEach
    void aliceHasATask(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosJobs.insertRunning(c, ALICE_JOB, ALICE, "hash", Map.of("input", "x"));
            ArvadosJobs.insertRunning(c, BOB_JOB, BOB, "hash", Map.of("input", "y"));
        }
        gateway = ArvadosJobs.gateway(db);
        alice = new ApiClient(gateway.port(), ALICE_TOKEN);
        bob = new ApiClient(gateway.port(), BOB_TOKEN);
        Response created = alice.post("/arvados/v1/job_tasks",
                "{\"job_task\": {\"job_uuid\": \"" + ALICE_JOB + "\", \"sequence\": 1, \"parameters\": {\"n\": 1}}}");
        assertEquals(200, created.status(), created.body().toString());
        aliceTask = created.body().get("uuid").asText();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    /** Status, and an Arvados error body: one message, an error token. */
    private static Response assertError(int status, Response response) {
        assertEquals(status, response.status(), response.body().toString());
        assertEquals(1, response.body().get("errors").size(), response.body().toString());
        assertFalse(response.error().isBlank());
        assertTrue(response.body().get("error_token").asText().matches(ERROR_TOKEN), response.body().toString());
        return response;
    }

    @Test
    void requestWithoutTokenIsUnauthorized() throws Exception {
        assertError(401, new ApiClient(gateway.port(), null).get("/arvados/v1/job_tasks"));
    }

    @Test
    void unknownTokenIsUnauthorizedAndNotEchoed() throws Exception {
        String token = "nosuchtoken0123456789abcdefghijklmnopqrstuvwxyz012";
        Response response = assertError(401, new ApiClient(gateway.port(), token).get("/arvados/v1/job_tasks"));
        assertFalse(response.body().toString().contains(token));
    }

    @Test
    void expiredTokenIsUnauthorized() throws Exception {
        assertError(401, new ApiClient(gateway.port(), EXPIRED_TOKEN).get("/arvados/v1/job_tasks/" + aliceTask));
    }

    @Test
    void bearerSchemeIsAcceptedLikeOAuth2() throws Exception {
        Response response = new ApiClient(gateway.port(), null).send("GET", "/arvados/v1/job_tasks/" + aliceTask,
                null, Map.of("Authorization", "Bearer " + ALICE_TOKEN));
        assertEquals(200, response.status(), response.body().toString());
    }

    @Test
    void inactiveUserIsForbidden() throws Exception {
        assertError(403, new ApiClient(gateway.port(), INACTIVE_TOKEN).get("/arvados/v1/job_tasks"));
    }

    @Test
    void tokenScopedToCollectionsIsForbidden() throws Exception {
        assertError(403, new ApiClient(gateway.port(), SCOPED_TOKEN).get("/arvados/v1/job_tasks/" + aliceTask));
    }

    @Test
    void bobCannotReadAlicesTaskAndCannotTellItExists() throws Exception {
        Response hidden = bob.get("/arvados/v1/job_tasks/" + aliceTask);
        assertError(404, hidden);
        Response missing = bob.get("/arvados/v1/job_tasks/" + UNKNOWN_TASK);
        assertEquals(missing.error().replace(UNKNOWN_TASK, aliceTask), hidden.error());
    }

    @Test
    void bobCannotUpdateAlicesTask() throws Exception {
        assertError(404, bob.put("/arvados/v1/job_tasks/" + aliceTask,
                "{\"job_task\": {\"output\": \"bob was here\", \"success\": true}}"));
        Response unchanged = alice.get("/arvados/v1/job_tasks/" + aliceTask);
        assertTrue(unchanged.body().get("output").isNull(), unchanged.body().toString());
        assertTrue(unchanged.body().get("success").isNull(), unchanged.body().toString());
    }

    @Test
    void bobCannotDeleteAlicesTask() throws Exception {
        assertError(404, bob.delete("/arvados/v1/job_tasks/" + aliceTask));
        assertEquals(200, alice.get("/arvados/v1/job_tasks/" + aliceTask).status());
    }

    @Test
    void bobCannotCreateATaskUnderAlicesJob() throws Exception {
        assertError(403, bob.post("/arvados/v1/job_tasks",
                "{\"job_task\": {\"job_uuid\": \"" + ALICE_JOB + "\", \"sequence\": 1, \"parameters\": {}}}"));
        Response list = alice.get(ApiClient.query("/arvados/v1/job_tasks",
                "filters", "[[\"job_uuid\", \"=\", \"" + ALICE_JOB + "\"]]"));
        assertEquals(1, list.body().get("items").size(), list.body().toString());
    }

    @Test
    void bobCannotMoveHisTaskUnderAlicesJob() throws Exception {
        Response created = bob.post("/arvados/v1/job_tasks",
                "{\"job_task\": {\"job_uuid\": \"" + BOB_JOB + "\", \"sequence\": 1, \"parameters\": {}}}");
        assertEquals(200, created.status(), created.body().toString());
        assertError(403, bob.put("/arvados/v1/job_tasks/" + created.body().get("uuid").asText(),
                "{\"job_task\": {\"job_uuid\": \"" + ALICE_JOB + "\"}}"));
    }

    @Test
    void bobsListShowsNoneOfAlicesTasks() throws Exception {
        Response list = bob.get("/arvados/v1/job_tasks");
        assertEquals(200, list.status(), list.body().toString());
        assertEquals(0, list.body().get("items").size(), list.body().toString());
    }

    @Test
    void bobCannotReadAlicesJob() throws Exception {
        assertError(404, bob.get("/arvados/v1/jobs/" + ALICE_JOB));
    }

    @Test
    void callingTaskOfAnotherUserIsNotFound() throws Exception {
        assertError(404, bob.asTask(aliceTask).get("/arvados/v1/jobs/" + BOB_JOB));
    }

    @Test
    void unknownCallingTaskIsNotFound() throws Exception {
        assertError(404, alice.asTask(UNKNOWN_TASK).get("/arvados/v1/jobs/" + ALICE_JOB));
    }

    @Test
    void unknownTaskUuidIsNotFound() throws Exception {
        assertError(404, alice.get("/arvados/v1/job_tasks/" + UNKNOWN_TASK));
    }

    @Test
    void unknownJobUuidIsNotFound() throws Exception {
        assertError(404, alice.get("/arvados/v1/jobs/zzzzz-8i9sb-nosuchjob000000"));
    }

    @Test
    void unknownPathIsNotFound() throws Exception {
        assertError(404, alice.get("/arvados/v1/collections"));
        assertError(404, alice.get("/arvados/v1/job_tasks/" + aliceTask + "/extra"));
        assertError(404, alice.get("/"));
    }

    @Test
    void unknownPathIsNotFoundEvenWithoutToken() throws Exception {
        assertError(404, new ApiClient(gateway.port(), null).get("/arvados/v1/collections"));
    }

    @Test
    void methodNotAllowedNamesTheAllowedOnes() throws Exception {
        Response onCollection = assertError(405, alice.delete("/arvados/v1/job_tasks"));
        assertEquals("GET, POST", onCollection.header("Allow"));
        Response onMember = assertError(405, alice.post("/arvados/v1/jobs/" + ALICE_JOB, "{}"));
        assertEquals("GET, PUT, PATCH, DELETE", onMember.header("Allow"));
    }

    @Test
    void malformedJsonIsUnprocessable() throws Exception {
        assertError(422, alice.post("/arvados/v1/job_tasks", "{\"job_task\": {\"job_uuid\": "));
        assertError(422, alice.put("/arvados/v1/job_tasks/" + aliceTask, "[1, 2]"));
        assertError(422, alice.put("/arvados/v1/job_tasks/" + aliceTask, ""));
    }

    @Test
    void unknownFieldIsUnprocessable() throws Exception {
        Response response = assertError(422, alice.post("/arvados/v1/job_tasks", "{\"job_task\": {\"job_uuid\": \""
                + ALICE_JOB + "\", \"sequence\": 1, \"colour\": \"red\"}}"));
        assertTrue(response.error().contains("colour"), response.error());
    }

    @Test
    void badFilterIsUnprocessable() throws Exception {
        assertError(422, alice.get(ApiClient.query("/arvados/v1/job_tasks",
                "filters", "[[\"no_such_attribute\", \"=\", \"x\"]]")));
        assertError(422, alice.get(ApiClient.query("/arvados/v1/job_tasks", "filters", "not json")));
        assertError(422, alice.get(ApiClient.query("/arvados/v1/jobs", "limit", "-1")));
    }

    @Test
    void topLevelJobCreateIsUnprocessable() throws Exception {
        Response response = assertError(422, alice.post("/arvados/v1/jobs",
                "{\"job\": {\"script\": \"hash\", \"script_parameters\": {}}}"));
        assertNotNull(response.error());
    }
}
