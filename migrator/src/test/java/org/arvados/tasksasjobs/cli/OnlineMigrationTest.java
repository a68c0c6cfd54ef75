package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.arvados.tasksasjobs.backfill.BackfillListener;
import org.arvados.tasksasjobs.backfill.BackfillProgress;
import org.arvados.tasksasjobs.backfill.BackfillResult;
import org.arvados.tasksasjobs.backfill.BackfillSettings;
import org.arvados.tasksasjobs.changelog.BaselineSchema;
import org.arvados.tasksasjobs.changelog.Phase;
import org.arvados.tasksasjobs.migration.Migrator;
import org.arvados.tasksasjobs.seed.SeedGenerator;
import org.arvados.tasksasjobs.seed.SeedSpec;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.arvados.tasksasjobs.verification.CheckResult;
import org.arvados.tasksasjobs.verification.QuarantineCheck;
import org.arvados.tasksasjobs.verification.RoundTripCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The online phase on a live database: crunch keeps writing job_tasks while the migration runs. */
@ExtendWith(FreshDatabaseExtension.class)
class OnlineMigrationTest {

    private static final List<Phase> ONLINE = List.of(Phase.EXPAND, Phase.ONLINE, Phase.BACKFILL);
    private static final long WRITE_PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(4);
    private static final long MAX_WRITES = 40_000;

    @Test
    void aWriterInsertingUpdatingAndDeletingThroughoutAnOnlineBackfillOf100kTasksLosesNothing(TestDatabase db) throws Exception {
        long begin = System.nanoTime();
        try (Connection c = db.connect()) {
            BaselineSchema.apply(c);
            new SeedGenerator(new SeedSpec(10_600, 10, 5, true)).writeTo(c);
        }
        long seeded = Sql.count(db, "SELECT count(*) FROM job_tasks");
        assertTrue(seeded >= 100_000, "seeded " + seeded);
        long seedMillis = elapsedMillis(begin);

        CountDownLatch capturing = new CountDownLatch(1);
        AtomicBoolean walkDone = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong writesDuringWalk = new AtomicLong();
        AtomicLong walkMillis = new AtomicLong();
        CrunchWriter crunch = new CrunchWriter(db, stop, 42);
        Thread writer = new Thread(() -> {
            try {
                capturing.await(120, TimeUnit.SECONDS);
                // Paced like a busy crunch (at most ~250 writes/s) and bounded, so the drain keeps up on a small machine.
                while (!stop.get() && crunch.writes.get() < MAX_WRITES) {
                    crunch.writeOne();
                    if (!walkDone.get()) {
                        writesDuringWalk.incrementAndGet();
                    }
                    LockSupport.parkNanos(WRITE_PACE_NANOS);
                }
                crunch.close();
            } catch (Exception e) {
                crunch.failure.set(e);
            }
        }, "crunch-writer");
        writer.start();

        AtomicReference<BackfillResult> first = new AtomicReference<>();
        long migrateStart = System.nanoTime();
        try (Connection c = db.connect()) {
            new Migrator(c, new BackfillListener() {
                @Override
                public void started(BackfillProgress progress, boolean resumed) {
                    capturing.countDown(); // the trigger is installed: the online changeSets ran before the backfill
                }

                @Override
                public void walkFinished(BackfillProgress progress) {
                    walkDone.set(true);
                    walkMillis.set(progress.elapsed().toMillis());
                }

                @Override
                public void finished(BackfillResult result) {
                    first.set(result);
                }
            }).migrate(new Migrator.Options(ONLINE, BackfillSettings.defaults()));
        } finally {
            // The writer wrote through the walk and the drain that followed it; stop it now (after the walk is done).
            stop.set(true);
            writer.join(TimeUnit.SECONDS.toMillis(30));
        }
        long firstRunMillis = elapsedMillis(migrateStart);
        assertNull(crunch.failure.get(), () -> "the writer failed: " + crunch.failure.get());
        assertTrue(walkDone.get());
        assertTrue(writesDuringWalk.get() >= 200, "writes during the walk: " + writesDuringWalk.get());
        assertTrue(first.get().changesApplied() > 0, "the first run applied captured writes");

        // Crunch has stopped: migrate again until nothing is waiting (each run applies what was queued when it began).
        long waiting = Sql.count(db, "SELECT count(*) FROM job_tasks_changes");
        int reruns = 0;
        while (waiting > 0 && reruns < 3) {
            try (Connection c = db.connect()) {
                Migrator.Outcome outcome = new Migrator(c, BackfillListener.NONE)
                        .migrate(new Migrator.Options(ONLINE, BackfillSettings.defaults()));
                waiting = outcome.backfill().changesWaiting();
            }
            reruns++;
        }
        assertEquals(0, waiting);
        assertEquals(0, Sql.count(db, "SELECT count(*) FROM job_tasks_changes"));

        long verifyStart = System.nanoTime();
        try (Connection c = db.connect()) {
            CheckResult roundTrip = new RoundTripCheck(c).run();
            assertTrue(roundTrip.passed(), roundTrip.firstDifferences().toString());
            assertEquals(0, roundTrip.differences(), "zero extra and zero missing rows");
            CheckResult quarantine = new QuarantineCheck(c).run();
            assertTrue(quarantine.passed(), quarantine.firstDifferences().toString());
        }
        assertEquals(0, Sql.count(db, """
                SELECT count(*) FROM jobs j WHERE j.legacy_created_by_task_uuid IS NOT NULL
                  AND j.created_by_job_uuid IS DISTINCT FROM (SELECT c.uuid FROM jobs c WHERE c.legacy_task_uuid = j.legacy_created_by_task_uuid)"""),
                "every created task points at its creator's task-like job as it is now");
        System.out.printf("online backfill: seeded %,d tasks in %.1f s; first migrate %.1f s (walk %.1f s) with %,d writes (%,d of them during"
                        + " the walk: %s), %,d captured changes applied; %d more run(s) to empty the queue; verified in %.1f s;"
                        + " %.1f s in all%n",
                seeded, seedMillis / 1000.0, firstRunMillis / 1000.0, walkMillis.get() / 1000.0, crunch.writes.get(), writesDuringWalk.get(),
                crunch.tally(), first.get().changesApplied(), reruns, elapsedMillis(verifyStart) / 1000.0,
                elapsedMillis(begin) / 1000.0);
    }

