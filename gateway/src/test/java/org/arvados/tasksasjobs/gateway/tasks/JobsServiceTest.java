package org.arvados.tasksasjobs.gateway.tasks;

import static org.arvados.tasksasjobs.gateway.tasks.GatewayRows.ADMIN;
import static org.arvados.tasksasjobs.gateway.tasks.GatewayRows.ALICE;
import static org.arvados.tasksasjobs.gateway.tasks.GatewayRows.ALICE_JOB;
import static org.arvados.tasksasjobs.gateway.tasks.GatewayRows.ALICE_OTHER_JOB;
import static org.arvados.tasksasjobs.gateway.tasks.GatewayRows.BOB;
import static org.arvados.tasksasjobs.gateway.tasks.GatewayRows.BOB_JOB;
import static org.arvados.tasksasjobs.gateway.tasks.GatewayRows.INPUT;
import static org.arvados.tasksasjobs.gateway.tasks.GatewayRows.LOG;
import static org.arvados.tasksasjobs.gateway.tasks.GatewayRows.MANIFEST;
import static org.arvados.tasksasjobs.gateway.tasks.GatewayRows.calling;
import static org.arvados.tasksasjobs.gateway.tasks.GatewayRows.json;
import static org.arvados.tasksasjobs.gateway.tasks.JobTasksServiceTest.uuids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.gateway.ArvadosUsers;
import org.arvados.tasksasjobs.gateway.MigratedArvadosExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

@ExtendWith(MigratedArvadosExtension.class)
class JobsServiceTest {

    private static final String OTHER_MANIFEST = ". acbd18db4cc2f85cedef654fccc4a4d8+3 0:3:out.txt\n";

