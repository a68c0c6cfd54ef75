package org.arvados.tasksasjobs.reuse;

import static org.arvados.tasksasjobs.reuse.JobRows.INPUT;
import static org.arvados.tasksasjobs.reuse.JobRows.LOG;
import static org.arvados.tasksasjobs.reuse.JobRows.OTHER_USER;
import static org.arvados.tasksasjobs.reuse.JobRows.OWNER;
import static org.arvados.tasksasjobs.reuse.JobRows.YAML;
import static org.arvados.tasksasjobs.reuse.JobRows.probe;
import static org.arvados.tasksasjobs.reuse.JobRows.taskProbe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.mapping.InheritPolicy;
import org.arvados.tasksasjobs.mapping.ParametersDigest;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Task probes after the migration: the parent's log read through, and the gateway's narrower candidate scope. */
@ExtendWith(ReuseDatabaseExtension.class)
class TaskCandidatesTest {

    private static final String PARENT = "zzzzz-8i9sb-parentjob000001";
    private static final String OTHERS_PARENT = "zzzzz-8i9sb-parentjob000002";

    @Test
    void aCompleteTaskLikeJobWithoutLogOfItsOwnIsUsableThroughItsParentsLog(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            rows.job(PARENT).parameters("{}").log(LOG).insert();
            rows.expand();
            // Created through the gateway while the parent ran: the parent's log was NULL then.
            String task = rows.job("zzzzz-8i9sb-tasklikejob0001").log(null).parent(PARENT, "zzzzz-ot0gb-tasklikejob0001").insert();

            assertEquals(task, engine(c, CandidateScope.EVERY_JOB).evaluate(List.of(taskProbe("t", PARENT, Map.of("input", INPUT))))
                    .get(0).reused());
        }
    }

    @Test
    void aTaskLikeJobWhoseParentHasNoLogEitherIsSkipped(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            rows.job(PARENT).parameters("{}").state("Running").insert();
            rows.expand();
            rows.job("zzzzz-8i9sb-tasklikejob0001").log(null).parent(PARENT, "zzzzz-ot0gb-tasklikejob0001").insert();

            ReuseOutcome outcome = engine(c, CandidateScope.EVERY_JOB).evaluate(List.of(taskProbe("t", PARENT, Map.of("input", INPUT))))
                    .get(0);
            assertEquals(ReuseRule.NONE, outcome.rule(), outcome.toString());
        }
    }

    @Test
    void aTopLevelJobWithoutLogIsStillSkippedAfterTheMigration(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            rows.expand();
            rows.job("zzzzz-8i9sb-nolog000000001").log(null).insert();

            assertNull(engine(c, CandidateScope.EVERY_JOB).evaluate(List.of(probe("p"))).get(0).reused());
        }
    }

    @Test
    void theOwnedParentsScopeHidesTaskLikeJobsOfOtherUsersParents(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            rows.job(PARENT).parameters("{}").insert();
            rows.job(OTHERS_PARENT).parameters("{}").owner(OTHER_USER).insert();
            rows.expand();
            // Identical work done under another user's job, and owned by the submitter: only its parent decides.
            String others = rows.job("zzzzz-8i9sb-tasklikejob0001").owner(OWNER)
                    .parent(OTHERS_PARENT, "zzzzz-ot0gb-tasklikejob0001").insert();
            Probe task = taskProbe("t", PARENT, Map.of("input", INPUT));

            assertEquals(others, engine(c, CandidateScope.EVERY_JOB).evaluate(List.of(task)).get(0).reused());
            assertNull(engine(c, CandidateScope.PARENTS_OWNED_BY_SUBMITTER).evaluate(List.of(task)).get(0).reused());

            String mine = rows.job("zzzzz-8i9sb-tasklikejob0002").owner(OTHER_USER)
                    .parent(PARENT, "zzzzz-ot0gb-tasklikejob0002").insert();
            assertEquals(mine, engine(c, CandidateScope.PARENTS_OWNED_BY_SUBMITTER).evaluate(List.of(task)).get(0).reused());
        }
    }

    @Test
    void theOwnedParentsScopeLeavesTopLevelProbesAlone(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            JobRows rows = new JobRows(c);
            rows.expand();
            String others = rows.job("zzzzz-8i9sb-otherscomplete1").owner(OTHER_USER).insert();

            assertEquals(others, engine(c, CandidateScope.PARENTS_OWNED_BY_SUBMITTER).evaluate(List.of(probe("p"))).get(0).reused());
        }
    }

    @Test
    void theScopedQueryStillLooksCandidatesUpThroughTheDigestIndex(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            new JobRows(c).expand();
            st.execute("""
                    INSERT INTO jobs (uuid, owner_uuid, repository, script, script_version, script_parameters,
                        script_parameters_digest, state, output, log, created_at, updated_at, parent_job_uuid)
                    SELECT 'zzzzz-8i9sb-' || lpad(i::text, 15, '0'), 'zzzzz-tpzed-submitter000001', 'active/foo', 'hash',
                        'a1f7b8a3e6e2c9d0b4e5f6a7b8c9d0e1f2a3b4c5', '{"input":"' || i || '"}', md5('{"input":"' || i || '"}'),
                        'Complete', 'o', NULL, now(), now(), 'zzzzz-8i9sb-' || lpad((i % 50)::text, 15, '0')
                    FROM generate_series(1, 5000) AS i""");
            st.execute("ANALYZE jobs");
            StringBuilder plan = new StringBuilder();
            String sql = ReuseEngine.candidatesSql(true, TieBreak.ASC, CandidateScope.PARENTS_OWNED_BY_SUBMITTER);
            try (PreparedStatement explain = c.prepareStatement("EXPLAIN " + sql)) {
                String[][] columns = new String[7][1000];
                Boolean[] task = new Boolean[1000];
                for (int i = 0; i < 1000; i++) {
                    String[] values = {"active/foo", "hash", null, null, null,
                            ParametersDigest.of(Map.of("input", Integer.toString(i * 7))), OWNER};
                    for (int k = 0; k < 7; k++) {
                        columns[k][i] = values[k];
                    }
                    task[i] = true;
                }
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
            assertTrue(plan.toString().contains("index_jobs_on_script_parameters_digest"), plan.toString());
            assertFalse(plan.toString().contains("Seq Scan on jobs"), plan.toString());
        }
    }

    private static ReuseEngine engine(Connection c, CandidateScope scope) {
        return new ReuseEngine(c, YAML, InheritPolicy.ALL, TieBreak.ASC, scope);
    }
}
