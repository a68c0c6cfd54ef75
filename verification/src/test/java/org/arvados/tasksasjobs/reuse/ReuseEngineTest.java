package org.arvados.tasksasjobs.reuse;

import static org.arvados.tasksasjobs.reuse.JobRows.COMMIT;
import static org.arvados.tasksasjobs.reuse.JobRows.IMAGE;
import static org.arvados.tasksasjobs.reuse.JobRows.INPUT;
import static org.arvados.tasksasjobs.reuse.JobRows.OTHER_COMMIT;
import static org.arvados.tasksasjobs.reuse.JobRows.OTHER_IMAGE;
import static org.arvados.tasksasjobs.reuse.JobRows.OTHER_OUTPUT;
import static org.arvados.tasksasjobs.reuse.JobRows.OTHER_USER;
import static org.arvados.tasksasjobs.reuse.JobRows.OWNER;
import static org.arvados.tasksasjobs.reuse.JobRows.REPOSITORY;
import static org.arvados.tasksasjobs.reuse.JobRows.SCRIPT;
import static org.arvados.tasksasjobs.reuse.JobRows.T0;
import static org.arvados.tasksasjobs.reuse.JobRows.YAML;
import static org.arvados.tasksasjobs.reuse.JobRows.probe;
import static org.arvados.tasksasjobs.reuse.JobRows.taskProbe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.arvados.tasksasjobs.mapping.InheritPolicy;
import org.arvados.tasksasjobs.mapping.ParametersDigest;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ReuseDatabaseExtension.class)
class ReuseEngineTest {

    private static final String SDK = "7b6f7d5c4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d";
    private static final String PARENT = "zzzzz-8i9sb-parentjob000001";

    // -- same submission ------------------------------------------------------------------------------------------

