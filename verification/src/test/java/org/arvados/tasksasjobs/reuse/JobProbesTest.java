package org.arvados.tasksasjobs.reuse;

import static org.arvados.tasksasjobs.reuse.JobRows.COMMIT;
import static org.arvados.tasksasjobs.reuse.JobRows.IMAGE;
import static org.arvados.tasksasjobs.reuse.JobRows.INPUT;
import static org.arvados.tasksasjobs.reuse.JobRows.OTHER_USER;
import static org.arvados.tasksasjobs.reuse.JobRows.OWNER;
import static org.arvados.tasksasjobs.reuse.JobRows.REPOSITORY;
import static org.arvados.tasksasjobs.reuse.JobRows.SCRIPT;
import static org.arvados.tasksasjobs.reuse.JobRows.YAML;
import static org.junit.jupiter.api.Assertions.assertEquals;
import org.arvados.tasksasjobs.verification.JobProbes;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.mapping.InheritPolicy;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ReuseDatabaseExtension.class)
class JobProbesTest {

    private static final String PARENT = "zzzzz-8i9sb-parentjob000001";

    @Test
    void everyJobOfAnUnmigratedDatabaseIsResubmittedAsItselfInIdOrderAndBatches(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            rows.job("zzzzz-8i9sb-job00000000003").insert();
            rows.job("zzzzz-8i9sb-job00000000001").parameters("---\nan_integer: '1'\ninput: x\n").owner(OTHER_USER)
                    .sdk(COMMIT).image(null).insert();
            rows.job("zzzzz-8i9sb-job00000000002").parameters(null).insert();
            List<List<Probe>> batches = new ArrayList<>();

            JobProbes.Scan scan = JobProbes.forEachTopLevelJob(c, YAML, 2, batches::add);

            assertEquals(new JobProbes.Scan(3, 0, List.of()), scan);
            assertEquals(List.of(2, 1), batches.stream().map(List::size).toList());
            List<Probe> probes = batches.stream().flatMap(List::stream).toList();
            assertEquals(List.of("zzzzz-8i9sb-job00000000003", "zzzzz-8i9sb-job00000000001", "zzzzz-8i9sb-job00000000002"),
                    probes.stream().map(Probe::id).toList());
            assertEquals(new Probe("zzzzz-8i9sb-job00000000003", REPOSITORY, SCRIPT, COMMIT, Map.of("input", INPUT), IMAGE,
                    null, OWNER, null), probes.get(0));
            assertEquals(new Probe("zzzzz-8i9sb-job00000000001", REPOSITORY, SCRIPT, COMMIT,
                    Map.of("an_integer", "1", "input", "x"), null, COMMIT, OTHER_USER, null), probes.get(1));
            assertEquals(Map.of(), probes.get(2).scriptParameters());
        }
    }

    @Test
    void jobsWhoseParametersCannotBeReadAreSkippedAndCounted(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            rows.job("zzzzz-8i9sb-job00000000001").insert();
            rows.job("zzzzz-8i9sb-unreadable00001").parameters("not a hash").insert();
            rows.job("zzzzz-8i9sb-unreadable00002").parameters("--- 2017-01-02\n").insert();
            List<Probe> probes = new ArrayList<>();

            JobProbes.Scan scan = JobProbes.forEachTopLevelJob(c, YAML, 10, probes::addAll);

            assertEquals(new JobProbes.Scan(1, 2, List.of("zzzzz-8i9sb-unreadable00001", "zzzzz-8i9sb-unreadable00002")), scan);
            assertEquals(List.of("zzzzz-8i9sb-job00000000001"), probes.stream().map(Probe::id).toList());
        }
    }

    @Test
    void afterTheMigrationTopLevelJobsAndTaskLikeJobsAreScannedApart(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            rows.job(PARENT).parameters("{\"reference\":\"hg19\"}").insert();
            rows.task("zzzzz-ot0gb-task00000000001", PARENT, "---\ninput: a\n", true, ". 37b51d194a7513e45b56f6524f2d51f2+3 0:3:a\n");
            rows.task("zzzzz-ot0gb-task00000000002", PARENT, null, null, null);
            rows.migrate();
            rows.job("zzzzz-8i9sb-shimtask000001").owner(OTHER_USER).parent(PARENT, null).insert(); // made without a task row
            List<Probe> topLevel = new ArrayList<>();
            List<Probe> tasks = new ArrayList<>();

            JobProbes.forEachTopLevelJob(c, YAML, 10, topLevel::addAll);
            JobProbes.Scan scan = JobProbes.forEachTaskLikeJob(c, YAML, 10, tasks::addAll);

            assertEquals(List.of(PARENT), topLevel.stream().map(Probe::id).toList());
            assertEquals(3, scan.probes());
            assertEquals(List.of(
                    new Probe("zzzzz-ot0gb-task00000000001", null, null, null, Map.of("input", "a"), null, null, OWNER, PARENT),
                    new Probe("zzzzz-ot0gb-task00000000002", null, null, null, Map.of(), null, null, OWNER, PARENT),
                    new Probe("zzzzz-8i9sb-shimtask000001", null, null, null, Map.of(), null, null, OTHER_USER, PARENT)), tasks);
        }
    }

    @Test
    void anUnmigratedDatabaseHasNoTaskLikeJobs(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            new JobRows(c).job(PARENT).insert();
            List<Probe> tasks = new ArrayList<>();

            assertEquals(new JobProbes.Scan(0, 0, List.of()), JobProbes.forEachTaskLikeJob(c, YAML, 10, tasks::addAll));
            assertEquals(List.of(), tasks);
        }
    }

    @Test
    void theConsumerEvaluatesOnTheScanningConnectionWhileTheCursorIsOpen(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            List<String> uuids = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                uuids.add(rows.job(String.format("zzzzz-8i9sb-job%012d", i)).parameters("{\"input\":\"" + i + "\"}").insert());
            }
            rows.job("zzzzz-8i9sb-running0000001").parameters("{\"input\":\"running\"}").state("Running").insert();
            ReuseEngine engine = new ReuseEngine(c, YAML, InheritPolicy.ALL, TieBreak.ASC);
            List<ReuseOutcome> outcomes = new ArrayList<>();

            JobProbes.forEachTopLevelJob(c, YAML, 2, batch -> outcomes.addAll(engine.evaluate(batch)));

            assertEquals(8, outcomes.size());
            for (int i = 0; i < 7; i++) {
                assertEquals(new ReuseOutcome(uuids.get(i), uuids.get(i), ReuseRule.COMPLETE), outcomes.get(i));
            }
            assertEquals(new ReuseOutcome("zzzzz-8i9sb-running0000001", "zzzzz-8i9sb-running0000001", ReuseRule.RUNNING),
                    outcomes.get(7));
            assertTrue(c.getAutoCommit(), "the caller's auto-commit mode is back");
        }
    }

    @Test
    void insideTheCallersTransactionTheScanLeavesItOpen(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            new JobRows(c).job(PARENT).insert();
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TEMPORARY TABLE scratch (x int)");
            }

            JobProbes.forEachTopLevelJob(c, YAML, 10, batch -> { });

            assertFalse(c.getAutoCommit());
            c.rollback();
            try (Statement st = c.createStatement()) {
                assertThrows(SQLException.class, () -> st.executeQuery("SELECT * FROM scratch"),
                        "the scan did not commit the caller's transaction");
            }
        }
    }

    @Test
    void aFailingConsumerEndsTheScanAndRestoresAutoCommit(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            new JobRows(c).job(PARENT).insert();

            assertThrows(SQLException.class, () -> JobProbes.forEachTopLevelJob(c, YAML, 10, batch -> {
                throw new SQLException("consumer failed");
            }));

            assertTrue(c.getAutoCommit());
            assertEquals(PARENT, new JobRows(c).scalar("SELECT uuid FROM jobs"), "the connection is usable");
        }
    }
}
