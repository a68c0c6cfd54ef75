package org.arvados.tasksasjobs.gateway.http;

import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.gateway.Gateway;
import org.arvados.tasksasjobs.gateway.MigratedArvadosExtension;
import org.arvados.tasksasjobs.gateway.http.ApiClient.Response;
import org.arvados.tasksasjobs.mapping.CanonicalJson;
import org.arvados.tasksasjobs.mapping.ParametersDigest;
import org.arvados.tasksasjobs.mapping.PortableDataHash;
import org.arvados.tasksasjobs.mapping.UuidMapping;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The calls a crunch v1 {@code hash} job makes, sent by a plain HTTP client to the gateway's job_tasks endpoint
 * (docs/arvados.md §6): crunch-job creates task 0; task 0 reads its job, creates one task per input file and marks
 * itself done; each child writes its output. Afterwards the jobs table holds task-like jobs per the contract,
 * and job_tasks list and get answer what the old API server answered.
 */
@ExtendWith(MigratedArvadosExtension.class)
class HashJobEndToEndTest {

    private static final String JOB = "zzzzz-8i9sb-hashjob00000001";
    private static final List<String> FILES = List.of("alpha.txt", "beta.txt", "gamma.txt");
    private static final String INPUT = PortableDataHash.of(". " + md5("alpha\nbeta\ngamma\n") + "+17"
            + " 0:6:alpha.txt 6:5:beta.txt 11:6:gamma.txt\n");
    private static final Map<String, Object> JOB_PARAMETERS = Map.of("input", INPUT, "algorithm", "md5");
    private static final String TASK_UUID = "zzzzz-ot0gb-[0-9a-z]{15}";

