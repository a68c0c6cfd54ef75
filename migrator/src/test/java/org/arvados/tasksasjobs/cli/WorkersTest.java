package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code migrate --workers N}: the same rows as one worker, and a killed run resumed with another N. */
@ExtendWith(FreshDatabaseExtension.class)
class WorkersTest {

    /**
     * Every task-like job and quarantine row as text, keyed by its task. A uuid drawn at random (a collision) and the
     * creator reference are given as the tasks they stand for, since a second run draws other random uuids.
     */
    private static final String CARRIED = """
            SELECT j.legacy_task_uuid || ' ' || md5(row(j.uuid = substr(j.legacy_task_uuid, 1, 5) || '-8i9sb-' || substr(j.legacy_task_uuid, 13),
                   j.owner_uuid, j.modified_by_client_uuid, j.modified_by_user_uuid, j.modified_at, j.created_at, j.updated_at,
                   j.started_at, j.finished_at, j.script, j.script_version, j.supplied_script_version, j.repository,
                   j.docker_image_locator, j.arvados_sdk_version, j.runtime_constraints, j.nondeterministic, j.script_parameters,
                   j.script_parameters_digest, j.state, j.running, j.success, j.output, j.log, j.priority, j.parent_job_uuid,
                   j.task_sequence, j.task_qsequence, j.legacy_created_by_task_uuid, j.task_progress, j.task_parameters,
                   j.task_output, j.legacy_task_id, c.legacy_task_uuid)::text)
            FROM jobs j LEFT JOIN jobs c ON c.uuid = j.created_by_job_uuid
            WHERE j.legacy_task_uuid IS NOT NULL
            UNION ALL
            SELECT 'quarantined ' || task_id || ' ' || coalesce(task_uuid, '-') || ' ' || reason || ' ' || detail
            FROM job_tasks_quarantine
            ORDER BY 1
            """;

