package org.arvados.tasksasjobs.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.RecordComponent;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.arvados.tasksasjobs.changelog.MigrationChangelog;
import org.arvados.tasksasjobs.changelog.Phase;
import org.arvados.tasksasjobs.mapping.JobState;
import org.arvados.tasksasjobs.mapping.TaskLikeJob;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** StagingCopyWriter against the unnest writer it is measured against: the same rows, value for value, the same counts. */
@ExtendWith(ArvadosDatabaseExtension.class)
class StagingCopyWriterTest {

    private static final LocalDateTime T0 = ArvadosRows.T0;
    private static final String PARENT = "zzzzz-8i9sb-parentjob000001";
    private static final String LONE_SURROGATE = "lone \uD800 surrogate";

    @FunctionalInterface
    private interface Writer {
        int insert(List<TaskLikeJob> jobs) throws SQLException;
    }

    /** What a run of batches did: each batch's count, every column of jobs as text, and the rows read back as jobs. */
    private record Outcome(List<Integer> counts, List<String> columns, List<List<String>> rows, List<TaskLikeJob> readBack,
            long idsFromJobTasks) { }

    @Test
    void writesWhatTheUnnestWriterWritesRowForRow(TestDatabase unnestDb, TestDatabase stagingDb) throws Exception {
        assertSameAsUnnest(unnestDb, stagingDb, true);
    }

    @Test
    void writesWhatTheUnnestWriterWritesWithoutLegacyTaskId(TestDatabase unnestDb, TestDatabase stagingDb) throws Exception {
        assertSameAsUnnest(unnestDb, stagingDb, false);
    }

    private static void assertSameAsUnnest(TestDatabase unnestDb, TestDatabase stagingDb, boolean legacyTaskId) throws Exception {
        List<TaskLikeJob> jobs = nastyJobs();
        TaskLikeJob reused = with(base(900), "uuid", jobs.get(0).uuid()); // a new task whose job uuid is taken: skipped
        List<TaskLikeJob> overlapping = List.of(jobs.get(0), base(901), jobs.get(1), reused, base(902));
        List<List<TaskLikeJob>> batches = List.of(jobs, jobs, overlapping);

        Outcome unnest = run(unnestDb, legacyTaskId, c -> new TaskLikeJobWriter(c)::insert, batches);
        Outcome staging = run(stagingDb, legacyTaskId, c -> new StagingCopyWriter(c)::insert, batches);

        assertEquals(List.of(jobs.size(), 0, 2), unnest.counts());
        assertEquals(unnest.counts(), staging.counts());
        assertEquals(legacyTaskId, staging.columns().contains("legacy_task_id"));
        assertEquals(unnest.columns(), staging.columns());
        assertEquals(jobs.size() + 2, staging.rows().size());
        assertEquals(legacyTaskId ? (jobs.size() + 1) / 2 : 0, staging.idsFromJobTasks(), "legacy_task_id looked up by uuid");
        assertEquals(unnest.rows().size(), staging.rows().size());
        for (int r = 0; r < unnest.rows().size(); r++) {
            for (int k = 0; k < unnest.columns().size(); k++) {
                assertSameText(unnest.rows().get(r).get(k), staging.rows().get(r).get(k),
                        "row " + r + " (" + staging.readBack().get(r).legacyTaskUuid() + "), column " + unnest.columns().get(k));
            }
        }

        // and both equal to what was written, so they are not merely equally wrong
        List<TaskLikeJob> expected = new ArrayList<>();
        for (TaskLikeJob job : jobs) {
            // pgjdbc encodes a lone surrogate as '?', as String.getBytes does; the staging writer follows it
            expected.add(LONE_SURROGATE.equals(job.taskOutput()) ? with(job, "taskOutput", "lone ? surrogate") : job);
        }
        expected.add(base(901));
        expected.add(base(902));
        expected.sort(Comparator.comparing(TaskLikeJob::legacyTaskUuid));
        assertEquals(expected.size(), staging.readBack().size());
        for (int r = 0; r < expected.size(); r++) {
            assertEquals(expected.get(r), staging.readBack().get(r), "row " + r);
        }
    }