    private static GatewayException refused(int status, Executable call) {
        GatewayException e = assertThrows(GatewayException.class, call);
        assertEquals(status, e.status(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    private static JsonNode job(String attributes) {
        return json("{\"job\": {" + attributes + "}}");
    }

    /** A task-like job body under {@code parent} with the given input, Complete with {@code output} when it is not null. */
    private static JsonNode taskJob(String parent, String input, String output, boolean findOrCreate) throws Exception {
        String done = output == null ? "" : ", \"state\": \"Complete\", \"task_output\": " + GatewayRows.JSON.writeValueAsString(output);
        return json("{\"find_or_create\": " + findOrCreate + ", \"job\": {\"parent_job_uuid\": \"" + parent
                + "\", \"task_parameters\": {\"input\": \"" + input + "\"}" + done + "}}");
    }

    private static String uuidOf(Created created) {
        return created.object().get("uuid").asText();
    }

    @Test
    void bothEndpointsWriteTheSameRowForTheSameTask(TestDatabase db) throws Exception {
        GatewayRows rows = new GatewayRows(db);
        rows.job(ALICE_JOB, ArvadosUsers.ALICE, "{\"reference\":\"hg19\"}");
        String output = GatewayRows.JSON.writeValueAsString(MANIFEST);

        ObjectNode viaTasks = rows.tasks().create(ALICE, json("{\"job_task\": {\"job_uuid\": \"" + ALICE_JOB + "\", \"sequence\": 1,"
                + " \"qsequence\": 7, \"parameters\": {\"input\": \"" + INPUT + "\", \"n\": 1}, \"output\": " + output + ","
                + " \"success\": true, \"progress\": 1.0, \"started_at\": \"2016-03-01T12:00:01Z\", \"finished_at\": \"2016-03-01T12:00:02Z\"}}"));
        Created viaJobs = rows.jobs().create(ALICE, job("\"parent_job_uuid\": \"" + ALICE_JOB + "\", \"task_sequence\": 1,"
                + " \"task_qsequence\": 7, \"task_parameters\": {\"n\": 1, \"input\": \"" + INPUT + "\"}, \"task_output\": " + output + ","
                + " \"state\": \"Complete\", \"task_progress\": 1.0, \"started_at\": \"2016-03-01T12:00:01Z\","
                + " \"finished_at\": \"2016-03-01T12:00:02Z\""));

        assertFalse(viaJobs.reused());
        Map<String, Object> a = rows.row("zzzzz-8i9sb-" + viaTasks.get("uuid").asText().substring(12));
        Map<String, Object> b = rows.row(uuidOf(viaJobs));
        for (String key : List.of("id", "uuid", "legacy_task_uuid", "legacy_task_id")) {
            assertNotEquals(a.remove(key), b.remove(key), key);
        }
        assertEquals(a, b);
        assertEquals("Complete", b.get("state"));
    }

    @Test
    void getShowsEveryColumnOfAJobWithSerializedHashesAsObjects(TestDatabase db) throws Exception {
        GatewayRows rows = new GatewayRows(db);
        rows.job(ALICE_JOB, ArvadosUsers.ALICE, "---\nreference: hg19\n");
        JobsService jobs = rows.jobs();

        ObjectNode parent = jobs.get(ALICE, ALICE_JOB);

        assertEquals("arvados#job", parent.get("kind").asText());
        assertFalse(parent.has("id"));
        assertEquals(JobColumns.ALL.size() + 1, parent.size());
        assertEquals("hg19", parent.get("script_parameters").get("reference").asText());
        assertTrue(parent.get("runtime_constraints").isObject());
        assertEquals("not a hash", parent.get("tasks_summary").asText(), "unreadable: shown as its text");
        assertTrue(parent.get("components").isObject() && parent.get("components").isEmpty(), "NULL reads as {}");
        assertEquals("2016-03-01T12:00:00.000000000Z", parent.get("created_at").asText());
        assertTrue(parent.get("parent_job_uuid").isNull());

        String task = rows.tasks().create(ALICE, json("{\"job_task\": {\"job_uuid\": \"" + ALICE_JOB + "\", \"parameters\": {\"a\": [1]}}}"))
                .get("uuid").asText();
        ObjectNode byJobUuid = jobs.get(ALICE, "zzzzz-8i9sb-" + task.substring(12));
        assertEquals(byJobUuid, jobs.get(ALICE, task));
        assertEquals(task, byJobUuid.get("legacy_task_uuid").asText());
        assertEquals(ALICE_JOB, byJobUuid.get("parent_job_uuid").asText());
        assertEquals(1, byJobUuid.get("task_parameters").get("a").get(0).asInt());
    }

    @Test
    void readsAreLimitedToWhatTheCallerOwns(TestDatabase db) throws Exception {
        GatewayRows rows = new GatewayRows(db);
        rows.job(ALICE_JOB, ArvadosUsers.ALICE, "{}");
        rows.job(BOB_JOB, ArvadosUsers.BOB, "{}");
        JobsService jobs = rows.jobs();
        String alicesTask = uuidOf(jobs.create(ALICE, taskJob(ALICE_JOB, "a", null, false)));

        refused(404, () -> jobs.get(BOB, ALICE_JOB));
        refused(404, () -> jobs.get(BOB, alicesTask));
        refused(404, () -> jobs.update(BOB, alicesTask, job("\"task_progress\": 0.5")));
        refused(404, () -> jobs.delete(BOB, alicesTask));
        refused(403, () -> jobs.create(BOB, taskJob(ALICE_JOB, "a", null, true)));
        refused(404, () -> jobs.get(ALICE, "zzzzz-8i9sb-nosuchjob000001"));

        assertEquals(List.of(BOB_JOB), uuids(jobs.list(BOB, ListQuery.NONE)));
        assertEquals(2, jobs.list(ALICE, ListQuery.NONE).get("items_available").asInt());
        assertEquals(3, jobs.list(ADMIN, ListQuery.NONE).get("items_available").asInt());
        assertEquals(ALICE_JOB, jobs.get(ADMIN, ALICE_JOB).get("uuid").asText());
    }

    @Test
    void listTakesColumnFiltersWhereOrderLimitOffsetSelectAndCount(TestDatabase db) throws Exception {
        GatewayRows rows = new GatewayRows(db);
        rows.job(ALICE_JOB, ArvadosUsers.ALICE, "{}");
        rows.job(ALICE_OTHER_JOB, ArvadosUsers.ALICE, "{\"reference\":\"hg19\"}");
        JobsService jobs = rows.jobs();
        String t1 = uuidOf(jobs.create(ALICE, job("\"parent_job_uuid\": \"" + ALICE_JOB + "\", \"task_sequence\": 1")));
        String t2 = uuidOf(jobs.create(ALICE, job("\"parent_job_uuid\": \"" + ALICE_JOB + "\", \"task_sequence\": 2")));

        ObjectNode topLevel = jobs.list(ALICE, new ListQuery(null, "{\"parent_job_uuid\": null}", "uuid desc", null, null,
                "[\"uuid\"]", "none"));
        assertEquals(List.of(ALICE_OTHER_JOB, ALICE_JOB), uuids(topLevel));
        assertFalse(topLevel.has("items_available"));
        assertEquals(2, topLevel.get("items").get(0).size(), "kind and uuid");

        ObjectNode tasks = jobs.list(ALICE, new ListQuery("[[\"parent_job_uuid\", \"=\", \"" + ALICE_JOB + "\"], [\"task_sequence\", \">=\", 1]]",
                null, "[\"task_sequence desc\"]", "1", "1", null, null));
        assertEquals(List.of(t1), uuids(tasks));
        assertEquals(2, tasks.get("items_available").asInt());
        assertEquals(List.of(t2, t1), uuids(jobs.list(ALICE, new ListQuery("[[\"uuid\", \"is_a\", \"arvados#job\"], [\"task_sequence\", \"in\", [1, 2]]]",
                null, "task_sequence desc", null, null, null, null))));
        assertEquals(List.of(ALICE_OTHER_JOB), uuids(jobs.list(ALICE, new ListQuery("[[\"script_parameters\", \"like\", \"%hg19%\"]]",
                null, null, null, null, null, null))));

        refused(422, () -> jobs.list(ALICE, new ListQuery("[[\"script_parameters\", \"=\", \"{}\"]]", null, null, null, null, null, null)));
        refused(422, () -> jobs.list(ALICE, new ListQuery("[[\"job_uuid\", \"=\", \"x\"]]", null, null, null, null, null, null)));
        refused(422, () -> jobs.list(ALICE, new ListQuery(null, null, "[\"nosuch desc\"]", null, null, null, null)));
        refused(422, () -> jobs.list(ALICE, new ListQuery(null, null, null, null, null, "[\"parameters\"]", null)));
        refused(422, () -> jobs.list(ALICE, new ListQuery(null, null, null, "1.5", null, null, null)));
    }

    @Test
    void writesOfTopLevelJobsAndAttributesOfTheParentAreRefused(TestDatabase db) throws Exception {
        GatewayRows rows = new GatewayRows(db);
        rows.job(ALICE_JOB, ArvadosUsers.ALICE, "{}");
        JobsService jobs = rows.jobs();
        String task = uuidOf(jobs.create(ALICE, taskJob(ALICE_JOB, "a", null, false)));

        assertEquals("the gateway creates task-like jobs only; submit jobs to the Arvados API server",
                refused(422, () -> jobs.create(ALICE, job("\"task_sequence\": 1"))).getMessage());
        assertTrue(refused(422, () -> jobs.create(ALICE, job("\"parent_job_uuid\": \"" + ALICE_JOB + "\", \"script_parameters\": {}")))
                .getMessage().contains("job.script_parameters comes from the parent job"));
        refused(422, () -> jobs.create(ALICE, job("\"parent_job_uuid\": \"" + ALICE_JOB + "\", \"bogus\": 1")));
        refused(422, () -> jobs.create(ALICE, job("\"parent_job_uuid\": \"" + ALICE_JOB + "\", \"state\": \"Cancelled\"")));
        refused(422, () -> jobs.create(ALICE, json("{\"find_or_create\": \"yes\", \"job\": {\"parent_job_uuid\": \"" + ALICE_JOB + "\"}}")));
        refused(422, () -> jobs.create(ALICE, job("\"parent_job_uuid\": \"zzzzz-8i9sb-nosuchjob000001\"")));
        refused(422, () -> jobs.update(ALICE, task, job("\"parent_job_uuid\": \"" + ALICE_JOB + "\"")));
        assertEquals("a task's impurity cannot be cleared (job.nondeterministic may only be set to true)",
                refused(422, () -> jobs.update(ALICE, task, job("\"nondeterministic\": false"))).getMessage());
        assertTrue(refused(403, () -> jobs.update(ALICE, ALICE_JOB, job("\"task_progress\": 1"))).getMessage()
                .startsWith("top-level jobs are updated by the Arvados API server"));
        refused(403, () -> jobs.delete(ALICE, ALICE_JOB));

        ObjectNode deleted = jobs.delete(ALICE, task);
        assertEquals(task, deleted.get("uuid").asText());
        refused(404, () -> jobs.get(ALICE, task));
    }

    @Test
    void readingTheParentJobMarksTheCallingTaskImpure(TestDatabase db) throws Exception {
        GatewayRows rows = new GatewayRows(db);
        rows.job(ALICE_JOB, ArvadosUsers.ALICE, "{}");
        rows.job(ALICE_OTHER_JOB, ArvadosUsers.ALICE, "{}");
        JobsService jobs = rows.jobs();
        String reader = rows.tasks().create(ALICE, json("{\"job_task\": {\"job_uuid\": \"" + ALICE_JOB + "\"}}")).get("uuid").asText();
        String pure = uuidOf(jobs.create(ALICE, taskJob(ALICE_JOB, "b", null, false)));
        String readerJob = "zzzzz-8i9sb-" + reader.substring(12);

        jobs.get(calling(ALICE, pure), pure);
        jobs.get(calling(ALICE, pure), ALICE_OTHER_JOB);
        jobs.list(calling(ALICE, pure), new ListQuery(null, "{\"uuid\": \"" + ALICE_OTHER_JOB + "\"}", null, null, null, null, null));
        rows.tasks().get(calling(ALICE, pure), reader);
        assertNull(rows.row(pure).get("nondeterministic"), "its own record, another job, and tasks are pure reads");

        jobs.get(calling(ALICE, reader), ALICE_JOB);
        assertEquals(Boolean.TRUE, rows.row(readerJob).get("nondeterministic"));

        jobs.list(calling(ALICE, pure), new ListQuery("[[\"uuid\", \"in\", [\"" + ALICE_JOB + "\"]]]", null, null, null, null,
                "[\"script\"]", null));
        assertEquals(Boolean.TRUE, rows.row(pure).get("nondeterministic"), "a list that returns the parent marks too");

        // A refused read marks nothing.
        rows.job(BOB_JOB, ArvadosUsers.BOB, "{}");
        String bobs = uuidOf(jobs.create(BOB, taskJob(BOB_JOB, "c", null, false)));
        refused(404, () -> jobs.get(calling(BOB, bobs), ALICE_JOB));
        assertNull(rows.row(bobs).get("nondeterministic"));
    }

    @Test
    void anImpureTaskStaysImpureThroughLaterUpdates(TestDatabase db) throws Exception {
        GatewayRows rows = new GatewayRows(db);
        rows.job(ALICE_JOB, ArvadosUsers.ALICE, "{}");
        JobsService jobs = rows.jobs();
        String task = uuidOf(jobs.create(ALICE, taskJob(ALICE_JOB, "a", null, false)));

        assertTrue(jobs.update(ALICE, task, job("\"nondeterministic\": true")).get("nondeterministic").asBoolean());
        String legacy = rows.row(task).get("legacy_task_uuid").toString();
        rows.tasks().update(ALICE, legacy, json("{\"job_task\": {\"progress\": 0.5, \"parameters\": {\"input\": \"b\"}}}"));
        jobs.update(ALICE, task, job("\"state\": \"Complete\", \"task_output\": \"\""));

        Map<String, Object> row = rows.row(task);
        assertEquals(Boolean.TRUE, row.get("nondeterministic"));
        assertEquals("Complete", row.get("state"));
        assertEquals(0.5, row.get("task_progress"));
    }

    @Test
    void findOrCreateReusesACompleteIdenticalTaskOnceItsParentHasALog(TestDatabase db) throws Exception {
        GatewayRows rows = new GatewayRows(db);
        rows.job(ALICE_JOB, ArvadosUsers.ALICE, "{\"reference\":\"hg19\"}");
        rows.job(ALICE_OTHER_JOB, ArvadosUsers.ALICE, "{\"reference\":\"hg19\"}");
        JobsService jobs = rows.jobs();
        // Created while its parent ran: no log of its own, ever.
        String done = uuidOf(jobs.create(ALICE, taskJob(ALICE_JOB, INPUT, MANIFEST, false)));
        assertNull(rows.row(done).get("log"));
        rows.execute("UPDATE jobs SET state = 'Complete', log = ? WHERE uuid = ?", LOG, ALICE_JOB);

        Created again = jobs.create(ALICE, taskJob(ALICE_OTHER_JOB, INPUT, null, true));

        assertTrue(again.reused());
        assertEquals(done, uuidOf(again));
        assertEquals(rows.jobs().get(ALICE, done), again.object());
        assertFalse(jobs.create(ALICE, taskJob(ALICE_OTHER_JOB, "another input", null, true)).reused());
        assertFalse(jobs.create(ALICE, taskJob(ALICE_OTHER_JOB, INPUT, null, false)).reused(), "find_or_create defaults to false");
    }

    @Test
    void findOrCreateDoesNotReuseAnImpureTask(TestDatabase db) throws Exception {
        GatewayRows rows = new GatewayRows(db);
        rows.job(ALICE_JOB, ArvadosUsers.ALICE, "{}", "Complete", LOG);
        JobsService jobs = rows.jobs();
        String done = uuidOf(jobs.create(ALICE, taskJob(ALICE_JOB, INPUT, MANIFEST, false)));
        jobs.update(ALICE, done, job("\"nondeterministic\": true"));

        Created again = jobs.create(ALICE, taskJob(ALICE_JOB, INPUT, null, true));

        assertFalse(again.reused());
        assertNotEquals(done, uuidOf(again));
    }

    @Test
    void findOrCreateDoesNotReuseWhenCompleteTasksDisagreeOnOutput(TestDatabase db) throws Exception {
        GatewayRows rows = new GatewayRows(db);
        rows.job(ALICE_JOB, ArvadosUsers.ALICE, "{}", "Complete", LOG);
        JobsService jobs = rows.jobs();
        jobs.create(ALICE, taskJob(ALICE_JOB, INPUT, MANIFEST, false));
        jobs.create(ALICE, taskJob(ALICE_JOB, INPUT, OTHER_MANIFEST, false));

        assertFalse(jobs.create(ALICE, taskJob(ALICE_JOB, INPUT, null, true)).reused());
    }

    @Test
    void findOrCreateNeverHandsAUserAnotherUsersWork(TestDatabase db) throws Exception {
        GatewayRows rows = new GatewayRows(db);
        rows.job(ALICE_JOB, ArvadosUsers.ALICE, "{}", "Complete", LOG);
        rows.job(BOB_JOB, ArvadosUsers.BOB, "{}", "Complete", LOG);
        JobsService jobs = rows.jobs();
        String alices = uuidOf(jobs.create(ALICE, taskJob(ALICE_JOB, INPUT, MANIFEST, false)));

        assertFalse(jobs.create(BOB, taskJob(BOB_JOB, INPUT, null, true)).reused());
        Created byAdmin = jobs.create(ADMIN, taskJob(BOB_JOB, INPUT, null, true));
        assertTrue(byAdmin.reused());
        assertEquals(alices, uuidOf(byAdmin));
    }

    @Test
    void createdByJobUuidNamesTheCreatingTaskEitherWay(TestDatabase db) throws Exception {
        GatewayRows rows = new GatewayRows(db);
        rows.job(ALICE_JOB, ArvadosUsers.ALICE, "{}");
        JobsService jobs = rows.jobs();
        String first = uuidOf(jobs.create(ALICE, taskJob(ALICE_JOB, "0", null, false)));
        String legacy = rows.row(first).get("legacy_task_uuid").toString();

        ObjectNode child = jobs.create(ALICE, job("\"parent_job_uuid\": \"" + ALICE_JOB + "\", \"created_by_job_uuid\": \"" + first + "\"")).object();
        ObjectNode child2 = jobs.create(ALICE, job("\"parent_job_uuid\": \"" + ALICE_JOB + "\", \"created_by_job_uuid\": \"" + legacy + "\"")).object();

        assertEquals(first, child.get("created_by_job_uuid").asText());
        assertEquals(legacy, child.get("legacy_created_by_task_uuid").asText());
        assertEquals(legacy, child2.get("legacy_created_by_task_uuid").asText());
        refused(422, () -> jobs.create(ALICE, job("\"parent_job_uuid\": \"" + ALICE_JOB + "\", \"created_by_job_uuid\": \"" + ALICE_JOB + "\"")));

        jobs.update(ALICE, first, job("\"state\": \"Failed\""));
        refused(404, () -> jobs.get(ALICE, child.get("uuid").asText()));
    }
}
