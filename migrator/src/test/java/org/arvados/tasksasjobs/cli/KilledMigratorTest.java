package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.arvados.tasksasjobs.cli.MigrationFaults.assertEveryTaskExactlyOnce;
import static org.arvados.tasksasjobs.cli.MigrationFaults.awaitMigratorBackendsGone;
import static org.arvados.tasksasjobs.cli.MigrationFaults.awaitMigratorBlockedOnLock;
import static org.arvados.tasksasjobs.cli.MigrationFaults.holdLock;
import static org.arvados.tasksasjobs.cli.MigrationFaults.liquibaseLockSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The migrator (a real child JVM) killed with SIGKILL at random points of expand, backfill and contract in turn, ten
 * times in a row on one database: after
 * each kill no lock is left (Liquibase's lock is a session lock: it died with the killed JVM's session), the same
 * command run again, unchanged, completes, and run once more changes nothing; every task is exactly once a task-like job or a quarantine row, the verifier's round trip is exact, and
 * {@code rollback} brings back jobs and job_tasks as they were, ready for the next kill.
 *
 * <p>Kills land inside a transaction, not only between them: the test holds a lock the migrator needs (as a long
 * crunch transaction would), waits until pg_stat_activity shows the migrator's backend waiting for it, and kills then.
 * The seeded Random picks the phase's kill point; a failure message names the iteration and the point, and the seed
 * replays it.
 */
@ExtendWith(FreshDatabaseExtension.class)
class KilledMigratorTest {

    private static final long SEED = 20_261_125L;
    private static final int KILLS = 10;
    private static final int BATCH_SIZE = 100;
    private static final Duration BLOCKED_WITHIN = Duration.ofSeconds(60);

    /** The phases a kill lands in, taken in turn, each with the re-run that finishes it. */
    enum KillPhase {
        /** Inside an expand changeSet, Liquibase's lock held: waiting behind a long reader of jobs, or on Liquibase's history. */
        EXPAND {
            @Override
            String killDuring(TestDatabase db, Random random, long tasks) throws Exception {
                List<String> locks = new ArrayList<>();
                locks.add("LOCK TABLE jobs IN ACCESS SHARE MODE"); // a long crunch reader: ALTER TABLE jobs waits for it
                if (Sql.count(db, "SELECT count(*) FROM pg_tables WHERE tablename = 'databasechangelog'") > 0) {
                    locks.add("LOCK TABLE databasechangelog IN EXCLUSIVE MODE"); // Liquibase cannot record a changeSet
                }
                String lock = locks.get(random.nextInt(locks.size()));
                try (Connection crunch = holdLock(db, lock);
                     ChildMigrator child = ChildMigrator.start(Map.of(), List.of(), "migrate", "--url", db.jdbcUrl(),
                             "--batch-size", Integer.toString(BATCH_SIZE), "--lock-timeout", "0")) {
                    awaitMigratorBlockedOnLock(db, BLOCKED_WITHIN);
                    assertTrue(liquibaseLockSet(db), "killed while Liquibase holds its lock");
                    assertEquals(137, child.kill());
                }
                assertEquals(0, Sql.count(db, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'tasks_as_jobs_checkpoint'"),
                        "the kill landed before expand finished");
                return "expand, waiting on '" + lock + "'";
            }
        },
        /** In the backfill at a random batch: right after a commit, paused between batches, or inside the next batch's transaction. */
        BACKFILL {
            @Override
            String killDuring(TestDatabase db, Random random, long tasks) throws Exception {
                long batches = (tasks + BATCH_SIZE - 1) / BATCH_SIZE;
                long n = 1 + random.nextInt((int) batches - 2);
                int mode = random.nextInt(3);
                String how;
                if (mode == 0) {
                    try (ChildMigrator child = child(db, "halt-after-batch:" + n)) {
                        Cli.Run halted = child.finish();
                        assertEquals(137, halted.exitCode(), halted.out());
                    }
                    how = "halted as by SIGKILL right after batch " + n + " committed";
                } else {
                    try (ChildMigrator child = child(db, "pause-after-batch:" + n)) {
                        StringBuilder seen = new StringBuilder();
                        assertTrue(child.awaitLine(FaultInjection.PAUSED, seen), seen.toString());
                        if (mode == 1) {
                            assertEquals(137, child.kill());
                            how = "SIGKILL while paused after batch " + n;
                        } else {
                            try (Connection crunch = holdLock(db, "LOCK TABLE tasks_as_jobs_checkpoint IN EXCLUSIVE MODE")) {
                                child.resume();
                                awaitMigratorBlockedOnLock(db, BLOCKED_WITHIN);
                                assertEquals(137, child.kill());
                            }
                            how = "SIGKILL inside batch " + (n + 1) + "'s transaction";
                        }
                    }
                }
                assertEquals(n * BATCH_SIZE, Sql.count(db, "SELECT tasks_migrated + tasks_quarantined FROM tasks_as_jobs_checkpoint"
                        + " WHERE finished_at IS NULL"), how + ": the committed batches, nothing of the next");
                return "backfill, " + how;
            }

            private ChildMigrator child(TestDatabase db, String fault) throws Exception {
                return ChildMigrator.start(Map.of(FaultInjection.VARIABLE, fault), List.of(), "migrate", "--url", db.jdbcUrl(),
                        "--batch-size", Integer.toString(BATCH_SIZE), "--lock-timeout", "0");
            }
        },
        /**
         * Inside the contract changeSet: the database migrated and verified (what contract requires), a long crunch
         * reader of job_tasks holding the rename back, the migrator killed while it waits with Liquibase's lock held.
         */
        CONTRACT {
            @Override
            String killDuring(TestDatabase db, Random random, long tasks) throws Exception {
                Path baseline = Files.createTempFile("killed-contract", ".jsonl");
                try {
                    assertEquals(ExitCode.OK, run("verify", "--url", db.jdbcUrl(), "--record-baseline", baseline.toString()).exitCode());
                    assertEquals(ExitCode.OK, run("migrate", "--url", db.jdbcUrl(), "--batch-size", Integer.toString(BATCH_SIZE)).exitCode());
                    assertEquals(ExitCode.OK, run("verify", "--url", db.jdbcUrl(), "--baseline", baseline.toString()).exitCode());
                } finally {
                    Files.deleteIfExists(baseline);
                }
                try (Connection crunch = holdLock(db, "LOCK TABLE job_tasks IN ACCESS SHARE MODE");
                     ChildMigrator child = ChildMigrator.start(Map.of(), List.of(), "migrate", "--url", db.jdbcUrl(),
                             "--phases", "contract", "--lock-timeout", "0")) {
                    awaitMigratorBlockedOnLock(db, BLOCKED_WITHIN);
                    assertTrue(liquibaseLockSet(db), "killed while Liquibase holds its lock");
                    assertEquals(137, child.kill());
                }
                assertEquals(0, Sql.count(db, "SELECT count(*) FROM pg_views WHERE viewname = 'job_tasks'"),
                        "the killed contract left job_tasks a table");
                return "contract, waiting for a reader of job_tasks";
            }

            @Override
            List<String> rerun() {
                return List.of("--phases", "contract", "--lock-timeout", "0");
            }
        };

        /** Starts a migrator from a database that was never migrated, kills it inside this phase; says where it landed. */
        abstract String killDuring(TestDatabase db, Random random, long tasks) throws Exception;

        /** What the re-run after the kill adds to {@code migrate --url URL}: the killed command's own options. */
        List<String> rerun() {
            return List.of("--batch-size", Integer.toString(BATCH_SIZE), "--lock-timeout", "0");
        }
    }