    @Test
    void batchesCommittedInARowReuseTheStagingTableAndASecondInsertWritesNothing(TestDatabase db) throws Exception {
        try (Connection c = prepare(db, true, List.of())) {
            StagingCopyWriter writer = new StagingCopyWriter(c);
            ArvadosRows rows = new ArvadosRows(c);

            assertEquals(3, writer.insert(List.of(base(1), base(2), base(3))));
            c.commit();
            long staging = rows.scalarLong("SELECT 'pg_temp.tasks_as_jobs_staging'::regclass::oid");
            assertEquals(0, rows.scalarLong("SELECT count(*) FROM pg_temp.tasks_as_jobs_staging"), "emptied at commit");

            assertEquals(2, writer.insert(List.of(base(4), base(5))));
            c.commit();
            assertEquals(staging, rows.scalarLong("SELECT 'pg_temp.tasks_as_jobs_staging'::regclass::oid"), "the same table");
            assertEquals(5, rows.scalarLong("SELECT count(*) FROM jobs"));

            String before = rows.checksum("jobs");
            assertEquals(0, writer.insert(List.of(base(1), base(2), base(3), base(4), base(5))));
            c.commit();
            assertEquals(before, rows.checksum("jobs"));
            assertEquals(1, writer.insert(List.of(base(5), base(6))));
            c.commit();
            assertEquals(6, rows.scalarLong("SELECT count(*) FROM jobs"));
        }
    }

    @Test
    @Timeout(60) // a COPY left open makes the rollback wait forever for the connection
    void aFailedBatchLeavesTheConnectionUsableForTheNext(TestDatabase db) throws Exception {
        try (Connection c = prepare(db, true, List.of())) {
            StagingCopyWriter writer = new StagingCopyWriter(c);
            ArvadosRows rows = new ArvadosRows(c);

            // the INSERT fails, in the transaction that created the staging table: the rollback drops it
            SQLException tooLong = assertThrows(SQLException.class,
                    () -> writer.insert(List.of(base(1), with(base(2), "script", "x".repeat(256)))));
            assertEquals("22001", tooLong.getSQLState(), tooLong.getMessage());
            c.rollback();
            assertNull(rows.scalar("SELECT to_regclass('pg_temp.tasks_as_jobs_staging')::text"));
            assertEquals(1, writer.insert(List.of(base(3))));
            c.commit();

            // the server refuses the COPY data: year 10000 is beyond what PostgreSQL reads as ISO 8601
            SQLException refused = assertThrows(SQLException.class, () -> writer.insert(List.of(base(4),
                    with(base(5), "startedAt", LocalDateTime.of(10000, 1, 1, 0, 0)))));
            assertTrue(refused.getMessage().contains("tasks_as_jobs_staging"), refused.getMessage());
            c.rollback();

            // Java fails mid-COPY, after more than one buffer went out: the COPY is cancelled
            TaskLikeJob big = with(base(6), "taskOutput", manifest(1 << 20));
            assertThrows(NullPointerException.class, () -> writer.insert(List.of(big, with(base(7), "state", null))));
            c.rollback();

            assertEquals(2, writer.insert(List.of(base(8), base(9))));
            c.commit();
            assertEquals(String.join(",", base(3).legacyTaskUuid(), base(8).legacyTaskUuid(), base(9).legacyTaskUuid()),
                    rows.scalar("SELECT string_agg(legacy_task_uuid, ',' ORDER BY legacy_task_uuid) FROM jobs"));
        }
    }

    @Test
    void anEmptyBatchDoesNotTouchTheDatabase(TestDatabase db) throws Exception {
        Connection c = prepare(db, true, List.of());
        StagingCopyWriter writer = new StagingCopyWriter(c);
        c.close();
        assertEquals(0, writer.insert(List.of()));
    }

