package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.arvados.tasksasjobs.cli.MigrationFaults.assertEveryTaskExactlyOnce;
import static org.arvados.tasksasjobs.cli.MigrationFaults.awaitMigratorBlockedOnLock;
import static org.arvados.tasksasjobs.cli.MigrationFaults.holdLock;
import static org.arvados.tasksasjobs.cli.MigrationFaults.liquibaseLockSet;
import static org.arvados.tasksasjobs.cli.MigrationFaults.terminateMigratorBackends;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the database can do to a running migrator, and what the migrator does about it: a terminated backend, a lock
 * it cannot get, a statement timeout. Each ends the run with one line (what, where, that committed work is kept, what
 * to run) and exit 3; the re-run completes and the migration is exact.
 */
@ExtendWith(FreshDatabaseExtension.class)
class DatabaseFaultsTest {

    private static final Duration BLOCKED_WITHIN = Duration.ofSeconds(60);

    @Test
    void backendTerminatedMidBatchEndsTheRunWithOneLineAndTheReRunCompletes(TestDatabase db) throws Exception {
        seed(db);
        Cli.Run lost;
        try (ChildMigrator child = ChildMigrator.start(Map.of(FaultInjection.VARIABLE, "pause-after-batch:2"), List.of(),
                "migrate", "--url", db.jdbcUrl(), "--batch-size", "50", "--lock-timeout", "0")) {
            StringBuilder seen = new StringBuilder();
            assertTrue(child.awaitLine(FaultInjection.PAUSED, seen), seen.toString());
            // Batch 3 is stopped inside its transaction (its checkpoint update waits on our lock) and terminated there.
            try (Connection crunch = holdLock(db, "LOCK TABLE tasks_as_jobs_checkpoint IN EXCLUSIVE MODE")) {
                child.resume();
                awaitMigratorBlockedOnLock(db, BLOCKED_WITHIN);
                assertEquals(1, terminateMigratorBackends(db));
            }
            lost = child.finish();
        }

        assertEquals(ExitCode.FAILURE, lost.exitCode(), lost.out());
        assertTrue(lost.out().contains("tasks-as-jobs: the database connection was lost during batch 3 of the backfill;"
                + " committed batches are kept; run migrate again"), lost.out());
        assertNoStackTrace(lost.out());
        assertEquals(100, Sql.count(db, "SELECT tasks_migrated + tasks_quarantined FROM tasks_as_jobs_checkpoint"),
                "batches 1 and 2 kept, nothing of batch 3");
        assertFalse(liquibaseLockSet(db), "Liquibase's lock went with the terminated session");

        Cli.Run rerun = run("migrate", "--url", db.jdbcUrl());

        assertEquals(ExitCode.OK, rerun.exitCode(), rerun.err());
        assertTrue(rerun.out().contains("resuming an interrupted run"), rerun.out());
        assertEveryTaskExactlyOnce(db, "after the terminated backend");
    }

    @Test
    void lockHeldByCrunchMakesMigrateGiveUpWithinTheLockTimeoutAndTheReRunCompletes(TestDatabase db) throws Exception {
        seed(db);

        // expand's ALTER TABLE jobs would queue behind a long reader and every crunch write behind itself.
        Cli.Run expand;
        long start = System.nanoTime();
        try (Connection crunch = holdLock(db, "LOCK TABLE jobs IN ACCESS SHARE MODE")) {
            expand = run("migrate", "--url", db.jdbcUrl(), "--lock-timeout", "300ms");
        }
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos(), "gave up instead of waiting");
        assertEquals(ExitCode.FAILURE, expand.exitCode(), expand.err());
        assertEquals("tasks-as-jobs: could not get a lock within the lock timeout (300 ms) during changeSet"
                + " expand-add-task-columns-to-jobs: another session (crunch, or a long transaction) holds a lock on a table the"
                + " migrator needs; committed batches are kept; run migrate again when it is released, or raise --lock-timeout\n",
                expand.err());
        assertFalse(liquibaseLockSet(db), "a live session releases Liquibase's lock");

