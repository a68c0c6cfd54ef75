package org.arvados.tasksasjobs.examples.hash;

import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.client.ApiConfig;
import org.arvados.tasksasjobs.client.ApiResource;
import org.arvados.tasksasjobs.client.ArvadosClient;
import org.arvados.tasksasjobs.client.Crunch;
import org.arvados.tasksasjobs.client.CrunchEnvironment;
import org.arvados.tasksasjobs.client.Filter;
import org.arvados.tasksasjobs.client.LocalKeep;
import org.arvados.tasksasjobs.client.Task;
import org.arvados.tasksasjobs.client.TaskSubmission;
import org.arvados.tasksasjobs.gateway.Gateway;
import org.arvados.tasksasjobs.gateway.GatewaySettings;
import org.arvados.tasksasjobs.gateway.MigratedArvadosExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.arvados.tasksasjobs.yaml.SnakeYamlDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hash job end to end over real HTTP and PostgreSQL: run once the old way (plain HTTP through job_tasks)
 * and once through the client library and the ported script (the jobs endpoint), each in a fresh migrated
 * database; both leave the same task-like jobs. Then reuse: a second job submitting the same tasks gets the
 * finished ones back, except the impure one.
 */
@ExtendWith(MigratedArvadosExtension.class)
class HashThroughTheShimTest {

    private static final String JOB = "zzzzz-8i9sb-hashjob00000001";
    private static final String SECOND_JOB = "zzzzz-8i9sb-hashjob00000002";

    @TempDir
    Path keepDirectory;

    @Test
    void theClientLibraryLeavesTheRowsTheOldApiLeft(TestDatabase old, TestDatabase shim) throws Exception {
        LocalKeep keep = HashJobs.keep(keepDirectory);
        String input = HashJobs.putInput(keep);
        Map<String, Object> parameters = Map.of("input", input, "algorithm", "md5");

        try (Connection c = old.connect()) {
            HashJobs.insertRunning(c, JOB, ALICE, parameters);
        }
        try (Gateway gateway = gateway(old)) {
            new OldApiHashJob(gateway.port(), ALICE_TOKEN, keep).run(JOB);
        }

        try (Connection c = shim.connect()) {
            HashJobs.insertRunning(c, JOB, ALICE, parameters);
        }
        List<String> outputs;
        try (Gateway gateway = gateway(shim)) {
            outputs = runWithClientLibrary(gateway, keep, JOB);
        }

        try (Connection o = old.connect(); Connection s = shim.connect()) {
            List<Map<String, Object>> expected = HashJobs.taskLikeJobs(o, JOB);
            List<Map<String, Object>> actual = HashJobs.taskLikeJobs(s, JOB);
            assertEquals(1 + HashJobs.FILES.size(), expected.size());
            assertEquals(expected, actual);
            for (Map<String, Object> task : actual.subList(1, actual.size())) {
                assertEquals("Complete", task.get("state"));
                assertEquals(true, task.get("uuid_derived"));
                assertEquals(true, task.get("creator_consistent"));
                assertEquals("{}", task.get("creator_parameters"));
                assertTrue(outputs.contains((String) task.get("task_output")), task.toString());
            }
            // Purity: the ported script's task 0 read the job (impure); its children read only their own
            // task-like jobs. The old script sent no task header, so nothing could be marked.
            assertEquals(List.of(true, false, false, false), List.copyOf(HashJobs.impurity(s, JOB).values()));
            assertEquals(List.of(false, false, false, false), List.copyOf(HashJobs.impurity(o, JOB).values()));
        }
    }

