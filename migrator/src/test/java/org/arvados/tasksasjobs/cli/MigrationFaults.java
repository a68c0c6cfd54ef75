package org.arvados.tasksasjobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.arvados.tasksasjobs.verification.CheckResult;
import org.arvados.tasksasjobs.verification.QuarantineCheck;
import org.arvados.tasksasjobs.verification.RoundTripCheck;

/** What the fault tests share: a lock held by "crunch", a migrator seen waiting on it, and the exactness verdict. */
final class MigrationFaults {

    private MigrationFaults() {
    }

    /**
     * A session of the test's own holding a table lock inside an open transaction, as a long crunch transaction would;
     * closing it rolls back and so releases the lock.
     */
    static Connection holdLock(TestDatabase db, String lockStatement) throws SQLException {
        Connection c = db.connect();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute(lockStatement);
        }
        return c;
    }

    /**
     * Waits until a tasks-as-jobs backend of this database waits for a lock, and returns its pid: proof that the
     * migrator is inside a statement, in an open transaction, right now. Bounded: fails after {@code max}.
     */
    static int awaitMigratorBlockedOnLock(TestDatabase db, Duration max) throws SQLException, InterruptedException {
        String sql = """
                SELECT pid FROM pg_stat_activity
                WHERE datname = current_database() AND application_name LIKE 'tasks-as-jobs%' AND wait_event_type = 'Lock'
                """;
        long deadline = System.nanoTime() + max.toNanos();
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement(sql)) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        return rs.getInt(1);
                    }
                }
                Thread.sleep(5); // polling pg_stat_activity: the condition, not the sleep, is what the test waits for
            }
        }
        throw new AssertionError("no tasks-as-jobs backend waited for a lock within " + max);
    }

    /**
     * Waits until no tasks-as-jobs backend of this database is left. A backend whose client was killed while it
     * waited for a lock only notices when the lock comes and it finishes its statement; until then it still holds
     * the migrator's advisory lock, and status rightly reports a migrator at work. Bounded: fails after {@code max}.
     */
    static void awaitMigratorBackendsGone(TestDatabase db, Duration max) throws SQLException, InterruptedException {
        String sql = """
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND application_name LIKE 'tasks-as-jobs%' AND pid <> pg_backend_pid()
                """;
        long deadline = System.nanoTime() + max.toNanos();
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement(sql)) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
                Thread.sleep(5); // polling pg_stat_activity: the condition, not the sleep, is what the test waits for
            }
        }
        throw new AssertionError("a killed migrator's backend was still there after " + max);
    }

    /** Ends every tasks-as-jobs backend of this database, as a DBA's pg_terminate_backend would; returns how many. */
    static long terminateMigratorBackends(TestDatabase db) throws SQLException {
        return Sql.count(db, """
                SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE datname = current_database() AND application_name LIKE 'tasks-as-jobs%' AND pid <> pg_backend_pid()
                """);
    }

    /** Whether any session holds Liquibase's changelog lock (changelogs' SessionLockService: "task", "lqbs"). */
    static boolean liquibaseLockSet(TestDatabase db) throws SQLException {
        return Sql.count(db, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                + " AND classid::bigint = x'7461736b'::bigint AND objid::bigint = x'6c716273'::bigint AND objsubid = 2") > 0;
    }

    /**
     * The migration is exact: every task is exactly once a task-like job or a quarantine row, never both, and the
     * verifier's round-trip and quarantine checks pass (job_tasks rebuilt from task-like jobs equals job_tasks).
     */
    static void assertEveryTaskExactlyOnce(TestDatabase db, String context) throws SQLException {
        long tasks = Sql.count(db, "SELECT count(*) FROM job_tasks");
        long carried = Sql.count(db, "SELECT count(*) FROM jobs WHERE legacy_task_uuid IS NOT NULL");
        long distinct = Sql.count(db, "SELECT count(DISTINCT legacy_task_uuid) FROM jobs WHERE legacy_task_uuid IS NOT NULL");
        long quarantined = Sql.count(db, "SELECT count(*) FROM job_tasks_quarantine");
        assertEquals(carried, distinct, context + ": no task carried twice");
        assertEquals(tasks, carried + quarantined, context + ": every task carried or quarantined");
        assertEquals(0, Sql.count(db, "SELECT count(*) FROM job_tasks_quarantine q JOIN jobs j ON j.legacy_task_uuid = q.task_uuid"),
                context + ": never both");
        try (Connection c = db.connect()) {
            CheckResult roundTrip = new RoundTripCheck(c).run();
            assertTrue(roundTrip.passed(), context + ": round trip " + roundTrip.firstDifferences());
            CheckResult quarantine = new QuarantineCheck(c).run();
            assertTrue(quarantine.passed(), context + ": quarantine " + quarantine.firstDifferences());
        }
    }
}