        assertEquals(ExitCode.OK, run("migrate", "--url", db.jdbcUrl(), "--phases", "expand").exitCode());
        // The backfill's first insert into jobs waits on a crunch session that locked jobs against writes.
        Cli.Run backfill;
        try (Connection crunch = holdLock(db, "LOCK TABLE jobs IN EXCLUSIVE MODE")) {
            backfill = run("migrate", "--url", db.jdbcUrl(), "--batch-size", "50", "--lock-timeout", "1s");
        }
        assertEquals(ExitCode.FAILURE, backfill.exitCode(), backfill.err());
        List<String> errors = backfill.err().lines().filter(l -> l.startsWith("tasks-as-jobs: ")).toList(); // besides progress
        assertEquals(1, errors.size(), backfill.err());
        assertTrue(errors.get(0).startsWith("tasks-as-jobs: could not get a lock within the lock timeout (1 s) during batch 1"
                + " of the backfill: "), backfill.err());

        Cli.Run rerun = run("migrate", "--url", db.jdbcUrl(), "--batch-size", "50");

        assertEquals(ExitCode.OK, rerun.exitCode(), rerun.err());
        assertEveryTaskExactlyOnce(db, "after lock timeouts");
    }

    @Test
    void statementTimeoutEndsTheRunWithOneLineAndTheReRunCompletes(TestDatabase db) throws Exception {
        seed(db);
        Sql.execute(db, "ALTER DATABASE \"" + db.name().replace("\"", "\"\"") + "\" SET statement_timeout = '300ms'");

        Cli.Run cancelled;
        try (Connection crunch = holdLock(db, "LOCK TABLE jobs IN ACCESS SHARE MODE")) {
            cancelled = run("migrate", "--url", db.jdbcUrl(), "--lock-timeout", "0");
        }

        assertEquals(ExitCode.FAILURE, cancelled.exitCode(), cancelled.err());
        assertEquals("tasks-as-jobs: a statement was cancelled during changeSet expand-add-task-columns-to-jobs"
                + " (statement_timeout = 300ms, or pg_cancel_backend); committed batches are kept; run migrate again"
                + " (a smaller --batch-size shortens each statement)\n", cancelled.err());

        Sql.execute(db, "ALTER DATABASE \"" + db.name().replace("\"", "\"\"") + "\" RESET statement_timeout");
        Cli.Run rerun = run("migrate", "--url", db.jdbcUrl());
        assertEquals(ExitCode.OK, rerun.exitCode(), rerun.err());
        assertEveryTaskExactlyOnce(db, "after a statement timeout");
    }

    @Test
    void pauseBetweenBatchesSlowsTheBackfillDownAndBadDurationsAreUsageErrors(TestDatabase db) throws Exception {
        seed(db);
        long start = System.nanoTime();

        Cli.Run paused = run("migrate", "--url", db.jdbcUrl(), "--batch-size", "100", "--pause", "50ms");

        assertEquals(ExitCode.OK, paused.exitCode(), paused.err());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(3 * 50).toNanos(), "four batches, three pauses between them");
        assertEveryTaskExactlyOnce(db, "with pauses");

        Cli.Run bad = run("migrate", "--url", db.jdbcUrl(), "--pause", "soon");
        assertEquals(ExitCode.USAGE, bad.exitCode());
        assertTrue(bad.err().startsWith("tasks-as-jobs: Invalid value for option '--pause': 'soon' is not a duration"), bad.err());
        Cli.Run tooLong = run("migrate", "--url", db.jdbcUrl(), "--lock-timeout", "48h");
        assertEquals(ExitCode.USAGE, tooLong.exitCode());
        assertTrue(tooLong.err().contains("lock timeout must be between 0 (no limit) and 24 h"), tooLong.err());
    }

    @Test
    void connectionLostOutsideAMigrationIsOneLineToo() {
        StringWriter text = new StringWriter();
        int code = ErrorHandler.report(new RuntimeException(
                new SQLException("FATAL: terminating connection due to administrator command", "57P01")), new PrintWriter(text, true));

        assertEquals(ExitCode.FAILURE, code);
        assertEquals("tasks-as-jobs: the database connection was lost (FATAL: terminating connection due to administrator"
                + " command); run the command again\n", text.toString());
    }

    /** 400 tasks of 40 jobs, the mess of old databases included. */
    private static void seed(TestDatabase db) {
        Cli.Run seed = run("seed", "--url", db.jdbcUrl(), "--jobs", "40", "--tasks-per-job", "10", "--dirty", "--seed", "5");
        assertEquals(ExitCode.OK, seed.exitCode(), seed.err());
    }

    private static void assertNoStackTrace(String output) {
        assertFalse(output.contains("\tat ") || output.contains("Exception"), "no stack trace:\n" + output);
    }
}