    @Test
    void aSecondJobReusesTheFinishedPureTasks(TestDatabase db) throws Exception {
        LocalKeep keep = HashJobs.keep(keepDirectory);
        Map<String, Object> parameters = Map.of("input", HashJobs.putInput(keep), "algorithm", "md5");
        try (Connection c = db.connect()) {
            HashJobs.insertRunning(c, JOB, ALICE, parameters);
            HashJobs.insertRunning(c, SECOND_JOB, ALICE, parameters);
        }
        try (Gateway gateway = gateway(db)) {
            runWithClientLibrary(gateway, keep, JOB);
            ArvadosClient crunchJob = new ArvadosClient(api(gateway));
            List<Task> finished = children(crunchJob, JOB);

            // While the first job runs, its tasks have no log (a task's log is its job's): nothing is reused.
            Task secondTask0 = createTask0(crunchJob, SECOND_JOB);
            Crunch second = crunch(gateway, SECOND_JOB, secondTask0.legacyTaskUuid());
            TaskSubmission early = second.createChildTask(finished.get(0).taskParameters(), 1);
            assertFalse(early.reused());
            crunchJob.delete(ApiResource.JOBS, early.task().uuid());

            try (Connection c = db.connect()) {
                HashJobs.complete(c, JOB);
            }
            for (Task done : finished) {
                TaskSubmission again = second.createChildTask(done.taskParameters(), 1);
                assertTrue(again.reused(), "expected " + done.uuid() + " to be reused");
                assertEquals(done.uuid(), again.task().uuid());
                assertEquals(done.taskOutput(), again.task().taskOutput());
            }
            // A finished task that reads its job's record becomes impure, and is never reused again.
            Task impure = finished.get(2);
            crunch(gateway, JOB, impure.legacyTaskUuid()).currentJob();
            TaskSubmission fresh = second.createChildTask(impure.taskParameters(), 1);
            assertFalse(fresh.reused());
            assertNotEquals(impure.uuid(), fresh.task().uuid());

            // Two finished tasks that disagree on their output: neither is reused.
            Task one = finished.get(1);
            try (Connection c = db.connect(); var st = c.prepareStatement("""
                    INSERT INTO jobs (uuid, owner_uuid, created_at, modified_at, updated_at, script, script_version,
                        repository, script_parameters, script_parameters_digest, docker_image_locator, state, running,
                        success, output, log, priority, nondeterministic, parent_job_uuid, legacy_task_uuid,
                        task_sequence, task_parameters, task_output)
                    SELECT 'zzzzz-8i9sb-conflicting0001', owner_uuid, created_at + interval '1 second',
                        modified_at, updated_at, script, script_version, repository, script_parameters,
                        script_parameters_digest, docker_image_locator, state, running, success,
                        'acbd18db4cc2f85cedef654fccc4a4d8+3', log, priority, nondeterministic, parent_job_uuid,
                        'zzzzz-ot0gb-conflicting0001', task_sequence, task_parameters, task_output
                    FROM jobs WHERE uuid = ?
                    """)) {
                st.setString(1, one.uuid());
                assertEquals(1, st.executeUpdate());
            }
            TaskSubmission conflicted = second.createChildTask(one.taskParameters(), 1);
            assertFalse(conflicted.reused());
            assertNotEquals(one.uuid(), conflicted.task().uuid());
            assertNull(conflicted.task().taskOutput());
        }
    }

    /** crunch-job creates task 0, the ported script runs as every task; returns the children's outputs. */
    private List<String> runWithClientLibrary(Gateway gateway, LocalKeep keep, String job) throws Exception {
        ArvadosClient crunchJob = new ArvadosClient(api(gateway));
        String task0 = createTask0(crunchJob, job).legacyTaskUuid();
        assertNull(new Hash(crunch(gateway, job, task0), keep).run());
        List<String> outputs = new ArrayList<>();
        for (Task child : children(crunchJob, job)) {
            outputs.add(new Hash(crunch(gateway, job, child.legacyTaskUuid()), keep).run());
        }
        return outputs;
    }

    private static Task createTask0(ArvadosClient crunchJob, String job) {
        Map<String, Object> task0 = new HashMap<>();
        task0.put("parent_job_uuid", job);
        task0.put("task_sequence", 0);
        task0.put("task_parameters", Map.of());
        return Task.of(crunchJob.create(ApiResource.JOBS, task0, false).object());
    }

    private static List<Task> children(ArvadosClient client, String job) {
        return children(client, job, 1);
    }

    private static List<Task> children(ArvadosClient client, String job, int sequence) {
        return client.list(ApiResource.JOBS, List.of(Filter.eq("parent_job_uuid", job), Filter.eq("task_sequence", sequence)),
                List.of("task_qsequence asc"), null, 0).items().stream().map(Task::of).toList();
    }

    private static Crunch crunch(Gateway gateway, String job, String task) {
        return Crunch.fromEnvironment(CrunchEnvironment.fromMap(Map.of(
                "JOB_UUID", job,
                "TASK_UUID", task,
                "ARVADOS_API_HOST", "http://127.0.0.1:" + gateway.port(),
                "ARVADOS_API_TOKEN", ALICE_TOKEN)));
    }

    private static ApiConfig api(Gateway gateway) {
        return ApiConfig.fromEnvironment(Map.of(
                "ARVADOS_API_HOST", "http://127.0.0.1:" + gateway.port(),
                "ARVADOS_API_TOKEN", ALICE_TOKEN));
    }

    private static Gateway gateway(TestDatabase db) throws Exception {
        return Gateway.start(GatewaySettings.of(db.jdbcUrl(), db.user(), db.password(), new SnakeYamlDecoder()).withThreads(4));
    }
}