    @Test
    void threeWorkersWriteExactlyWhatOneWorkerWrites(TestDatabase db) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "180", "--tasks-per-job", "20", "--dirty").exitCode());
        Cli.Run one = run("migrate", "--url", db.jdbcUrl(), "--batch-size", "97");
        assertEquals(ExitCode.OK, one.exitCode(), one.err());
        List<String> byOneWorker = Sql.column(db, CARRIED);
        assertEquals(ExitCode.OK, run("rollback", "--url", db.jdbcUrl()).exitCode());

        Cli.Run three = run("migrate", "--url", db.jdbcUrl(), "--workers", "3", "--batch-size", "97", "--verify");

        assertEquals(ExitCode.OK, three.exitCode(), three.out() + three.err());
        assertTrue(three.out().contains("verification passed"), three.out());
        assertEquals(byOneWorker, Sql.column(db, CARRIED));
        // Three ranges to start with, and one more each time a worker with nothing left took half of another's rest.
        assertTrue(Sql.count(db, "SELECT count(*) FROM tasks_as_jobs_checkpoint_range") >= 3);
        assertEquals(0, Sql.count(db, "SELECT count(*) FROM tasks_as_jobs_checkpoint_range WHERE finished_at IS NULL"));
        assertEquals(Sql.count(db, "SELECT count(*) FROM job_tasks"),
                Sql.count(db, "SELECT tasks_migrated + tasks_quarantined FROM tasks_as_jobs_checkpoint"));
        assertEquals(Sql.count(db, "SELECT count(*) FROM job_tasks"),
                Sql.count(db, "SELECT sum(tasks_migrated + tasks_quarantined) FROM tasks_as_jobs_checkpoint_range"));
        assertRangesContiguous(db);
        // Creators carried by another worker, or later, are resolved at the end like any late creator.
        assertEquals(0, Sql.count(db, "SELECT count(*) FROM jobs j JOIN jobs c ON c.legacy_task_uuid = j.legacy_created_by_task_uuid"
                + " WHERE j.created_by_job_uuid IS DISTINCT FROM c.uuid"));
    }

    @Test
    void runKilledWithTwoWorkersResumesWithThreeAndSplitsARange(TestDatabase db) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "300", "--tasks-per-job", "20", "--dirty").exitCode());
        long tasks = Sql.count(db, "SELECT count(*) FROM job_tasks");

        Cli.Run killed;
        try (ChildMigrator child = ChildMigrator.start(Map.of(FaultInjection.VARIABLE, "halt-after-batch:4"), List.of(),
                "migrate", "--url", db.jdbcUrl(), "--workers", "2", "--batch-size", "100")) {
            killed = child.finish();
        }
        assertEquals(137, killed.exitCode(), killed.out());
        assertEquals(2, Sql.count(db, "SELECT count(*) FROM tasks_as_jobs_checkpoint_range"));
        long handled = Sql.count(db, "SELECT tasks_migrated + tasks_quarantined FROM tasks_as_jobs_checkpoint");
        assertEquals(handled, Sql.count(db, "SELECT sum(tasks_migrated + tasks_quarantined) FROM tasks_as_jobs_checkpoint_range"));
        assertEquals(handled, Sql.count(db, "SELECT count(*) FROM jobs WHERE legacy_task_uuid IS NOT NULL")
                + Sql.count(db, "SELECT count(*) FROM job_tasks_quarantine"), "only committed batches are kept");
        assertTrue(handled >= 400 && handled < tasks, "four or more committed batches: " + handled);

        Cli.Run resumed = run("migrate", "--url", db.jdbcUrl(), "--workers", "3");

        assertEquals(ExitCode.OK, resumed.exitCode(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("resuming an interrupted run"), resumed.out());
        assertTrue(Sql.count(db, "SELECT count(*) FROM tasks_as_jobs_checkpoint_range") >= 3, "the larger range was split");
        assertEquals(0, Sql.count(db, "SELECT count(*) FROM tasks_as_jobs_checkpoint_range WHERE finished_at IS NULL"));
        long carried = Sql.count(db, "SELECT count(*) FROM jobs WHERE legacy_task_uuid IS NOT NULL");
        assertEquals(carried, Sql.count(db, "SELECT count(DISTINCT legacy_task_uuid) FROM jobs WHERE legacy_task_uuid IS NOT NULL"));
        assertEquals(tasks, carried + Sql.count(db, "SELECT count(*) FROM job_tasks_quarantine"));
        assertEquals(0, Sql.count(db, "SELECT count(*) FROM job_tasks_quarantine q JOIN jobs j ON j.legacy_task_uuid = q.task_uuid"));
        assertRangesContiguous(db);
    }

    /** Ranges are contiguous and disjoint: each starts where exactly one other ends, the first at the run's lower bound. */
    private static void assertRangesContiguous(TestDatabase db) throws Exception {
        assertEquals(0, Sql.count(db, """
                SELECT count(*) FROM tasks_as_jobs_checkpoint_range r
                WHERE r.lower_bound <> (SELECT lower_bound FROM tasks_as_jobs_checkpoint)
                  AND (SELECT count(*) FROM tasks_as_jobs_checkpoint_range o WHERE o.upper_bound = r.lower_bound) <> 1
                """));
        assertEquals(1, Sql.count(db, "SELECT count(*) FROM tasks_as_jobs_checkpoint_range"
                + " WHERE upper_bound = (SELECT upper_bound FROM tasks_as_jobs_checkpoint)"));
    }

    @Test
    void workersMustBeBetweenOneAndThirtyTwo(TestDatabase db) {
        Cli.Run zero = run("migrate", "--url", db.jdbcUrl(), "--workers", "0");

        assertEquals(ExitCode.USAGE, zero.exitCode());
        assertTrue(zero.err().contains("workers must be between 1 and 32, not 0"), zero.err());
        Cli.Run badSize = run("migrate", "--url", db.jdbcUrl(), "--batch-size", "lots");
        assertEquals(ExitCode.USAGE, badSize.exitCode());
        assertTrue(badSize.err().contains("--batch-size must be a number of tasks or auto, not 'lots'"), badSize.err());
    }
}
