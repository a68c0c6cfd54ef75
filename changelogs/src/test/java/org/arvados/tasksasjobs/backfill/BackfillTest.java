package org.arvados.tasksasjobs.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import liquibase.exception.LiquibaseException;
import org.arvados.tasksasjobs.changelog.MigrationChangelog;
import org.arvados.tasksasjobs.changelog.Phase;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ArvadosDatabaseExtension.class)
class BackfillTest {

    private static final String PARENT = "zzzzz-8i9sb-parentjob000001";
    private static final List<Phase> ALL = List.of(Phase.EXPAND, Phase.BACKFILL);

    @Test
    void migratesYamlParametersMergedWithParent(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosRows rows = new ArvadosRows(c);
            rows.job(PARENT, "Complete", "---\ninput: fa7aeb5140e2848d39b416daeef4ffc5+45\nan_integer: '1'\n");
            rows.task("zzzzz-ot0gb-task00000000001", PARENT, "{\"input\":\"1f4b0bc7583c2a7f9102c395f4ffc5e3+45\"}",
                    true, ". 37b51d194a7513e45b56f6524f2d51f2+3 0:3:out.txt\n", null);

            migrate(c, BackfillSettings.defaults());

            try (PreparedStatement st = c.prepareStatement("""
                    SELECT uuid, script_parameters, script_parameters_digest, md5(script_parameters) AS md5, state, running,
                           success, output, task_parameters, task_output, parent_job_uuid, legacy_task_uuid, log, script
                    FROM jobs WHERE legacy_task_uuid IS NOT NULL""");
                 ResultSet rs = st.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("zzzzz-8i9sb-task00000000001", rs.getString("uuid"));
                assertEquals("{\"an_integer\":\"1\",\"input\":\"1f4b0bc7583c2a7f9102c395f4ffc5e3+45\"}", rs.getString("script_parameters"));
                assertEquals(rs.getString("md5"), rs.getString("script_parameters_digest"));
                assertEquals("Complete", rs.getString("state"));
                assertEquals(false, rs.getObject("running"));
                assertEquals(true, rs.getObject("success"));
                assertEquals("{\"input\":\"1f4b0bc7583c2a7f9102c395f4ffc5e3+45\"}", rs.getString("task_parameters"));
                assertEquals(". 37b51d194a7513e45b56f6524f2d51f2+3 0:3:out.txt\n", rs.getString("task_output"));
                assertEquals(rows.scalar("SELECT md5(output) || '+' || octet_length(output) FROM job_tasks"), rs.getString("output"));
                assertEquals(PARENT, rs.getString("parent_job_uuid"));
                assertEquals("zzzzz-ot0gb-task00000000001", rs.getString("legacy_task_uuid"));
                assertEquals("d41d8cd98f00b204e9800998ecf8427e+0", rs.getString("log"));
                assertEquals("hash", rs.getString("script"));
            }
        }
    }

    @Test
    void quarantinesTasksThatCannotBeCarriedAndKeepsThemInJobTasks(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosRows rows = new ArvadosRows(c);
            String job = "zzzzz-8i9sb-parentjob000002";
            rows.job(job, "Complete", "{}");
            rows.job("zzzzz-8i9sb-badparams000002", "Complete", "not a hash");
            long orphan = rows.task("zzzzz-ot0gb-orphan000000001", "zzzzz-8i9sb-nosuchjob000000", "{}", true, null, null);
            long nullJob = rows.task("zzzzz-ot0gb-nulljob00000001", null, "{}", true, null, null);
            long badParams = rows.task("zzzzz-ot0gb-badparams000001", job, "--- [unclosed", true, null, null);
            long nullUuid = rows.task(null, job, "{}", true, null, null);
            long badParent = rows.task("zzzzz-ot0gb-badparent000001", "zzzzz-8i9sb-badparams000002", "{}", true, null, null);
            rows.task("zzzzz-ot0gb-good00000000001", job, "{}", true, null, null);

            BackfillResult result = migrate(c, BackfillSettings.defaults());

            assertEquals(1, result.migrated());
            assertEquals(5, result.quarantined());
            assertEquals("orphan", reason(c, orphan));
            assertEquals("orphan", reason(c, nullJob));
            assertEquals("unparseable_parameters", reason(c, badParams));
            assertEquals("null_uuid", reason(c, nullUuid));
            assertEquals("unparseable_parent_parameters", reason(c, badParent));
            assertEquals(6, rows.scalarLong("SELECT count(*) FROM job_tasks"), "quarantined tasks stay in job_tasks");
            assertEquals(0, rows.scalarLong("""
                    SELECT count(*) FROM job_tasks_quarantine q JOIN jobs j ON j.legacy_task_uuid = q.task_uuid"""),
                    "a task is never both carried and quarantined");
        }
    }

    @Test
    void collidingUuidGetsAFreshUuidAndKeepsTheLegacyOne(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosRows rows = new ArvadosRows(c);
            rows.job("zzzzz-8i9sb-runningjobtask1", "Complete", "{}");
            rows.task("zzzzz-ot0gb-runningjobtask1", "zzzzz-8i9sb-runningjobtask1", "{}", true, null, null);

            migrate(c, BackfillSettings.defaults());

            String uuid = rows.scalar("SELECT uuid FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-runningjobtask1'");
            assertNotEquals("zzzzz-8i9sb-runningjobtask1", uuid);
            assertTrue(uuid.matches("zzzzz-8i9sb-[0-9a-z]{15}"), uuid);
        }
    }

    @Test
    void theCallersSessionSettingsComeBackAfterARunAndAfterAFailedOne(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); java.sql.Statement st = c.createStatement()) {
            // The backfill writes with its own settings (WriteSession) on the caller's connection, e.g. stock
            // Liquibase's; the caller's own must be there again afterwards, whichever way the run ends.
            st.execute("SET synchronous_commit = local");
            st.execute("SET work_mem = '7MB'");
            st.execute("SET gin_pending_list_limit = '5MB'");
            ArvadosRows rows = new ArvadosRows(c);
            rows.job(PARENT, "Complete", "{}");
            rows.task("zzzzz-ot0gb-settings0000001", PARENT, "{}", true, null, null);
            rows.task("zzzzz-ot0gb-settings0000002", "zzzzz-8i9sb-nosuchjob000009", "{}", true, null, null);

            assertThrows(Exception.class, () -> migrate(c, BackfillSettings.defaults().withStrict(true)));
            assertEquals("local|7MB|5MB", settings(c), "after a refused run");
            migrate(c, BackfillSettings.defaults());
            assertEquals("local|7MB|5MB", settings(c), "after a finished run");
        }
    }

    private static String settings(Connection c) throws SQLException {
        c.setAutoCommit(true);
        try (java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(
                "SELECT current_setting('synchronous_commit') || '|' || current_setting('work_mem') || '|'"
                        + " || current_setting('gin_pending_list_limit')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aLateCreatorWhoseUuidCollidesOrThatIsQuarantinedIsPointedAtExactly(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosRows rows = new ArvadosRows(c);
            rows.job(PARENT, "Complete", "{}");
            // A real job already holds the uuid the creator's task-like job would derive: the creator gets a fresh one.
            rows.job("zzzzz-8i9sb-collidingcreatr", "Complete", "{}");
            rows.task("zzzzz-ot0gb-child0000000003", PARENT, "{}", true, null, "zzzzz-ot0gb-collidingcreatr");
            rows.task("zzzzz-ot0gb-child0000000004", PARENT, "{}", true, null, "zzzzz-ot0gb-orphancreator1");
            rows.task("zzzzz-ot0gb-collidingcreatr", PARENT, "{}", true, null, null);
            // A creator that cannot be carried (its job does not exist): quarantined, so the child points nowhere.
            rows.task("zzzzz-ot0gb-orphancreator1", "zzzzz-8i9sb-nosuchjob000001", "{}", true, null, null);

            migrate(c, BackfillSettings.defaults().withBatchSize(1));

            String creator = rows.scalar("SELECT uuid FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-collidingcreatr'");
            assertNotEquals("zzzzz-8i9sb-collidingcreatr", creator);
            assertEquals(creator, rows.scalar(
                    "SELECT created_by_job_uuid FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-child0000000003'"));
            assertNull(rows.scalar("SELECT created_by_job_uuid FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-child0000000004'"));
        }
    }

    @Test
    void resolvesCreatorTasksInAnyOrderAndKeepsDanglingReferences(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosRows rows = new ArvadosRows(c);
            rows.job(PARENT, "Complete", "{}");
            // the child is written before its creator: a forward reference across batches
            rows.task("zzzzz-ot0gb-child0000000001", PARENT, "{}", true, null, "zzzzz-ot0gb-creator00000001");
            rows.task("zzzzz-ot0gb-creator00000001", PARENT, "{}", true, null, null);
            rows.task("zzzzz-ot0gb-child0000000002", PARENT, "{}", true, null, "zzzzz-ot0gb-creator00000001");
            rows.task("zzzzz-ot0gb-dangling0000001", PARENT, "{}", true, null, "zzzzz-ot0gb-gone00000000001");

            migrate(c, BackfillSettings.defaults().withBatchSize(1));

            assertEquals("zzzzz-8i9sb-creator00000001", rows.scalar(
                    "SELECT created_by_job_uuid FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-child0000000001'"));
            assertEquals("zzzzz-8i9sb-creator00000001", rows.scalar(
                    "SELECT created_by_job_uuid FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-child0000000002'"));
            assertNull(rows.scalar("SELECT created_by_job_uuid FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-dangling0000001'"));
            assertEquals("zzzzz-ot0gb-gone00000000001", rows.scalar(
                    "SELECT legacy_created_by_task_uuid FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-dangling0000001'"));
        }
    }

    @Test
    void secondRunChangesNothingAndSaysSo(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosRows rows = new ArvadosRows(c);
            rows.job(PARENT, "Running", "{\"b\":1,\"a\":2}");
            for (int i = 0; i < 25; i++) {
                rows.task(String.format("zzzzz-ot0gb-%015d", i), PARENT, "{\"i\":" + i + "}", i % 3 == 0 ? null : true, null, null);
            }
            migrate(c, BackfillSettings.defaults().withBatchSize(7));
            String jobs = rows.checksum("jobs");
            String quarantine = rows.checksum("job_tasks_quarantine");

            BackfillResult again = migrate(c, BackfillSettings.defaults().withBatchSize(7));

            assertTrue(again.nothingToDo());
            assertEquals(jobs, rows.checksum("jobs"));
            assertEquals(quarantine, rows.checksum("job_tasks_quarantine"));
            assertEquals(25, again.totals().carried());
            assertTrue(again.totals().complete());
        }
    }

    @Test
    void runStoppedAfterABatchResumesAndCarriesEveryTaskExactlyOnce(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosRows rows = new ArvadosRows(c);
            rows.job(PARENT, "Complete", "{}");
            for (int i = 0; i < 40; i++) {
                rows.task(String.format("zzzzz-ot0gb-%015d", i), i == 7 ? "zzzzz-8i9sb-missing00000000" : PARENT, "{}", true, null, null);
            }
            BackfillListener crashAfterTwoBatches = new BackfillListener() {
                @Override
                public void batchCommitted(BackfillProgress progress) {
                    if (progress.batches() == 2) {
                        throw new IllegalStateException("simulated crash");
                    }
                }
            };
            assertThrows(LiquibaseException.class, () -> new MigrationChangelog(c)
                    .update(ALL, BackfillSettings.defaults().withBatchSize(6), crashAfterTwoBatches));
            assertEquals(11, rows.scalarLong("SELECT count(*) FROM jobs WHERE legacy_task_uuid IS NOT NULL"));

            BackfillResult resumed = migrate(c, BackfillSettings.defaults().withBatchSize(6));

            assertTrue(resumed.resumed());
            assertEquals(28, resumed.migrated());
            assertEquals(39, rows.scalarLong("SELECT count(DISTINCT legacy_task_uuid) FROM jobs WHERE legacy_task_uuid IS NOT NULL"));
            assertEquals(39, rows.scalarLong("SELECT count(*) FROM jobs WHERE legacy_task_uuid IS NOT NULL"));
            assertEquals(1, rows.scalarLong("SELECT count(*) FROM job_tasks_quarantine"));
        }
    }

    @Test
    void secondMigratorIsRefusedAndToldWhoHoldsTheLock(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Connection other = db.connect()) {
            new ArvadosRows(c).job(PARENT, "Complete", "{}");
            other.setClientInfo("ApplicationName", "tasks-as-jobs migrate (first)");
            try (MigrationLock held = MigrationLock.acquire(other)) {
                LiquibaseException e = assertThrows(LiquibaseException.class,
                        () -> new MigrationChangelog(c).update(ALL, BackfillSettings.defaults(), BackfillListener.NONE));
                MigrationRefusedException refused = cause(e, MigrationRefusedException.class);
                assertTrue(refused.getMessage().contains("another migrator is running"), refused.getMessage());
                assertTrue(refused.getMessage().contains("tasks-as-jobs migrate (first)"), refused.getMessage());
            }
        }
    }

    @Test
    void strictStopsAtTheFirstTaskThatWouldBeQuarantined(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosRows rows = new ArvadosRows(c);
            rows.job(PARENT, "Complete", "{}");
            rows.task("zzzzz-ot0gb-good00000000001", PARENT, "{}", true, null, null);
            rows.task("zzzzz-ot0gb-orphan000000001", "zzzzz-8i9sb-nosuchjob000000", "{}", true, null, null);

            LiquibaseException e = assertThrows(LiquibaseException.class, () -> new MigrationChangelog(c)
                    .update(ALL, BackfillSettings.defaults().withStrict(true), BackfillListener.NONE));

            assertTrue(cause(e, MigrationRefusedException.class).getMessage().contains("zzzzz-ot0gb-orphan000000001"));
            assertEquals(0, rows.scalarLong("SELECT count(*) FROM job_tasks_quarantine"));
        }
    }

    @Test
    void rollbackReturnsJobsAndJobTasksToTheirPreMigrationContent(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosRows rows = new ArvadosRows(c);
            rows.job(PARENT, "Complete", "---\na: 1\n");
            rows.job("zzzzz-8i9sb-runningjobtask1", "Running", "{}");
            rows.task("zzzzz-ot0gb-runningjobtask1", PARENT, "{}", true, "abc", null);
            rows.task("zzzzz-ot0gb-orphan000000001", "zzzzz-8i9sb-nosuchjob000000", "{}", true, null, null);
            String jobs = rows.checksum("jobs");
            String tasks = rows.checksum("job_tasks");
            migrate(c, BackfillSettings.defaults());
            assertNotEquals(jobs, rows.checksum("jobs"));

            new MigrationChangelog(c).rollback();

            assertEquals(jobs, rows.checksum("jobs"));
            assertEquals(tasks, rows.checksum("job_tasks"));
            assertEquals(0, rows.scalarLong("SELECT count(*) FROM information_schema.tables WHERE table_name IN ('job_tasks_quarantine', 'tasks_as_jobs_checkpoint')"));
            // and it can be migrated again afterwards
            assertEquals(1, migrate(c, BackfillSettings.defaults()).migrated());
        }
    }

    @Test
    void aRangeSplitsItsRestInTwoHalvesForAWaitingWorker(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosRows rows = new ArvadosRows(c);
            rows.job(PARENT, "Complete", "{}");
            migrate(c, BackfillSettings.defaults()); // expand: the checkpoint tables exist
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                ids.add(rows.task(String.format("zzzzz-ot0gb-split%010d", i), PARENT, "{}", true, null, null));
            }
            c.setAutoCommit(false);
            Checkpoints checkpoints = new Checkpoints(c);
            Checkpoints.Run run = checkpoints.start().orElseThrow();
            Checkpoints.Range range = checkpoints.rangesFor(run, 1).get(0);
            long read = ids.get(999); // the walker has read the first 1,000 tasks

            Checkpoints.Split split = checkpoints.split(range, read, checkpoints.nextRangeNo(run.runId())).orElseThrow();
            c.commit();

            long cut = split.kept().upperBound();
            assertEquals(cut, split.given().lowerBound());
            assertEquals(cut, split.given().lastTaskId(), "the new range starts with nothing done");
            assertEquals(range.upperBound(), split.given().upperBound());
            long lower = ids.stream().filter(id -> id > read && id <= cut).count();
            long upper = ids.stream().filter(id -> id > cut).count();
            assertTrue(Math.abs(lower - upper) <= 1, lower + " and " + upper + " tasks");
            assertEquals(List.of(range.rangeNo(), split.given().rangeNo()),
                    checkpoints.ranges(run.runId()).stream().map(Checkpoints.Range::rangeNo).toList(), "stored, in id order");
            assertEquals(cut, checkpoints.ranges(run.runId()).get(0).upperBound());

            long nearTheEnd = ids.get(ids.size() - 2 * (int) Checkpoints.MIN_RANGE_ROWS + 1);
            assertTrue(checkpoints.split(split.given(), nearTheEnd, 99).isEmpty(), "too few left to be worth a worker");
            c.rollback();
        }
    }

    @Test
    void aSplitByAnotherWorkerDuringAWalkersBatchKeepsBothTheCutAndTheWalkersPosition(TestDatabase db) throws Exception {
        try (Connection walker = db.connect(); Connection taker = db.connect()) {
            ArvadosRows rows = new ArvadosRows(walker);
            rows.job(PARENT, "Complete", "{}");
            migrate(walker, BackfillSettings.defaults());
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                ids.add(rows.task(String.format("zzzzz-ot0gb-steal%010d", i), PARENT, "{}", true, null, null));
            }
            try (var st = taker.createStatement()) {
                st.execute("SET lock_timeout = '5s'"); // waiting on the walker would fail the test, not hang it
            }
            walker.setAutoCommit(false);
            taker.setAutoCommit(false);
            Checkpoints walkerCheckpoints = new Checkpoints(walker);
            Checkpoints.Run run = walkerCheckpoints.start().orElseThrow();
            Checkpoints.Range range = walkerCheckpoints.rangesFor(run, 1).get(0);
            walker.commit();
            // the walker's batch is under way (its INSERT would be here); it has read up to the 2,000th task
            try (var st = walker.createStatement()) {
                st.execute("SELECT count(*) FROM job_tasks");
            }
            long batchEnd = ids.get(999);
            long read = ids.get(1999);

            Checkpoints.Split split = new Checkpoints(taker).split(range, read, 1).orElseThrow();
            taker.commit(); // does not wait for the walker: its range row is not locked until it advances
            walkerCheckpoints.advance(range, batchEnd, 1000, 0, false);
            walker.commit();

            List<Checkpoints.Range> stored = walkerCheckpoints.ranges(run.runId());
            walker.commit();
            assertEquals(2, stored.size());
            assertEquals(split.kept().upperBound(), stored.get(0).upperBound(), "the cut stays");
            assertEquals(batchEnd, stored.get(0).lastTaskId(), "and so does the walker's position");
            assertEquals(split.given().lowerBound(), stored.get(1).lastTaskId());
            assertEquals(range.upperBound(), stored.get(1).upperBound());
        }
    }

    private static BackfillResult migrate(Connection c, BackfillSettings settings) throws Exception {
        AtomicReference<BackfillResult> result = new AtomicReference<>();
        new MigrationChangelog(c).update(ALL, settings, new BackfillListener() {
            @Override
            public void finished(BackfillResult r) {
                result.set(r);
            }
        });
        return result.get();
    }

    private static String reason(Connection c, long taskId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT reason FROM job_tasks_quarantine WHERE task_id = ?")) {
            st.setLong(1, taskId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        List<Throwable> seen = new ArrayList<>();
        for (Throwable t = e; t != null && !seen.contains(t); t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            seen.add(t);
        }
        throw new AssertionError("no " + type.getSimpleName() + " in the causes of " + e, e);
    }
}
