package org.arvados.tasksasjobs.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.arvados.tasksasjobs.changelog.SchemaState;
import org.arvados.tasksasjobs.changelog.MigrationChangelog;
import org.arvados.tasksasjobs.changelog.Phase;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The online phase: job_tasks writes captured by the trigger, applied by the backfill's drain with the one mapping. */
@ExtendWith(ArvadosDatabaseExtension.class)
class OnlinePhaseTest {

    private static final String PARENT = "zzzzz-8i9sb-parentjob000001";
    private static final String OTHER_PARENT = "zzzzz-8i9sb-parentjob000002";
    private static final List<Phase> ONLINE = List.of(Phase.EXPAND, Phase.ONLINE, Phase.BACKFILL);

    @Test
    void insertsUpdatesAndDeletesWrittenAfterTheWalkAreMirrored(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosRows rows = new ArvadosRows(c);
            rows.job(PARENT, "Complete", "{\"a\":1}");
            rows.job(OTHER_PARENT, "Complete", "{\"b\":2}");
            rows.task("zzzzz-ot0gb-kept00000000001", PARENT, "{}", true, null, null);
            long updated = rows.task("zzzzz-ot0gb-updated00000001", PARENT, "{\"x\":1}", null, null, null);
            long deleted = rows.task("zzzzz-ot0gb-deleted00000001", PARENT, "{}", true, null, null);
            migrate(c);
            String kept = rows.scalar("SELECT row_to_json(j)::text FROM jobs j WHERE legacy_task_uuid = 'zzzzz-ot0gb-kept00000000001'");

            execute(c, "UPDATE job_tasks SET parameters = '{\"x\":2}', output = 'out', success = false, progress = 1,"
                    + " job_uuid = '" + OTHER_PARENT + "' WHERE id = " + updated);
            execute(c, "DELETE FROM job_tasks WHERE id = " + deleted);
            rows.task("zzzzz-ot0gb-inserted0000001", PARENT, "{}", true, "o", null);
            assertEquals(3, rows.scalarLong("SELECT count(*) FROM job_tasks_changes"));

            BackfillResult result = migrate(c);

            assertEquals(3, result.changesApplied());
            assertEquals(0, result.changesWaiting());
            assertEquals(0, rows.scalarLong("SELECT count(*) FROM job_tasks_changes"));
            assertEquals("{\"b\":2,\"x\":2}|Failed|" + OTHER_PARENT + "|out|1", rows.scalar("""
                    SELECT script_parameters || '|' || state || '|' || parent_job_uuid || '|' || task_output || '|' || task_progress
                    FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-updated00000001'"""));
            assertEquals("zzzzz-8i9sb-updated00000001", rows.scalar(
                    "SELECT uuid FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-updated00000001'"));
            assertEquals(0, rows.scalarLong("SELECT count(*) FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-deleted00000001'"));
            assertEquals(1, rows.scalarLong("SELECT count(*) FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-inserted0000001'"));
            assertEquals(kept, rows.scalar("SELECT row_to_json(j)::text FROM jobs j WHERE legacy_task_uuid = 'zzzzz-ot0gb-kept00000000001'"),
                    "a task nobody wrote is left alone");
            assertExactlyOnce(rows);
        }
    }

    @Test
    void aTaskThatBecomesUnparseableMovesToQuarantineAndBack(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosRows rows = new ArvadosRows(c);
            rows.job(PARENT, "Complete", "{}");
            long task = rows.task("zzzzz-ot0gb-flipping0000001", PARENT, "{}", true, null, null);
            migrate(c);

            execute(c, "UPDATE job_tasks SET parameters = '--- [unclosed' WHERE id = " + task);
            migrate(c);

            assertEquals("unparseable_parameters", rows.scalar("SELECT reason FROM job_tasks_quarantine WHERE task_id = " + task));
            assertEquals(0, rows.scalarLong("SELECT count(*) FROM jobs WHERE legacy_task_uuid IS NOT NULL"));

            execute(c, "UPDATE job_tasks SET parameters = '{\"fixed\":true}' WHERE id = " + task);
            migrate(c);

            assertEquals(0, rows.scalarLong("SELECT count(*) FROM job_tasks_quarantine"));
            assertEquals("{\"fixed\":true}", rows.scalar("SELECT script_parameters FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-flipping0000001'"));
            assertExactlyOnce(rows);
        }
    }

    @Test
    void aUuidChangeMovesTheTaskLikeJobAndRepointsTheTasksItCreated(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosRows rows = new ArvadosRows(c);
            rows.job(PARENT, "Complete", "{}");
            long creator = rows.task("zzzzz-ot0gb-creator00000001", PARENT, "{}", true, null, null);
            rows.task("zzzzz-ot0gb-child0000000001", PARENT, "{}", true, null, "zzzzz-ot0gb-creator00000001");
            migrate(c);
            assertEquals("zzzzz-8i9sb-creator00000001", rows.scalar(
                    "SELECT created_by_job_uuid FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-child0000000001'"));

            execute(c, "UPDATE job_tasks SET uuid = 'zzzzz-ot0gb-renamed00000001' WHERE id = " + creator);
            migrate(c);

            assertEquals(0, rows.scalarLong("SELECT count(*) FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-creator00000001'"));
            assertEquals("zzzzz-8i9sb-renamed00000001", rows.scalar(
                    "SELECT uuid FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-renamed00000001'"));
            assertNull(rows.scalar("SELECT created_by_job_uuid FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-child0000000001'"),
                    "the child's creator task no longer exists under that uuid");
            assertEquals("zzzzz-ot0gb-creator00000001", rows.scalar(
                    "SELECT legacy_created_by_task_uuid FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-child0000000001'"));

            // a task written now that names the renamed creator finds its task-like job
            rows.task("zzzzz-ot0gb-child0000000002", PARENT, "{}", true, null, "zzzzz-ot0gb-renamed00000001");
            migrate(c);
            assertEquals("zzzzz-8i9sb-renamed00000001", rows.scalar(
                    "SELECT created_by_job_uuid FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-child0000000002'"));
            assertExactlyOnce(rows);
        }
    }

    @Test
    void aTaskCarriedByTheDrainAndRenamedBeforeTheNextWalkReachesItEndsOnce(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosRows rows = new ArvadosRows(c);
            rows.job(PARENT, "Complete", "{}");
            rows.task("zzzzz-ot0gb-first000000001", PARENT, "{}", true, null, null);
            AtomicReference<Long> late = new AtomicReference<>();
            // A task written while the first run walks (after its bound) is carried by that run's drain ...
            new MigrationChangelog(c).update(ONLINE, BackfillSettings.defaults(), new BackfillListener() {
                @Override
                public void walkFinished(BackfillProgress progress) {
                    try (Connection writer = db.connect()) {
                        late.set(new ArvadosRows(writer).task("zzzzz-ot0gb-late00000000001", PARENT, "{}", true, null, null));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            assertEquals(1, rows.scalarLong("SELECT count(*) FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-late00000000001'"));
            // ... then renamed; the next run's walk reads it under its new uuid before its drain applies the rename.
            execute(c, "UPDATE job_tasks SET uuid = 'zzzzz-ot0gb-late00000000002' WHERE id = " + late.get());

            BackfillResult result = migrate(c);

            assertEquals(1, result.changesApplied());
            assertEquals(0, rows.scalarLong("SELECT count(*) FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-late00000000001'"));
            assertEquals(1, rows.scalarLong("SELECT count(*) FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-late00000000002'"));
            assertExactlyOnce(rows);
        }
    }

    @Test
    void theGatewaysPurityMarkAndAFreshUuidSurviveAnUpdate(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosRows rows = new ArvadosRows(c);
            rows.job(PARENT, "Running", "{}");
            rows.job("zzzzz-8i9sb-runningjobtask1", "Complete", "{}"); // takes the derived uuid of the task below
            long colliding = rows.task("zzzzz-ot0gb-runningjobtask1", PARENT, "{}", null, null, null);
            long marked = rows.task("zzzzz-ot0gb-marked000000001", PARENT, "{}", null, null, null);
            migrate(c);
            String fresh = rows.scalar("SELECT uuid FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-runningjobtask1'");
            assertNotEquals("zzzzz-8i9sb-runningjobtask1", fresh);
            execute(c, "UPDATE jobs SET nondeterministic = true WHERE legacy_task_uuid = 'zzzzz-ot0gb-marked000000001'");

            execute(c, "UPDATE job_tasks SET success = true, output = 'done', progress = 1 WHERE id IN (" + colliding + ", " + marked + ")");
            migrate(c);

            assertEquals(fresh, rows.scalar("SELECT uuid FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-runningjobtask1'"));
            assertEquals("Complete|true|done", rows.scalar("""
                    SELECT state || '|' || nondeterministic || '|' || task_output FROM jobs
                    WHERE legacy_task_uuid = 'zzzzz-ot0gb-marked000000001'"""));
            assertEquals("zzzzz-8i9sb-marked000000001", rows.scalar(
                    "SELECT uuid FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-marked000000001'"));
            assertExactlyOnce(rows);
        }
    }

    @Test
    void aRolledBackWriteCapturesNothingAndACommittedOneIsCapturedOnce(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosRows rows = new ArvadosRows(c);
            rows.job(PARENT, "Complete", "{}");
            long task = rows.task("zzzzz-ot0gb-task00000000001", PARENT, "{}", true, null, null);
            migrate(c);
            String jobs = rows.checksum("jobs");

            c.setAutoCommit(false);
            execute(c, "UPDATE job_tasks SET output = 'never' WHERE id = " + task);
            rows.task("zzzzz-ot0gb-rolledback00001", PARENT, "{}", true, null, null);
            assertEquals(2, rows.scalarLong("SELECT count(*) FROM job_tasks_changes"), "captured inside the writer's transaction");
            c.rollback();
            c.setAutoCommit(true);

            assertEquals(0, rows.scalarLong("SELECT count(*) FROM job_tasks_changes"));
            BackfillResult result = migrate(c);
            assertEquals(0, result.changesApplied());
            assertEquals(jobs, rows.checksum("jobs"));

            execute(c, "UPDATE job_tasks SET output = 'kept' WHERE id = " + task);
            assertEquals(task + "|zzzzz-ot0gb-task00000000001", rows.scalar("SELECT task_id || '|' || old_uuid FROM job_tasks_changes"));
            migrate(c);
            assertEquals("kept", rows.scalar("SELECT task_output FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-task00000000001'"));
        }
    }

    @Test
    void applyingTheSameChangesAgainChangesNothing(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosRows rows = new ArvadosRows(c);
            rows.job(PARENT, "Complete", "{}");
            for (int i = 0; i < 12; i++) {
                rows.task(String.format("zzzzz-ot0gb-%015d", i), PARENT, "{\"i\":" + i + "}", i % 2 == 0, null,
                        i > 0 ? String.format("zzzzz-ot0gb-%015d", i - 1) : null);
            }
            migrate(c);
            String jobs = rows.checksum("jobs");
            String quarantine = rows.checksum("job_tasks_quarantine");

            execute(c, "INSERT INTO job_tasks_changes (task_id, old_uuid) SELECT id, uuid FROM job_tasks");
            execute(c, "INSERT INTO job_tasks_changes (task_id, old_uuid) SELECT id, NULL FROM job_tasks");
            BackfillResult result = migrate(c, BackfillSettings.defaults().withBatchSize(5));

            assertEquals(24, result.changesApplied());
            assertEquals(jobs, rows.checksum("jobs"));
            assertEquals(quarantine, rows.checksum("job_tasks_quarantine"));
        }
    }

    @Test
    void rollbackAfterTheOnlinePhaseRemovesTheTriggerTheFunctionAndTheQueue(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosRows rows = new ArvadosRows(c);
            rows.job(PARENT, "Complete", "---\na: 1\n");
            long task = rows.task("zzzzz-ot0gb-task00000000001", PARENT, "{}", true, "abc", null);
            rows.task("zzzzz-ot0gb-orphan000000001", "zzzzz-8i9sb-nosuchjob000000", "{}", true, null, null);
            String jobs = rows.checksum("jobs");
            migrate(c);
            execute(c, "UPDATE job_tasks SET output = 'written while online' WHERE id = " + task);
            rows.task("zzzzz-ot0gb-task00000000002", PARENT, "{}", true, null, null); // left waiting in the queue
            String tasks = rows.checksum("job_tasks");

            new MigrationChangelog(c).rollback();

            assertEquals(jobs, rows.checksum("jobs"));
            assertEquals(tasks, rows.checksum("job_tasks"), "crunch's writes stay; nothing of the migration does");
            assertEquals(0, rows.scalarLong("SELECT count(*) FROM information_schema.tables WHERE table_name IN"
                    + " ('job_tasks_changes', 'job_tasks_quarantine', 'tasks_as_jobs_checkpoint')"));
            assertEquals(0, rows.scalarLong("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'job_tasks'::regclass AND NOT tgisinternal"));
            assertEquals(0, rows.scalarLong("SELECT count(*) FROM pg_proc WHERE proname = 'tasks_as_jobs_capture_task_change'"));
            execute(c, "UPDATE job_tasks SET output = 'after rollback' WHERE id = " + task); // crunch keeps writing

            // and it can be migrated online again afterwards
            migrate(c);
            assertExactlyOnce(rows);
        }
    }

    @Test
    void withoutTheOnlinePhaseNothingIsCapturedOrDrained(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosRows rows = new ArvadosRows(c);
            rows.job(PARENT, "Complete", "{}");
            rows.task("zzzzz-ot0gb-task00000000001", PARENT, "{}", true, null, null);
            AtomicReference<BackfillResult> result = new AtomicReference<>();
            new MigrationChangelog(c).update(List.of(Phase.EXPAND, Phase.BACKFILL), BackfillSettings.defaults(), finished(result));

            assertEquals(SchemaState.Capture.ABSENT, SchemaState.read(c).capture());
            assertEquals(0, result.get().changesApplied());
            assertEquals(0, rows.scalarLong("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'job_tasks'::regclass AND NOT tgisinternal"));
        }
    }

    /** Every task exactly once: a task-like job equal to its row's mapping, or a quarantine row, never both. */
    private static void assertExactlyOnce(ArvadosRows rows) throws Exception {
        assertEquals(0, rows.scalarLong("""
                SELECT count(*) FROM job_tasks t
                WHERE (EXISTS (SELECT 1 FROM jobs j WHERE j.legacy_task_uuid = t.uuid))
                    = (EXISTS (SELECT 1 FROM job_tasks_quarantine q WHERE q.task_id = t.id))"""), "neither or both");
        assertEquals(0, rows.scalarLong("""
                SELECT count(*) FROM jobs j WHERE j.legacy_task_uuid IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM job_tasks t WHERE t.uuid = j.legacy_task_uuid
                      AND t.output IS NOT DISTINCT FROM j.task_output AND t.parameters IS NOT DISTINCT FROM j.task_parameters
                      AND t.job_uuid IS NOT DISTINCT FROM j.parent_job_uuid
                      AND t.created_by_job_task_uuid IS NOT DISTINCT FROM j.legacy_created_by_task_uuid)"""),
                "task-like jobs that no task stands for as it is now");
        assertEquals(0, rows.scalarLong("""
                SELECT count(*) FROM jobs j WHERE j.legacy_created_by_task_uuid IS NOT NULL
                  AND j.created_by_job_uuid IS DISTINCT FROM (SELECT c.uuid FROM jobs c WHERE c.legacy_task_uuid = j.legacy_created_by_task_uuid)"""),
                "creator references");
        assertEquals(0, rows.scalarLong("SELECT count(*) FROM job_tasks_changes"));
    }

    private static BackfillResult migrate(Connection c) throws Exception {
        return migrate(c, BackfillSettings.defaults());
    }

    private static BackfillResult migrate(Connection c, BackfillSettings settings) throws Exception {
        AtomicReference<BackfillResult> result = new AtomicReference<>();
        new MigrationChangelog(c).update(ONLINE, settings, finished(result));
        return result.get();
    }

    private static BackfillListener finished(AtomicReference<BackfillResult> result) {
        return new BackfillListener() {
            @Override
            public void finished(BackfillResult r) {
                result.set(r);
            }
        };
    }

    private static void execute(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