    @Test
    void reusesTheOldestCompleteJobOfTheSameSubmission(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            String oldest = rows.job("zzzzz-8i9sb-completeold0001").insert();
            rows.job("zzzzz-8i9sb-completenew0001").insert();

            assertOutcome(oldest, ReuseRule.COMPLETE, evaluate(c, probe("p")));
        }
    }

    @Test
    void aJobOfAnotherScriptIsNotACandidate(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            new JobRows(c).job("zzzzz-8i9sb-otherscript0001").script("grep").insert();

            assertOutcome(null, ReuseRule.NONE, evaluate(c, probe("p")));
        }
    }

    @Test
    void aJobOfAnotherRepositoryIsNotACandidate(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            new JobRows(c).job("zzzzz-8i9sb-otherrepo000001").repository("active/bar").insert();

            assertOutcome(null, ReuseRule.NONE, evaluate(c, probe("p")));
        }
    }

    @Test
    void aJobAtAnotherCommitIsNotACandidate(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            new JobRows(c).job("zzzzz-8i9sb-othercommit0001").scriptVersion(OTHER_COMMIT).insert();

            assertOutcome(null, ReuseRule.NONE, evaluate(c, probe("p")));
        }
    }

    @Test
    void anUnresolvedCommitAddsNoCommitFilter(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            String job = new JobRows(c).job("zzzzz-8i9sb-othercommit0001").scriptVersion(OTHER_COMMIT).insert();

            assertOutcome(job, ReuseRule.COMPLETE, evaluate(c, with(probe("p"), null, IMAGE, null)));
        }
    }

    @Test
    void aJobWithAnotherImageIsNotACandidate(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            new JobRows(c).job("zzzzz-8i9sb-otherimage00001").image(OTHER_IMAGE).insert();

            assertOutcome(null, ReuseRule.NONE, evaluate(c, probe("p")));
        }
    }

    @Test
    void aProbeWithoutImageReusesOnlyJobsWithoutImage(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            rows.job("zzzzz-8i9sb-withimage000001").insert();
            String without = rows.job("zzzzz-8i9sb-noimage00000001").image(null).insert();

            assertOutcome(without, ReuseRule.COMPLETE, evaluate(c, with(probe("p"), COMMIT, null, null)));
        }
    }

    @Test
    void theSdkVersionIsComparedOnlyWhenAskedFor(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            String job = new JobRows(c).job("zzzzz-8i9sb-withsdk0000001").sdk(SDK).insert();

            assertOutcome(job, ReuseRule.COMPLETE, evaluate(c, probe("not-asked")));
            assertOutcome(job, ReuseRule.COMPLETE, evaluate(c, with(probe("same"), COMMIT, IMAGE, SDK)));
            assertOutcome(null, ReuseRule.NONE, evaluate(c, with(probe("other"), COMMIT, IMAGE, OTHER_COMMIT)));
        }
    }

    @Test
    void anIntegerAndItsStringAreDifferentParameters(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            String job = new JobRows(c).job("zzzzz-8i9sb-stringone00001").parameters("{\"an_integer\":\"1\"}").insert();

            assertOutcome(null, ReuseRule.NONE, evaluate(c, withParameters(probe("integer"), Map.of("an_integer", 1L))));
            assertOutcome(job, ReuseRule.COMPLETE, evaluate(c, withParameters(probe("string"), Map.of("an_integer", "1"))));
        }
    }

    @Test
    void parametersMatchByDigestWhateverTheirKeyOrderOrStoredForm(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            String job = new JobRows(c).job("zzzzz-8i9sb-yamlparams0001")
                    .parameters("---\nz:\n- b: b\n  a: a\ninput: " + INPUT + "\n").insert();
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("input", INPUT);
            parameters.put("z", List.of(Map.of("a", "a", "b", "b")));

            assertOutcome(job, ReuseRule.COMPLETE, evaluate(c, withParameters(probe("p"), parameters)));
        }
    }

    // -- candidates ---------------------------------------------------------------------------------------------------

    @Test
    void nondeterministicJobsAreNeverReused(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            rows.job("zzzzz-8i9sb-nondetermin0001").nondeterministic(true).insert();
            String deterministic = rows.job("zzzzz-8i9sb-determinist0001").nondeterministic(false).insert();
            rows.job("zzzzz-8i9sb-unmarked000001").nondeterministic(null).insert();

            assertOutcome(deterministic, ReuseRule.COMPLETE, evaluate(c, probe("p")));
        }
    }

    @Test
    void failedAndCancelledJobsAreNeverReused(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            rows.job("zzzzz-8i9sb-failed00000001").state("Failed").output(JobRows.OUTPUT).log(JobRows.LOG).insert();
            rows.job("zzzzz-8i9sb-cancelled00001").state("Cancelled").output(JobRows.OUTPUT).log(JobRows.LOG).insert();

            assertOutcome(null, ReuseRule.NONE, evaluate(c, probe("p")));
        }
    }

    @Test
    void inProgressJobsCountOnlyForTheirOwnerCompleteJobsForAnyone(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            rows.job("zzzzz-8i9sb-othersrunning01").owner(OTHER_USER).state("Running").insert();
            rows.job("zzzzz-8i9sb-othersqueued001").owner(OTHER_USER).state("Queued").insert();

            assertOutcome(null, ReuseRule.NONE, evaluate(c, probe("p")));

            String complete = rows.job("zzzzz-8i9sb-otherscomplete1").owner(OTHER_USER).insert();
            assertOutcome(complete, ReuseRule.COMPLETE, evaluate(c, probe("p")));
        }
    }

    @Test
    void aRunningJobOfTheSubmitterIsReusedWhenNoCompleteOneIs(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            String running = new JobRows(c).job("zzzzz-8i9sb-running0000001").state("Running").insert();

            assertOutcome(running, ReuseRule.RUNNING, evaluate(c, probe("p")));
        }
    }

    @Test
    void theOldestRunningJobWinsOverOlderQueuedOnes(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            rows.job("zzzzz-8i9sb-queued00000001").state("Queued").insert();
            String running = rows.job("zzzzz-8i9sb-running0000001").state("Running").insert();
            rows.job("zzzzz-8i9sb-running0000002").state("Running").insert();

            assertOutcome(running, ReuseRule.RUNNING, evaluate(c, probe("p")));
        }
    }

    @Test
    void theOldestQueuedJobIsTheLastResort(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            String queued = rows.job("zzzzz-8i9sb-queued00000001").state("Queued").insert();
            rows.job("zzzzz-8i9sb-queued00000002").state("Queued").insert();

            assertOutcome(queued, ReuseRule.QUEUED, evaluate(c, probe("p")));
        }
    }

    // -- the walk -----------------------------------------------------------------------------------------------------

    @Test
    void aCompleteJobWinsOverARunningOne(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            rows.job("zzzzz-8i9sb-running0000001").state("Running").insert();
            String complete = rows.job("zzzzz-8i9sb-complete000001").insert();

            assertOutcome(complete, ReuseRule.COMPLETE, evaluate(c, probe("p")));
        }
    }

    @Test
    void completeJobsWithoutOutputOrLogAreSkipped(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            rows.job("zzzzz-8i9sb-nooutput000001").output(null).insert();
            rows.job("zzzzz-8i9sb-nolog000000001").log(null).insert();
            String usable = rows.job("zzzzz-8i9sb-usable00000001").insert();

            assertOutcome(usable, ReuseRule.COMPLETE, evaluate(c, probe("p")));
        }
    }

    @Test
    void skippedCompleteJobsDoNotDisagree(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            String usable = rows.job("zzzzz-8i9sb-usable00000001").insert();
            rows.job("zzzzz-8i9sb-nolog000000001").output(OTHER_OUTPUT).log(null).insert();

            assertOutcome(usable, ReuseRule.COMPLETE, evaluate(c, probe("p")));
        }
    }

    @Test
    void completeJobsThatDisagreeAreNotReusedAndTheRunningOneIs(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            rows.job("zzzzz-8i9sb-complete000001").insert();
            rows.job("zzzzz-8i9sb-complete000002").insert();
            rows.job("zzzzz-8i9sb-disagrees00001").output(OTHER_OUTPUT).insert();
            rows.job("zzzzz-8i9sb-complete000003").insert();

            assertOutcome(null, ReuseRule.OUTPUTS_DIFFER, evaluate(c, probe("p")));

            String running = rows.job("zzzzz-8i9sb-running0000001").state("Running").insert();
            assertOutcome(running, ReuseRule.OUTPUTS_DIFFER, evaluate(c, probe("p")));
        }
    }

    @Test
    void candidatesTiedOnCreatedAtAreOrderedByIdAsTheTieBreakSays(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            String first = rows.job("zzzzz-8i9sb-tiedfirst00001").createdAt(T0).insert();
            String second = rows.job("zzzzz-8i9sb-tiedsecond0001").createdAt(T0).insert();

            assertOutcome(first, ReuseRule.COMPLETE, engine(c, TieBreak.ASC).evaluate(List.of(probe("p"))).get(0));
            assertOutcome(second, ReuseRule.COMPLETE, engine(c, TieBreak.DESC).evaluate(List.of(probe("p"))).get(0));
        }
    }

    // -- set-wise -------------------------------------------------------------------------------------------------------

    @Test
    void aBatchTakesOneCandidateQueryPerThousandProbesAndKeepsTheirOrder(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            List<String> jobs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                jobs.add(rows.job(String.format("zzzzz-8i9sb-batch%010d", i)).parameters("{\"input\":\"" + i + "\"}").insert());
            }
            List<Probe> probes = new ArrayList<>();
            for (int i = 0; i < 2500; i++) {
                probes.add(withParameters(new Probe("p" + i, REPOSITORY, SCRIPT, COMMIT, Map.of(), IMAGE, null, OWNER, null),
                        Map.of("input", Integer.toString(i % 7))));
            }
            AtomicInteger candidateQueries = new AtomicInteger();

            List<ReuseOutcome> outcomes = engine(counting(c, candidateQueries), TieBreak.ASC).evaluate(probes);

            assertEquals(3, candidateQueries.get(), "2,500 probes in chunks of 1,000");
            assertEquals(2500, outcomes.size());
            for (int i = 0; i < 2500; i++) {
                ReuseOutcome outcome = outcomes.get(i);
                assertEquals("p" + i, outcome.probeId());
                assertEquals(i % 7 < 5 ? jobs.get(i % 7) : null, outcome.reused(), outcome.probeId());
            }
        }
    }

    @Test
    void eachProbesCandidatesAreLookedUpThroughTheDigestIndex(TestDatabase db) throws Exception {
        // A table this small is where a planner free to choose hashes all of jobs instead (it assumes 100 probes).
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("""
                    INSERT INTO jobs (uuid, owner_uuid, repository, script, script_version, script_parameters,
                        script_parameters_digest, state, output, log, created_at, updated_at)
                    SELECT 'zzzzz-8i9sb-' || lpad(i::text, 15, '0'), 'zzzzz-tpzed-submitter000001', 'active/foo',
                        (ARRAY['hash', 'grep', 'bwa-align'])[i % 3 + 1], 'a1f7b8a3e6e2c9d0b4e5f6a7b8c9d0e1f2a3b4c5',
                        '{"input":"' || i || '"}', md5('{"input":"' || i || '"}'), 'Complete', 'o', 'l', now(), now()
                    FROM generate_series(1, 5000) AS i""");
            st.execute("ANALYZE jobs");
            String[][] columns = new String[7][1000];
            Boolean[] task = new Boolean[1000];
            for (int i = 0; i < 1000; i++) {
                String[] values = {REPOSITORY, SCRIPT, COMMIT, null, null,
                        ParametersDigest.of(Map.of("input", Integer.toString(i * 7))), OWNER};
                for (int k = 0; k < 7; k++) {
                    columns[k][i] = values[k];
                }
                task[i] = false;
            }
            for (boolean migrated : new boolean[] {false, true}) {
                if (migrated) {
                    new JobRows(c).expand();
                }
                StringBuilder plan = new StringBuilder();
                try (PreparedStatement explain = c.prepareStatement("EXPLAIN " + ReuseEngine.candidatesSql(migrated, TieBreak.ASC))) {
                    for (int k = 0; k < 7; k++) {
                        explain.setArray(k + 1, c.createArrayOf("text", columns[k]));
                    }
                    explain.setArray(8, c.createArrayOf("boolean", task));
                    try (ResultSet rs = explain.executeQuery()) {
                        while (rs.next()) {
                            plan.append(rs.getString(1)).append('\n');
                        }
                    }
                }
                assertTrue(plan.toString().contains("Index Scan using index_jobs_on_script_parameters_digest on jobs"), plan.toString());
                assertFalse(plan.toString().contains("Seq Scan on jobs"), plan.toString());
            }
        }
    }

    // -- the two worlds -------------------------------------------------------------------------------------------------

    @Test
    void beforeTheMigrationEveryJobIsATopLevelCandidateAndATaskProbeHasNothing(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            String job = rows.job(PARENT).insert();

            List<ReuseOutcome> outcomes = engine(c, TieBreak.ASC).evaluate(List.of(
                    probe("top"), taskProbe("task", PARENT, Map.of())));

            assertOutcome(job, ReuseRule.COMPLETE, outcomes.get(0));
            assertOutcome(null, ReuseRule.NONE, outcomes.get(1));
        }
    }

    @Test
    void afterTheMigrationATopLevelProbeIgnoresTaskLikeJobs(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            rows.job(PARENT).parameters("{\"other\":\"job\"}").insert();
            rows.expand();
            // A task-like job that would match the probe in every other respect.
            rows.job("zzzzz-8i9sb-tasklikejob0001").parent(PARENT, "zzzzz-ot0gb-tasklikejob0001").insert();

            assertOutcome(null, ReuseRule.NONE, evaluate(c, probe("p")));

            String topLevel = rows.job("zzzzz-8i9sb-toplevel000001").insert();
            assertOutcome(topLevel, ReuseRule.COMPLETE, evaluate(c, probe("p")));
        }
    }

    @Test
    void afterTheMigrationATaskProbeConsidersOnlyTaskLikeJobs(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            rows.job(PARENT).parameters("{}").insert();
            rows.expand();
            // A top-level job submitting exactly what the task probe resolves to.
            rows.job("zzzzz-8i9sb-toplevel000001").insert();

            Probe task = taskProbe("t", PARENT, Map.of("input", INPUT));
            assertOutcome(null, ReuseRule.NONE, evaluate(c, task));

            String taskLike = rows.job("zzzzz-8i9sb-tasklikejob0001").parent(PARENT, "zzzzz-ot0gb-tasklikejob0001").insert();
            assertOutcome(taskLike, ReuseRule.COMPLETE, evaluate(c, task));
        }
    }

    // -- task probes ----------------------------------------------------------------------------------------------------

    @Test
    void aTaskProbeReusesACompleteTaskWithTheSameMergedParametersAfterTheBackfill(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            rows.job(PARENT).parameters("---\nreference: hg19\nan_integer: '1'\n").insert();
            rows.task("zzzzz-ot0gb-task00000000001", PARENT, "{\"input\":\"" + INPUT + "\"}", true,
                    ". 37b51d194a7513e45b56f6524f2d51f2+3 0:3:out.txt\n");
            rows.task("zzzzz-ot0gb-task00000000002", PARENT, "{\"input\":\"other\"}", false, null);
            rows.migrate();
            String carried = rows.scalar("SELECT uuid FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-task00000000001'");

            List<ReuseOutcome> outcomes = engine(c, TieBreak.ASC).evaluate(List.of(
                    taskProbe("same", PARENT, Map.of("input", INPUT)),
                    taskProbe("failed-before", PARENT, Map.of("input", "other")),
                    taskProbe("overrides-parent", PARENT, Map.of("input", INPUT, "an_integer", 1L))));

            assertOutcome(carried, ReuseRule.COMPLETE, outcomes.get(0));
            assertOutcome(null, ReuseRule.NONE, outcomes.get(1));
            assertOutcome(null, ReuseRule.NONE, outcomes.get(2));
        }
    }

    @Test
    void aTaskProbeInheritsOnlyWhatTheInheritPolicyLets(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            InheritPolicy policy = InheritPolicy.of(Map.of(SCRIPT, List.of("reference")));
            rows.job(PARENT).parameters("{\"reference\":\"hg19\",\"input\":\"whole\"}").insert();
            rows.task("zzzzz-ot0gb-task00000000001", PARENT, "{\"part\":\"1\"}", true, ". 37b51d194a7513e45b56f6524f2d51f2+3 0:3:a\n");
            rows.migrate(policy);
            String carried = rows.scalar("SELECT uuid FROM jobs WHERE legacy_task_uuid IS NOT NULL");
            Probe task = taskProbe("t", PARENT, Map.of("part", "1"));

            assertOutcome(carried, ReuseRule.COMPLETE, new ReuseEngine(c, YAML, policy, TieBreak.ASC).evaluate(List.of(task)).get(0));
            assertOutcome(null, ReuseRule.NONE, engine(c, TieBreak.ASC).evaluate(List.of(task)).get(0));
        }
    }

    @Test
    void aTaskProbeTakesRepositoryScriptCommitImageAndSdkFromItsParent(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            rows.job(PARENT).parameters("{}").image(null).sdk(SDK).insert();
            rows.expand();
            String taskLike = rows.job("zzzzz-8i9sb-tasklikejob0001").image(null).sdk(SDK)
                    .parent(PARENT, "zzzzz-ot0gb-tasklikejob0001").insert();
            // What the probe says about them is not what a task submission carries: it is ignored.
            Probe task = new Probe("t", "active/elsewhere", "grep", OTHER_COMMIT, Map.of("input", INPUT), OTHER_IMAGE,
                    OTHER_COMMIT, OWNER, PARENT);

            assertOutcome(taskLike, ReuseRule.COMPLETE, evaluate(c, task));

            // The same task under a parent that asked for another SDK: the parent's SDK is compared, so no reuse.
            rows.job("zzzzz-8i9sb-othersdk000001").parameters("{}").image(null).sdk(OTHER_COMMIT).insert();
            assertOutcome(null, ReuseRule.NONE, evaluate(c, taskProbe("t2", "zzzzz-8i9sb-othersdk000001",
                    Map.of("input", INPUT))));
        }
    }

    @Test
    void aTaskProbeUnderAnUnknownOrUnreadableParentHasNothingToReuse(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            rows.job(PARENT).parameters("not a hash").digest(null).insert();
            rows.expand();
            rows.job("zzzzz-8i9sb-tasklikejob0001").parent(PARENT, "zzzzz-ot0gb-tasklikejob0001").insert();

            List<ReuseOutcome> outcomes = engine(c, TieBreak.ASC).evaluate(List.of(
                    taskProbe("unreadable", PARENT, Map.of("input", INPUT)),
                    taskProbe("unknown", "zzzzz-8i9sb-nosuchjob0000001", Map.of("input", INPUT)),
                    // a task-like job is no parent
                    taskProbe("task-like", "zzzzz-8i9sb-tasklikejob0001", Map.of("input", INPUT))));

            assertOutcome(null, ReuseRule.NONE, outcomes.get(0));
            assertOutcome(null, ReuseRule.NONE, outcomes.get(1));
            assertOutcome(null, ReuseRule.NONE, outcomes.get(2));
        }
    }

    @Test
    void aTaskProbeReusesInProgressTaskLikeJobsOfItsSubmitterOnly(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            rows.job(PARENT).parameters("{}").owner(OTHER_USER).state("Running").insert();
            rows.expand();
            rows.job("zzzzz-8i9sb-tasklikejob0001").owner(OTHER_USER).state("Running")
                    .parent(PARENT, "zzzzz-ot0gb-tasklikejob0001").insert();
            String mine = rows.job("zzzzz-8i9sb-tasklikejob0002").owner(OWNER).state("Queued")
                    .parent(PARENT, "zzzzz-ot0gb-tasklikejob0002").insert();

            assertOutcome(mine, ReuseRule.QUEUED, evaluate(c, taskProbe("t", PARENT, Map.of("input", INPUT))));
        }
    }

    // -- helpers ----------------------------------------------------------------------------------------------------------

    private static ReuseEngine engine(Connection c, TieBreak tieBreak) {
        return new ReuseEngine(c, YAML, InheritPolicy.ALL, tieBreak);
    }

    /** The outcome of one probe, which must not depend on how ties are broken. */
    private static ReuseOutcome evaluate(Connection c, Probe probe) throws Exception {
        ReuseOutcome asc = engine(c, TieBreak.ASC).evaluate(List.of(probe)).get(0);
        ReuseOutcome desc = engine(c, TieBreak.DESC).evaluate(List.of(probe)).get(0);
        assertEquals(asc, desc, "no ties in this test");
        return asc;
    }

    private static void assertOutcome(String reused, ReuseRule rule, ReuseOutcome outcome) {
        assertEquals(rule, outcome.rule(), outcome.toString());
        if (reused == null) {
            assertNull(outcome.reused(), outcome.toString());
        } else {
            assertEquals(reused, outcome.reused(), outcome.toString());
        }
    }

    private static Probe with(Probe p, String scriptVersion, String image, String sdk) {
        return new Probe(p.id(), p.repository(), p.script(), scriptVersion, p.scriptParameters(), image, sdk, p.ownerUuid(),
                p.parentJobUuid());
    }

    private static Probe withParameters(Probe p, Map<String, Object> parameters) {
        return new Probe(p.id(), p.repository(), p.script(), p.scriptVersion(), parameters, p.dockerImageLocator(),
                p.arvadosSdkVersion(), p.ownerUuid(), p.parentJobUuid());
    }

    /** The connection, counting the candidate queries prepared on it. */
    private static Connection counting(Connection c, AtomicInteger candidateQueries) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement") && String.valueOf(args[0]).contains("unnest")) {
                        candidateQueries.incrementAndGet();
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