    @Test
    void hashJobThroughJobTasksLeavesTaskLikeJobsPerTheContract(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosJobs.insertRunning(c, JOB, ALICE, "hash", JOB_PARAMETERS);
        }
        String task0;
        List<String> children = new ArrayList<>();
        Map<String, String> outputs = new LinkedHashMap<>();
        try (Gateway gateway = ArvadosJobs.gateway(db)) {
            ApiClient crunchJob = new ApiClient(gateway.port(), ALICE_TOKEN);

            // crunch-job: the first task of the job.
            Response created = crunchJob.post("/arvados/v1/job_tasks", "{\"job_task\": {\"job_uuid\": \"" + JOB
                    + "\", \"sequence\": 0, \"parameters\": {}}}");
            assertEquals(200, created.status(), created.body().toString());
            assertEquals("arvados#jobTask", created.body().get("kind").asText());
            task0 = created.body().get("uuid").asText();
            assertTrue(task0.matches(TASK_UUID), task0);

            // task 0: read the job's parameters, fan out one task per input file, succeed.
            ApiClient first = crunchJob.asTask(task0);
            Response job = first.get("/arvados/v1/jobs/" + JOB);
            assertEquals(200, job.status(), job.body().toString());
            assertEquals("arvados#job", job.body().get("kind").asText());
            assertEquals(INPUT, job.body().get("script_parameters").get("input").asText());
            assertEquals(task0, first.get("/arvados/v1/job_tasks/" + task0).body().get("uuid").asText());
            for (String file : FILES) {
                Response child = first.post("/arvados/v1/job_tasks", "{\"job_task\": {\"job_uuid\": \"" + JOB
                        + "\", \"sequence\": 1, \"parameters\": {\"input\": \"" + INPUT + "/" + file
                        + "\"}, \"created_by_job_task_uuid\": \"" + task0 + "\"}}");
                assertEquals(200, child.status(), child.body().toString());
                children.add(child.body().get("uuid").asText());
            }
            Response done = first.put("/arvados/v1/job_tasks/" + task0,
                    "{\"job_task\": {\"success\": true, \"progress\": 1.0}}");
            assertEquals(200, done.status(), done.body().toString());

            // each child: read its own task, hash its file, set_output.
            for (int i = 0; i < children.size(); i++) {
                ApiClient child = crunchJob.asTask(children.get(i));
                JsonNode own = child.get("/arvados/v1/job_tasks/" + children.get(i)).body();
                assertEquals(INPUT + "/" + FILES.get(i), own.get("parameters").get("input").asText());
                String digestLine = md5(FILES.get(i)) + " " + FILES.get(i) + "\n";
                String manifest = ". " + md5(digestLine) + "+" + digestLine.length() + " 0:" + digestLine.length()
                        + ":md5sum.txt\n";
                outputs.put(children.get(i), manifest);
                Response set = child.put("/arvados/v1/job_tasks/" + children.get(i), "{\"job_task\": {\"output\": "
                        + ApiClient.JSON.writeValueAsString(manifest) + ", \"success\": true, \"progress\": 1.0}}");
                assertEquals(200, set.status(), set.body().toString());
            }

            assertJobTasksAnswerAsTheOldApi(crunchJob, task0, children, outputs);
        }
        assertTaskLikeJobsFollowTheContract(db, task0, children, outputs);
    }

    /** list (filters job_uuid =, order qsequence) and get, as crunch-job and the SDK called them. */
    private static void assertJobTasksAnswerAsTheOldApi(ApiClient client, String task0, List<String> children,
            Map<String, String> outputs) throws Exception {
        Response list = client.get(ApiClient.query("/arvados/v1/job_tasks",
                "filters", "[[\"job_uuid\", \"=\", \"" + JOB + "\"]]", "order", "[\"qsequence asc\"]"));
        assertEquals(200, list.status(), list.body().toString());
        JsonNode body = list.body();
        assertEquals("arvados#jobTaskList", body.get("kind").asText());
        assertEquals(4, body.get("items_available").asInt());
        assertEquals(0, body.get("offset").asInt());
        assertEquals(100, body.get("limit").asInt());
        JsonNode items = body.get("items");
        assertEquals(4, items.size(), body.toString());

        JsonNode first = items.get(0);
        assertEquals("arvados#jobTask", first.get("kind").asText());
        assertEquals(task0, first.get("uuid").asText());
        assertEquals(JOB, first.get("job_uuid").asText());
        assertEquals(ALICE, first.get("owner_uuid").asText());
        assertEquals(0, first.get("sequence").asInt());
        assertEquals(ApiClient.JSON.readTree("{}"), first.get("parameters"));
        assertTrue(first.get("output").isNull(), first.toString());
        assertTrue(first.get("success").asBoolean(), first.toString());
        assertEquals(1.0, first.get("progress").asDouble());
        assertTrue(first.get("created_by_job_task_uuid").isNull(), first.toString());

        long previousQsequence = first.get("qsequence").asLong();
        for (int i = 0; i < children.size(); i++) {
            JsonNode item = items.get(i + 1);
            assertEquals("arvados#jobTask", item.get("kind").asText());
            assertEquals(children.get(i), item.get("uuid").asText());
            assertEquals(JOB, item.get("job_uuid").asText());
            assertEquals(1, item.get("sequence").asInt());
            assertEquals(ApiClient.JSON.readTree("{\"input\": \"" + INPUT + "/" + FILES.get(i) + "\"}"),
                    item.get("parameters"));
            assertEquals(outputs.get(children.get(i)), item.get("output").asText());
            assertTrue(item.get("success").asBoolean(), item.toString());
            assertEquals(1.0, item.get("progress").asDouble());
            assertEquals(task0, item.get("created_by_job_task_uuid").asText());
            assertTrue(item.get("qsequence").asLong() > previousQsequence, item.toString());
            previousQsequence = item.get("qsequence").asLong();
        }
        for (JsonNode item : items) {
            Response get = client.get("/arvados/v1/job_tasks/" + item.get("uuid").asText());
            assertEquals(200, get.status(), get.body().toString());
            assertEquals(item, get.body(), "get and list render the same task");
        }
    }

    /** The rows themselves: docs/architecture.md "The contract", value by value. */
    private static void assertTaskLikeJobsFollowTheContract(TestDatabase db, String task0, List<String> children,
            Map<String, String> outputs) throws Exception {
        String sql = """
                SELECT uuid, legacy_task_uuid, owner_uuid, script, script_version, repository, docker_image_locator,
                    script_parameters, script_parameters_digest, state, running, success, output, log,
                    created_by_job_uuid, legacy_created_by_task_uuid, task_sequence, task_progress, task_parameters,
                    task_output, nondeterministic, priority
                FROM jobs WHERE parent_job_uuid = ? ORDER BY task_qsequence
                """;
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, JOB);
            try (ResultSet rs = st.executeQuery()) {
                String task0Job = UuidMapping.taskLikeJobUuid(task0);
                assertTrue(rs.next());
                assertRow(rs, task0, Map.of(), null, null, null);
                // Task 0 read its parent's record: impure, never to be reused.
                assertTrue(rs.getBoolean("nondeterministic"), "task 0 read the job record");
                for (int i = 0; i < children.size(); i++) {
                    assertTrue(rs.next());
                    String child = children.get(i);
                    assertRow(rs, child, Map.of("input", INPUT + "/" + FILES.get(i)), outputs.get(child), task0Job,
                            task0);
                    assertFalse(rs.getBoolean("nondeterministic"), "a child read only its own task");
                }
                assertFalse(rs.next());
            }
        }
    }

    private static void assertRow(ResultSet rs, String task, Map<String, Object> taskParameters, String output,
            String createdByJob, String createdByTask) throws Exception {
        assertEquals(UuidMapping.taskLikeJobUuid(task), rs.getString("uuid"));
        assertEquals(task, rs.getString("legacy_task_uuid"));
        assertEquals(ALICE, rs.getString("owner_uuid"));
        assertEquals("hash", rs.getString("script"));
        assertEquals(ArvadosJobs.COMMIT, rs.getString("script_version"));
        assertEquals(ArvadosJobs.REPOSITORY, rs.getString("repository"));
        assertEquals(ArvadosJobs.IMAGE, rs.getString("docker_image_locator"));
        Map<String, Object> merged = new LinkedHashMap<>(JOB_PARAMETERS);
        merged.putAll(taskParameters);
        String canonical = CanonicalJson.write(merged);
        assertEquals(canonical, rs.getString("script_parameters"));
        assertEquals(ParametersDigest.ofCanonical(canonical), rs.getString("script_parameters_digest"));
        assertEquals("Complete", rs.getString("state"));
        assertFalse(rs.getBoolean("running"));
        assertTrue(rs.getBoolean("success"));
        assertEquals(output == null ? null : PortableDataHash.of(output), rs.getString("output"));
        assertEquals(ArvadosJobs.LOG, rs.getString("log"), "a task's stderr lives in its parent's log");
        assertEquals(createdByJob, rs.getString("created_by_job_uuid"));
        assertEquals(createdByTask, rs.getString("legacy_created_by_task_uuid"));
        assertEquals(taskParameters.isEmpty() ? 0 : 1, rs.getInt("task_sequence"));
        assertEquals(1.0, rs.getDouble("task_progress"));
        assertEquals(ApiClient.JSON.valueToTree(taskParameters), ApiClient.JSON.readTree(rs.getString("task_parameters")));
        assertEquals(output, rs.getString("task_output"));
        assertEquals(0, rs.getInt("priority"));
        if (output == null) {
            assertNull(rs.getString("output"));
        }
    }

    private static String md5(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            return String.format("%032x", new BigInteger(1, digest));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