    @Test
    void inAutocommitEachInsertIsItsOwnTransaction(TestDatabase db) throws Exception {
        try (Connection c = prepare(db, true, List.of()); Connection other = db.connect()) {
            c.setAutoCommit(true);
            StagingCopyWriter writer = new StagingCopyWriter(c);

            assertEquals(2, writer.insert(List.of(base(1), base(2))));
            assertThrows(SQLException.class, () -> writer.insert(List.of(base(3), with(base(4), "log", "x".repeat(256)))));
            assertEquals(1, writer.insert(List.of(base(2), base(5))));

            assertTrue(c.getAutoCommit());
            assertEquals(3, new ArvadosRows(other).scalarLong("SELECT count(*) FROM jobs"), "committed, seen by another session");
        }
    }

    /** Applies each batch with a fresh database's writer, committing after each, and reads the result back. */
    private static Outcome run(TestDatabase db, boolean legacyTaskId, Function<Connection, Writer> writers,
            List<List<TaskLikeJob>> batches) throws Exception {
        try (Connection c = prepare(db, legacyTaskId, batches.get(0))) {
            Writer writer = writers.apply(c);
            List<Integer> counts = new ArrayList<>();
            for (List<TaskLikeJob> batch : batches) {
                counts.add(writer.insert(batch));
                c.commit();
            }
            List<String> columns = new ArrayList<>();
            List<List<String>> rows = new ArrayList<>();
            List<TaskLikeJob> readBack = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT * FROM jobs ORDER BY legacy_task_uuid COLLATE \"C\"")) {
                ResultSetMetaData meta = rs.getMetaData();
                for (int k = 1; k <= meta.getColumnCount(); k++) {
                    columns.add(meta.getColumnName(k));
                }
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int k = 1; k <= meta.getColumnCount(); k++) {
                        row.add(rs.getString(k)); // the server's text for the value
                    }
                    rows.add(row);
                    readBack.add(job(rs));
                }
            }
            long idsFromJobTasks = legacyTaskId ? new ArvadosRows(c).scalarLong("""
                    SELECT count(*) FROM jobs j JOIN job_tasks t ON t.uuid = j.legacy_task_uuid AND t.id = j.legacy_task_id""") : 0;
            return new Outcome(counts, columns, rows, readBack, idsFromJobTasks);
        }
    }

    /**
     * A fresh database after expand, with a job_tasks row for the jobs at even indexes (the rest get their
     * legacy_task_id from the trigger), optionally without jobs.legacy_task_id; autocommit off, as the backfill has it.
     */
    private static Connection prepare(TestDatabase db, boolean legacyTaskId, List<TaskLikeJob> jobs) throws Exception {
        Connection c = db.connect();
        new MigrationChangelog(c).update(List.of(Phase.EXPAND), BackfillSettings.defaults(), BackfillListener.NONE);
        ArvadosRows rows = new ArvadosRows(c);
        for (int i = jobs.size() - 1; i >= 0; i--) { // backwards, so task ids do not follow the list
            if (i % 2 == 0) {
                rows.task(jobs.get(i).legacyTaskUuid(), PARENT, "{}", true, null, null);
            }
        }
        if (!legacyTaskId) {
            try (Statement st = c.createStatement()) {
                st.execute("DROP TRIGGER tasks_as_jobs_assign_task_id ON jobs");
                st.execute("ALTER TABLE jobs DROP COLUMN legacy_task_id");
            }
        }
        c.setAutoCommit(false);
        return c;
    }

    private static TaskLikeJob job(ResultSet rs) throws SQLException {
        return new TaskLikeJob(rs.getString("uuid"), rs.getString("owner_uuid"), rs.getString("modified_by_client_uuid"),
                rs.getString("modified_by_user_uuid"), time(rs, "modified_at"), time(rs, "created_at"), time(rs, "updated_at"),
                time(rs, "started_at"), time(rs, "finished_at"), rs.getString("script"), rs.getString("script_version"),
                rs.getString("supplied_script_version"), rs.getString("repository"), rs.getString("docker_image_locator"),
                rs.getString("arvados_sdk_version"), rs.getString("runtime_constraints"),
                rs.getObject("nondeterministic", Boolean.class), rs.getString("script_parameters"),
                rs.getString("script_parameters_digest"), JobState.fromText(rs.getString("state")),
                rs.getObject("running", Boolean.class), rs.getObject("success", Boolean.class), rs.getString("output"),
                rs.getString("log"), rs.getInt("priority"), rs.getString("parent_job_uuid"), rs.getString("legacy_task_uuid"),
                rs.getObject("task_sequence", Integer.class), rs.getObject("task_qsequence", Long.class),
                rs.getString("created_by_job_uuid"), rs.getString("legacy_created_by_task_uuid"),
                rs.getObject("task_progress", Double.class), rs.getString("task_parameters"), rs.getString("task_output"));
    }

    private static LocalDateTime time(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class); // pgjdbc reads infinity as LocalDateTime.MAX, -infinity as MIN
    }

    /** Jobs whose values are hard to carry through COPY's text format, or through float8 and timestamp text. */
    private static List<TaskLikeJob> nastyJobs() {
        List<TaskLikeJob> jobs = new ArrayList<>();
        int n = 0;
        jobs.add(with(base(++n), "legacyTaskUuid", "zzzzz-ot0gb-\tweird\\N日本\n")); // has a job_tasks row, found by it
        jobs.add(base(++n));
        jobs.add(everyText(base(++n), "back\\slash \\\\ \\. \\040 ends with one\\"));
        jobs.add(everyText(base(++n), "\\N"));
        jobs.add(everyText(base(++n), "N\\"));
        jobs.add(everyText(base(++n), "tab\there\r\nCRLF\nLF\rCR\t"));
        jobs.add(everyText(base(++n), "\n\\.\n"));
        jobs.add(everyText(base(++n), "é 日本 😀 \u2028 \uFEFF ß"));
        jobs.add(everyText(base(++n), ""));
        jobs.add(everyNull(base(++n)));
        jobs.add(with(base(++n), "taskOutput", LONE_SURROGATE));
        jobs.add(with(with(base(++n), "taskOutput", manifest(1 << 20)), "taskParameters", "😀é\\\t\n日".repeat(40_000)));
        jobs.add(times(base(++n), LocalDateTime.MAX, LocalDateTime.MIN, LocalDateTime.MAX, LocalDateTime.MIN, LocalDateTime.MAX));
        jobs.add(times(base(++n), T0.withNano(1_000), T0.withNano(999_999_000), LocalDateTime.of(1970, 1, 1, 0, 0),
                LocalDateTime.of(1, 1, 1, 0, 0, 0, 1_000), LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000)));
        for (Double progress : new Double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
                1e-300, Double.MIN_VALUE, Double.MAX_VALUE, 0.1, 1.0 / 3, null}) {
            jobs.add(with(base(++n), "taskProgress", progress));
        }
        for (JobState state : JobState.values()) {
            jobs.add(with(with(with(base(++n), "state", state), "running", state == JobState.RUNNING),
                    "success", state == JobState.COMPLETE ? Boolean.TRUE : state.ended() ? Boolean.FALSE : null));
        }
        jobs.add(with(with(with(base(++n), "priority", Integer.MIN_VALUE), "taskSequence", Integer.MIN_VALUE),
                "taskQsequence", Long.MIN_VALUE));
        jobs.add(with(with(with(base(++n), "priority", Integer.MAX_VALUE), "taskSequence", Integer.MAX_VALUE),
                "taskQsequence", Long.MAX_VALUE));
        return jobs;
    }

    private static TaskLikeJob base(int n) {
        return new TaskLikeJob(String.format("zzzzz-8i9sb-%015d", n), "zzzzz-tpzed-000000000000000",
                "zzzzz-ozdt8-000000000000000", "zzzzz-tpzed-000000000000000",
                T0.plusSeconds(5), T0.plusSeconds(1), T0.plusSeconds(5), T0.plusSeconds(2), T0.plusSeconds(4),
                "hash", "a1f7b8a3e6e2c9d0b4e5f6a7b8c9d0e1f2a3b4c5", "master", "active/foo",
                "b519d9cb706a29fc7ea24dbea2f05851+249025", null, "{\"docker_image\":\"arvados/jobs\"}", false,
                "{\"input\":\"1f4b0bc7583c2a7f9102c395f4ffc5e3+45\"}", "0b8a3ee7e6fc6d3c0f1f2f4fd2a6d1f3",
                JobState.COMPLETE, false, true, "37b51d194a7513e45b56f6524f2d51f2+3", "d41d8cd98f00b204e9800998ecf8427e+0", 0,
                PARENT, String.format("zzzzz-ot0gb-%015d", n), n, (long) n, null, null, 1.0, "{\"i\":" + n + "}",
                ". 37b51d194a7513e45b56f6524f2d51f2+3 0:3:out.txt\n");
    }

    /** About {@code bytes} of manifest text: escaped names (\040), newlines, as crunch tasks output. */
    private static String manifest(int bytes) {
        StringBuilder text = new StringBuilder(bytes + 100);
        for (int i = 0; text.length() < bytes; i++) {
            text.append(". ").append(String.format("%032x", i)).append("+67108864 0:67108864:part\\040").append(i).append(".bam\n");
        }
        return text.toString();
    }

    /** {@code job} with every String column set to {@code value}; the uuid stays unique, the legacy task uuid stays. */
    private static TaskLikeJob everyText(TaskLikeJob job, String value) {
        for (RecordComponent component : TaskLikeJob.class.getRecordComponents()) {
            if (component.getType() == String.class && !component.getName().equals("legacyTaskUuid")) {
                job = with(job, component.getName(), component.getName().equals("uuid") ? value + "#" + job.uuid() : value);
            }
        }
        return job;
    }

    /** {@code job} with NULL in every column that may hold it here (not the keys, created_at, updated_at, state). */
    private static TaskLikeJob everyNull(TaskLikeJob job) {
        List<String> kept = List.of("uuid", "legacyTaskUuid", "createdAt", "updatedAt", "state");
        for (RecordComponent component : TaskLikeJob.class.getRecordComponents()) {
            if (!component.getType().isPrimitive() && !kept.contains(component.getName())) {
                job = with(job, component.getName(), null);
            }
        }
        return job;
    }

    private static TaskLikeJob times(TaskLikeJob job, LocalDateTime modified, LocalDateTime created, LocalDateTime updated,
            LocalDateTime started, LocalDateTime finished) {
        return with(with(with(with(with(job, "modifiedAt", modified), "createdAt", created), "updatedAt", updated),
                "startedAt", started), "finishedAt", finished);
    }

    /** {@code job} with one component replaced: the record has 34, and no withers. */
    private static TaskLikeJob with(TaskLikeJob job, String name, Object value) {
        RecordComponent[] components = TaskLikeJob.class.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        boolean found = false;
        try {
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                found |= components[i].getName().equals(name);
                values[i] = components[i].getName().equals(name) ? value : components[i].getAccessor().invoke(job);
            }
            assertTrue(found, "TaskLikeJob has no component " + name);
            return TaskLikeJob.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Equal texts, or a failure that shows where they part rather than two megabytes of manifest. */
    private static void assertSameText(String expected, String actual, String where) {
        if (Objects.equals(expected, actual)) {
            return;
        }
        if (expected == null || actual == null) {
            fail(where + ": expected " + snippet(expected, 0) + " but was " + snippet(actual, 0));
        }
        int at = 0;
        while (at < expected.length() && at < actual.length() && expected.charAt(at) == actual.charAt(at)) {
            at++;
        }
        fail(where + ": lengths " + expected.length() + " and " + actual.length() + ", first difference at " + at
                + ": expected " + snippet(expected, at) + " but was " + snippet(actual, at));
    }

    private static String snippet(String text, int at) {
        return text == null ? "NULL" : "\"" + text.substring(at, Math.min(text.length(), at + 60)) + "\"";
    }
}