    /** The phases kills land in, in turn. */
    static final List<KillPhase> KILL_PHASES = List.of(KillPhase.EXPAND, KillPhase.BACKFILL, KillPhase.CONTRACT);

    @Test
    void migratorKilledTenTimesInARowAlwaysResumesToAnExactRoundTrip(TestDatabase db) throws Exception {
        Cli.Run seed = run("seed", "--url", db.jdbcUrl(), "--jobs", "150", "--tasks-per-job", "20", "--dirty", "--seed", "11");
        assertEquals(ExitCode.OK, seed.exitCode(), seed.err());
        long tasks = Sql.count(db, "SELECT count(*) FROM job_tasks");
        String jobsBefore = Sql.checksum(db, "jobs");
        String tasksBefore = Sql.checksum(db, "job_tasks");
        Random random = new Random(SEED);
        List<String> landed = new ArrayList<>();

        for (int i = 0; i < KILLS; i++) {
            KillPhase phase = KILL_PHASES.get(i % KILL_PHASES.size());
            String where = "kill " + (i + 1) + " (seed " + SEED + "): " + phase.killDuring(db, random, tasks);
            landed.add(where);
            awaitMigratorBackendsGone(db, BLOCKED_WITHIN);

            assertFalse(liquibaseLockSet(db), where + ": no lock outlives the killed session");
            Cli.Run status = run("status", "--url", db.jdbcUrl());
            assertFalse(status.out().contains("Liquibase changelog lock"), where + ": no lock to explain\n" + status.out());
            List<String> rerunArgs = new ArrayList<>(List.of("migrate", "--url", db.jdbcUrl()));
            rerunArgs.addAll(phase.rerun());
            StringBuilder reruns = new StringBuilder();
            for (String attempt : List.of("re-run", "second re-run")) {
                Cli.Run rerun = run(rerunArgs.toArray(String[]::new));
                reruns.append(attempt).append(":\n").append(rerun.out()).append(rerun.err());
                assertEquals(ExitCode.OK, rerun.exitCode(), where + ": " + reruns);
            }
            if (phase == KillPhase.CONTRACT) {
                assertEquals(1, Sql.count(db, "SELECT count(*) FROM pg_views WHERE viewname = 'job_tasks'"),
                        where + ": contracted\n" + reruns + run("status", "--url", db.jdbcUrl()).out()
                        + Sql.column(db, "SELECT string_agg(id || ' ' || exectype || ' ' || coalesce(contexts, '-') || ' ' || filename || ' ' || orderexecuted, E'\\n' ORDER BY orderexecuted) FROM databasechangelog"));
            }
            assertEveryTaskExactlyOnce(db, where);

            Cli.Run rollback = run("rollback", "--url", db.jdbcUrl());
            assertEquals(ExitCode.OK, rollback.exitCode(), where + ": rollback\n" + rollback.err());
            assertEquals(jobsBefore, Sql.checksum(db, "jobs"), where + ": jobs as before");
            assertEquals(tasksBefore, Sql.checksum(db, "job_tasks"), where + ": job_tasks as before");
        }
        assertTrue(landed.stream().anyMatch(w -> w.contains("inside batch")), "some kill landed inside a batch's transaction: " + landed);
    }
}