    @Test
    void migrateWithTheOnlinePhaseThenStatusShowsTheChangesWaitingAndRollbackRemovesTheCapture(TestDatabase db) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "40", "--tasks-per-job", "6", "--dirty").exitCode());
        String jobs = Sql.checksum(db, "jobs");

        Cli.Run migrate = run("migrate", "--url", db.jdbcUrl(), "--phases", "expand,online,backfill", "--json");
        assertEquals(ExitCode.OK, migrate.exitCode(), migrate.err());
        assertEquals(0, new ObjectMapper().readTree(migrate.out()).at("/backfill/changes_waiting").asLong(),
                () -> migrate.out() + queue(db));

        Sql.execute(db, "UPDATE job_tasks SET output = 'written online'"
                + " WHERE id = (SELECT min(t.id) FROM job_tasks t JOIN jobs j ON j.legacy_task_uuid = t.uuid)");
        Sql.execute(db, "DELETE FROM job_tasks WHERE id = (SELECT max(id) FROM job_tasks)");
        Cli.Run status = run("status", "--url", db.jdbcUrl());
        assertEquals(ExitCode.OK, status.exitCode(), status.err());
        assertTrue(status.out().contains("online: capturing job_tasks writes; 2 changes waiting"), status.out());
        assertTrue(status.out().contains("online-create-capture-trigger"), status.out());
        JsonNode json = new ObjectMapper().readTree(run("status", "--url", db.jdbcUrl(), "--json").out());
        assertTrue(json.get("online").asBoolean());
        assertEquals("active", json.get("online_capture").asText());
        assertEquals(2, json.get("changes_waiting").asLong());

        Cli.Run again = run("migrate", "--url", db.jdbcUrl(), "--phases", "expand,online,backfill");
        assertEquals(ExitCode.OK, again.exitCode(), again.err());
        assertTrue(again.out().contains("online: 2 captured job_tasks writes applied, 0 waiting"), again.out());
        assertTrue(run("status", "--url", db.jdbcUrl()).out().contains("0 changes waiting"));
        assertEquals(1, Sql.count(db, "SELECT count(*) FROM jobs WHERE task_output = 'written online'"));
        try (Connection c = db.connect()) {
            assertTrue(new RoundTripCheck(c).run().passed());
        }
        String tasks = Sql.checksum(db, "job_tasks");

        Cli.Run rollback = run("rollback", "--url", db.jdbcUrl());

        assertEquals(ExitCode.OK, rollback.exitCode(), rollback.err());
        assertEquals(jobs, Sql.checksum(db, "jobs"));
        assertEquals(tasks, Sql.checksum(db, "job_tasks"));
        assertEquals(0, Sql.count(db, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'job_tasks_changes'"));
        assertEquals(0, Sql.count(db, "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'job_tasks'::regclass AND NOT tgisinternal"));
        assertEquals(0, Sql.count(db, "SELECT count(*) FROM pg_proc WHERE proname = 'tasks_as_jobs_capture_task_change'"));
        assertTrue(run("status", "--url", db.jdbcUrl()).out().contains("online: not installed"));
    }

    private static String queue(TestDatabase db) {
        try {
            return Sql.column(db, "SELECT c::text || ' ' || coalesce((SELECT t::text FROM job_tasks t WHERE t.id = c.task_id), 'gone')"
                    + " FROM job_tasks_changes c").toString();
        } catch (SQLException e) {
            return e.toString();
        }
    }

    private static long elapsedMillis(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /**
     * What crunch does to job_tasks, one autocommitted statement at a time, at random: insert tasks (some that must
     * be quarantined, some naming a creator task), update parameters, output/success/progress, job_uuid and uuid,
     * delete tasks; now and then a write in a transaction that is rolled back.
     */
    private static final class CrunchWriter {
        private static final String[] OPS = {"insert", "parameters", "output", "job_uuid", "uuid", "delete", "rolled_back"};

        final AtomicReference<Exception> failure = new AtomicReference<>();
        final AtomicLong writes = new AtomicLong();
        private final long[] counts = new long[OPS.length];
        private final TestDatabase db;
        private final AtomicBoolean stop;
        private final Random random;
        private Connection c;
        private List<String> parents;
        private long minId;
        private long maxId;
        private long serial;

        CrunchWriter(TestDatabase db, AtomicBoolean stop, long seed) {
            this.db = db;
            this.stop = stop;
            this.random = new Random(seed);
        }

        String tally() {
            StringBuilder s = new StringBuilder();
            for (int k = 0; k < OPS.length; k++) {
                s.append(k == 0 ? "" : ", ").append(OPS[k]).append(' ').append(counts[k]);
            }
            return s.toString();
        }

        void writeOne() throws SQLException {
            if (c == null) {
                c = db.connect();
                parents = Sql.column(db, "SELECT uuid FROM jobs WHERE uuid LIKE '%-8i9sb-%' ORDER BY id LIMIT 500");
                minId = Sql.count(db, "SELECT min(id) FROM job_tasks");
                maxId = Sql.count(db, "SELECT max(id) FROM job_tasks");
            }
            int op = random.nextInt(OPS.length);
            long target = minId + (long) (random.nextDouble() * (maxId - minId));
            String task = "(SELECT id FROM job_tasks WHERE id >= " + target + " ORDER BY id LIMIT 1)";
            switch (OPS[op]) {
                case "insert" -> insert();
                case "parameters" -> update("UPDATE job_tasks SET parameters = ? WHERE id = " + task,
                        random.nextInt(20) == 0 ? "--- [unclosed" : "{\"online\":" + random.nextInt(1000) + "}");
                case "output" -> update("UPDATE job_tasks SET output = ?, success = " + (random.nextBoolean() ? "true" : "NULL")
                        + ", progress = 1 WHERE id = " + task, ". d41d8cd98f00b204e9800998ecf8427e+0 0:0:out" + serial++ + "\n");
                case "job_uuid" -> update("UPDATE job_tasks SET job_uuid = ? WHERE id = " + task, parent());
                case "uuid" -> update("UPDATE job_tasks SET uuid = ? WHERE id = " + task, freshUuid());
                case "delete" -> update("DELETE FROM job_tasks WHERE id = " + task, null);
                default -> rolledBack(task);
            }
            counts[op]++;
            writes.incrementAndGet();
        }

        void close() throws SQLException {
            if (c != null) {
                c.close();
            }
        }

        private void insert() throws SQLException {
            String sql = """
                    INSERT INTO job_tasks (uuid, owner_uuid, modified_by_client_uuid, modified_by_user_uuid, modified_at, job_uuid,
                        sequence, parameters, output, progress, success, created_at, updated_at, created_by_job_task_uuid,
                        qsequence, started_at, finished_at)
                    VALUES (?, 'zzzzz-tpzed-000000000000000', 'zzzzz-ozdt8-000000000000000', 'zzzzz-tpzed-000000000000000',
                        now() AT TIME ZONE 'UTC', ?, 1, ?, NULL, 0, NULL, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC',
                        (SELECT uuid FROM job_tasks WHERE id >= ? ORDER BY id LIMIT 1), nextval('job_tasks_qsequence_seq'),
                        NULL, NULL)
                    """;
            try (PreparedStatement st = c.prepareStatement(sql)) {
                st.setString(1, freshUuid());
                st.setString(2, random.nextInt(30) == 0 ? "zzzzz-8i9sb-nosuchjob000000" : parent());
                st.setString(3, random.nextInt(20) == 0 ? "--- [unclosed" : "{\"input\":\"" + serial++ + "\"}");
                st.setLong(4, random.nextBoolean() ? Long.MAX_VALUE : minId + (long) (random.nextDouble() * (maxId - minId)));
                st.executeUpdate();
            }
        }

        private void update(String sql, String value) throws SQLException {
            try (PreparedStatement st = c.prepareStatement(sql)) {
                if (value != null) {
                    st.setString(1, value);
                }
                st.executeUpdate();
            }
        }

        private void rolledBack(String task) throws SQLException {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE job_tasks SET output = 'never committed' WHERE id = " + task);
                st.executeUpdate("DELETE FROM job_tasks WHERE id = " + task);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }

        private String parent() {
            return parents.get(random.nextInt(parents.size()));
        }

        private String freshUuid() {
            return String.format("zzzzz-ot0gb-online%09d", serial++);
        }
    }
}
