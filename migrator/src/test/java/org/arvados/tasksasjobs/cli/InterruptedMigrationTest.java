package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A migrator in a JVM of its own, killed or paused part-way, and what the next one does about it. */
@ExtendWith(FreshDatabaseExtension.class)
class InterruptedMigrationTest {

    @Test
    void migratorKilledMidBackfillIsResumedAndEveryTaskEndsUpExactlyOnce(TestDatabase db) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "150", "--tasks-per-job", "20", "--dirty").exitCode());
        long tasks = Sql.count(db, "SELECT count(*) FROM job_tasks");

        Cli.Run killed;
        try (ChildMigrator child = ChildMigrator.start(Map.of(FaultInjection.VARIABLE, "halt-after-batch:3"), List.of(),
                "migrate", "--url", db.jdbcUrl(), "--batch-size", "250")) {
            killed = child.finish();
        }
        assertEquals(137, killed.exitCode(), killed.out());
        long handled = Sql.count(db, "SELECT tasks_migrated + tasks_quarantined FROM tasks_as_jobs_checkpoint");
        assertEquals(750, handled, "three committed batches, nothing of the fourth");
        assertEquals(handled, Sql.count(db, "SELECT count(*) FROM jobs WHERE legacy_task_uuid IS NOT NULL")
                + Sql.count(db, "SELECT count(*) FROM job_tasks_quarantine"));

        Cli.Run status = run("status", "--url", db.jdbcUrl());
        assertTrue(status.out().contains("interrupted"), status.out());
        assertFalse(status.out().contains("Liquibase changelog lock"), "the lock died with the killed session: " + status.out());

        // The same command again, unchanged: nothing to clear by hand.
        Cli.Run resumed = run("migrate", "--url", db.jdbcUrl(), "--batch-size", "250");

        assertEquals(ExitCode.OK, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("resuming an interrupted run"), resumed.out());
        long carried = Sql.count(db, "SELECT count(*) FROM jobs WHERE legacy_task_uuid IS NOT NULL");
        assertEquals(carried, Sql.count(db, "SELECT count(DISTINCT legacy_task_uuid) FROM jobs WHERE legacy_task_uuid IS NOT NULL"));
        assertEquals(tasks, carried + Sql.count(db, "SELECT count(*) FROM job_tasks_quarantine"));
        assertEquals(0, Sql.count(db, "SELECT count(*) FROM job_tasks_quarantine q JOIN jobs j ON j.legacy_task_uuid = q.task_uuid"));
    }

    @Test
    void secondMigratorIsRefusedWhileTheFirstRunsAndNamesIt(TestDatabase db) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "40", "--tasks-per-job", "10").exitCode());

        try (ChildMigrator first = ChildMigrator.start(Map.of(FaultInjection.VARIABLE, "pause-after-batch:1"), List.of(),
                "migrate", "--url", db.jdbcUrl(), "--batch-size", "50")) {
            StringBuilder seen = new StringBuilder();
            assertTrue(first.awaitLine(FaultInjection.PAUSED, seen), seen.toString());

            Cli.Run second = run("migrate", "--url", db.jdbcUrl());

            assertEquals(ExitCode.FAILURE, second.exitCode());
            assertTrue(second.err().contains("another migrator is running"), second.err());
            assertTrue(second.err().contains("application 'tasks-as-jobs migrate'"), second.err());
            assertEquals(1, second.err().lines().count(), second.err());
            Cli.Run firstDone = first.finish();
            assertEquals(ExitCode.OK, firstDone.exitCode(), firstDone.out());
        }
        assertEquals(0, Sql.count(db, "SELECT count(*) FROM job_tasks t WHERE NOT EXISTS"
                + " (SELECT 1 FROM jobs j WHERE j.legacy_task_uuid = t.uuid)"));
    }
}
