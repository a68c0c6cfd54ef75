package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDateTime;
import org.arvados.tasksasjobs.changelog.BaselineSchema;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code savings} on a history built by hand, whose answers are worked out in the comments: reuse across jobs and
 * within one, after a failure, twins that disagree, a task still running, an impure script, parameters that differ
 * only by an inherited key; and the same report before and after the migration, here and on seeded data.
 */
@ExtendWith(FreshDatabaseExtension.class)
class SavingsCommandTest {

    private static final String M1 = ". 37b51d194a7513e45b56f6524f2d51f2+3 0:3:one.txt\n";
    private static final String M2 = ". 37b51d194a7513e45b56f6524f2d51f2+3 0:3:two.txt\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void reportsWhatReuseWouldHaveSavedOnAKnownHistoryBeforeAndAfterTheMigration(TestDatabase db) throws Exception {
        history(db);
        Path impure = Files.writeString(dir.resolve("impure"), "# never reuse these\nimpure_script\n");

        JsonNode before = savings(db, "--impure", impure.toString());
        // Every task: 13, 11.75 hours (the running one counts with 0).
        assertEquals(13, before.get("tasks").asInt(), before.toString());
        assertEquals(11.75, before.get("task_hours").asDouble(), 1e-9);
        // A2 reuses A1/A3 of another job (2 h); A4, failed itself, would have reused them within its job (0.5 h).
        // Not reusable: F2 (its twin failed), D3 (its twins disagree), R1 (running), P1 (another parent input).
        assertEquals(2, before.at("/reusable/tasks").asInt(), before.toString());
        assertEquals(2.5, before.at("/reusable/task_hours").asDouble(), 1e-9);
        assertEquals(1, before.at("/reusable/from_other_jobs/tasks").asInt());
        assertEquals(2.0, before.at("/reusable/from_other_jobs/task_hours").asDouble(), 1e-9);
        assertEquals(1, before.at("/reusable/within_job/tasks").asInt());
        assertEquals(0.5, before.at("/reusable/within_job/task_hours").asDouble(), 1e-9);
        // I2 has a finished twin, but its script is impure: reported apart, never a saving.
        assertEquals(2, before.at("/impure/tasks").asInt());
        assertEquals(2.0, before.at("/impure/task_hours").asDouble(), 1e-9);
        assertEquals("hash", before.at("/by_script/0/script").asText());
        assertEquals(11, before.at("/by_script/0/tasks").asInt());
        assertEquals(2.5, before.at("/by_script/0/reusable_task_hours").asDouble(), 1e-9);
        assertEquals("impure_script", before.at("/by_script/1/script").asText());
        assertEquals(0, before.at("/by_script/1/reusable_tasks").asInt());
        assertEquals("2016-01", before.at("/by_month/0/month").asText());
        assertEquals(8, before.at("/by_month/0/tasks").asInt());
        assertEquals(7.75, before.at("/by_month/0/task_hours").asDouble(), 1e-9);
        assertEquals("2016-02", before.at("/by_month/1/month").asText());
        assertEquals(0.0, before.at("/by_month/1/task_hours").asDouble(), 1e-9);
        assertEquals(4, before.get("by_month").size());

        // Inheriting no parent key, P1 is the twin of A1..A3 whatever its job's input: one more saving.
        Path policy = Files.writeString(dir.resolve("policy.json"), "{\"hash\": []}");
        JsonNode narrowed = savings(db, "--impure", impure.toString(), "--inherit-policy", policy.toString());
        assertEquals(2, narrowed.at("/reusable/from_other_jobs/tasks").asInt(), narrowed.toString());
        assertEquals(3.0, narrowed.at("/reusable/from_other_jobs/task_hours").asDouble(), 1e-9);

        // A range counts only the tasks created in it; their twins are found before it.
        JsonNode firstDay = savings(db, "--impure", impure.toString(), "--since", "2016-01-01", "--until",
                "2016-01-02");
        assertEquals(6, firstDay.get("tasks").asInt(), firstDay.toString());
        assertEquals(2, firstDay.at("/reusable/tasks").asInt());

        assertEquals(ExitCode.OK, run("migrate", "--url", db.jdbcUrl()).exitCode());
        assertEquals(before, savings(db, "--impure", impure.toString()));
        // The task-like jobs carry the policy the migration used (here, every key): another one cannot apply.
        Cli.Run late = run("savings", "--url", db.jdbcUrl(), "--inherit-policy", policy.toString());
        assertEquals(ExitCode.USAGE, late.exitCode(), late.err());
        assertTrue(late.err().contains("--inherit-policy"), late.err());
    }

    @Test
    void aMigrationWithAnInheritPolicyGivesTheReportThatPolicyGaveBefore(TestDatabase db) throws Exception {
        history(db);
        Path policy = Files.writeString(dir.resolve("policy.json"), "{\"hash\": []}");
        JsonNode before = savings(db, "--inherit-policy", policy.toString());
        assertEquals(ExitCode.OK, run("migrate", "--url", db.jdbcUrl(), "--inherit-policy", policy.toString())
                .exitCode());
        assertEquals(before, savings(db));
    }

    @Test
    void seededHistoryGivesTheSameReportBeforeAndAfterTheMigration(TestDatabase db) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "300", "--tasks-per-job", "8")
                .exitCode());
        JsonNode before = savings(db);
        assertTrue(before.get("tasks").asInt() > 1000, before.toString());
        assertEquals(ExitCode.OK, run("migrate", "--url", db.jdbcUrl()).exitCode());
        assertEquals(before, savings(db));
    }

    @Test
    void refusesARangeThatEndsBeforeItStarts(TestDatabase db) {
        Cli.Run refused = run("savings", "--url", db.jdbcUrl(), "--since", "2016-02-01", "--until", "2016-01-01");
        assertEquals(ExitCode.USAGE, refused.exitCode());
        assertTrue(refused.err().contains("--since"), refused.err());
    }

    private JsonNode savings(TestDatabase db, String... options) throws Exception {
        Path json = Files.createTempFile(dir, "savings", ".json");
        String[] args = new String[options.length + 5];
        args[0] = "savings";
        args[1] = "--url";
        args[2] = db.jdbcUrl();
        args[3] = "--json-file";
        args[4] = json.toString();
        System.arraycopy(options, 0, args, 5, options.length);
        Cli.Run savings = run(args);
        assertEquals(ExitCode.OK, savings.exitCode(), savings.err());
        assertTrue(savings.out().contains("reusable"), savings.out());
        return JSON.readTree(json.toFile());
    }

    /** Five jobs and thirteen tasks; times are 2016, UTC. */
    static void history(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            BaselineSchema.apply(c);
            job(c, "zzzzz-8i9sb-job000000000001", "hash", "{\"input\":\"a\"}");
            job(c, "zzzzz-8i9sb-job000000000002", "hash", "{\"input\":\"a\"}");
            job(c, "zzzzz-8i9sb-job000000000003", "impure_script", "{\"input\":\"a\"}");
            job(c, "zzzzz-8i9sb-job000000000004", "hash", "{\"input\":\"z\"}");
            job(c, "zzzzz-8i9sb-job000000000005", "hash", "{\"input\":\"d\"}");
            // A1, A3 finish in job 1 before A2 (job 2) and A4 (job 1, failed) start; A3 started before A1 ended.
            task(c, "a1", 1, "{\"n\":1}", at(1, 1, 10, 0), at(1, 1, 11, 0), true, M1);
            task(c, "a3", 1, "{\"n\":1}", at(1, 1, 10, 30), at(1, 1, 10, 45), true, M1);
            task(c, "a4", 1, "{\"n\":1}", at(1, 1, 11, 30), at(1, 1, 12, 0), false, null);
            task(c, "a2", 2, "{\"n\":1}", at(1, 1, 12, 0), at(1, 1, 14, 0), true, M1);
            // F2's only twin failed.
            task(c, "f1", 2, "{\"n\":2}", at(1, 2, 10, 0), at(1, 2, 11, 0), false, null);
            task(c, "f2", 2, "{\"n\":2}", at(1, 2, 12, 0), at(1, 2, 13, 0), true, M1);
            // Impure: I2 has a finished twin but is never a saving.
            task(c, "i1", 3, "{\"n\":1}", at(1, 1, 10, 0), at(1, 1, 11, 0), true, M1);
            task(c, "i2", 3, "{\"n\":1}", at(1, 1, 12, 0), at(1, 1, 13, 0), true, M1);
            // Still running: counted, 0 hours.
            task(c, "r1", 1, "{\"n\":3}", at(2, 1, 10, 0), null, null, null);
            // Job 4's input differs: a twin of A1 only when no parent key is inherited.
            task(c, "p1", 4, "{\"n\":1}", at(3, 1, 10, 0), at(3, 1, 11, 0), true, M1);
            // D1 and D2 disagree on their output: D3 reuses neither.
            task(c, "d1", 5, "{\"n\":9}", at(4, 1, 10, 0), at(4, 1, 11, 0), true, M1);
            task(c, "d2", 5, "{\"n\":9}", at(4, 1, 10, 5), at(4, 1, 11, 5), true, M2);
            task(c, "d3", 5, "{\"n\":9}", at(4, 1, 12, 0), at(4, 1, 13, 0), true, M1);
        }
    }

    private static LocalDateTime at(int month, int day, int hour, int minute) {
        return LocalDateTime.of(2016, month, day, hour, minute);
    }

    private static void job(Connection c, String uuid, String script, String parameters) throws Exception {
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO jobs (uuid, owner_uuid, repository, script, script_version, script_parameters, state,
                    running, success, output, log, created_at, updated_at, modified_at, started_at, finished_at)
                VALUES (?, 'zzzzz-tpzed-000000000000000', 'active/foo', ?, 'c0ffee', ?, 'Complete', false, true,
                    'd41d8cd98f00b204e9800998ecf8427e+0', 'log00000000000000000000000000000+1', ?, ?, ?, ?, ?)""")) {
            LocalDateTime t = LocalDateTime.of(2016, 1, 1, 9, 0);
            st.setString(1, uuid);
            st.setString(2, script);
            st.setString(3, parameters);
            for (int i = 4; i <= 8; i++) {
                st.setObject(i, t);
            }
            st.executeUpdate();
        }
    }

    private static void task(Connection c, String name, int job, String parameters, LocalDateTime started,
            LocalDateTime finished, Boolean success, String output) throws Exception {
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO job_tasks (uuid, owner_uuid, job_uuid, sequence, qsequence, parameters, output, success,
                    created_at, updated_at, modified_at, started_at, finished_at)
                VALUES (?, 'zzzzz-tpzed-000000000000000', ?, 1, 1, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            st.setString(1, "zzzzz-ot0gb-task000000000" + name);
            st.setString(2, String.format("zzzzz-8i9sb-job00000000000%d", job));
            st.setString(3, parameters);
            st.setString(4, output);
            st.setObject(5, success);
            st.setObject(6, started);
            st.setObject(7, started);
            st.setObject(8, started);
            st.setObject(9, started);
            st.setObject(10, finished);
            st.executeUpdate();
        }
    }
}
