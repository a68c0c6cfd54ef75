package org.arvados.tasksasjobs.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import liquibase.exception.LiquibaseException;
import org.arvados.tasksasjobs.changelog.MigrationChangelog;
import org.arvados.tasksasjobs.changelog.Phase;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract phase as a legacy SQL client sees it: job_tasks becomes a writable view, and rollback gives the table back. */
@ExtendWith(ArvadosDatabaseExtension.class)
class ContractTest {

    private static final String JOB = "zzzzz-8i9sb-parentjob000001";
    private static final String ENDED = "zzzzz-8i9sb-parentjob000002";
    private static final String YAML_JOB = "zzzzz-8i9sb-yamlparent00001";
    private static final String MANIFEST = ". 37b51d194a7513e45b56f6524f2d51f2+3 0:3:out.txt\n";

    @Test
    void contractIsRefusedWithoutAPassedVerificationRecordedAfterTheLastBackfill(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            seed(new ArvadosRows(c));
            update(c, Phase.EXPAND, Phase.BACKFILL);

            MigrationRefusedException none = assertThrows(MigrationRefusedException.class, () -> update(c, Phase.CONTRACT));
            assertTrue(none.getMessage().contains("contract needs a passed verification recorded after the last backfill"), none.getMessage());
            recordVerification(c, false);
            assertThrows(MigrationRefusedException.class, () -> update(c, Phase.CONTRACT));
            execute(c, "INSERT INTO tasks_as_jobs_verification (started_at, finished_at, passed, checks)"
                    + " VALUES (now(), (SELECT min(finished_at) FROM tasks_as_jobs_checkpoint) - interval '1 hour', true, '{}')");
            assertThrows(MigrationRefusedException.class, () -> update(c, Phase.CONTRACT), "a pass older than the last backfill counts for nothing");

            assertEquals("r", scalar(c, "SELECT relkind::text FROM pg_class WHERE oid = 'job_tasks'::regclass"), "job_tasks is still the table");
            recordVerification(c, true);
            update(c, Phase.CONTRACT);
            assertEquals("v", scalar(c, "SELECT relkind::text FROM pg_class WHERE oid = 'job_tasks'::regclass"));
        }
    }

    @Test
    void legacySqlClientsReadAndWriteThroughTheViewAndRollbackBringsBackWhatTheViewShowed(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosRows rows = new ArvadosRows(c);
            long[] ids = seed(rows);
            update(c, Phase.EXPAND, Phase.BACKFILL);
            List<List<String>> before = rowsOf(c, "SELECT * FROM job_tasks ORDER BY id");
            String columnsBefore = columns(c);
            recordVerification(c, true);

            update(c, Phase.CONTRACT);

            assertEquals(before, rowsOf(c, "SELECT * FROM job_tasks ORDER BY id"), "the view returns every row byte for byte, id included");
            assertEquals(columnsBefore, columns(c), "same columns, same order, same types");
            assertEquals(before, rowsOf(c, "SELECT * FROM job_tasks_legacy ORDER BY id"));

            // An old writer inserts a task as crunch did (id from the default), then updates it as set_output does.
            long inserted;
            try (PreparedStatement st = c.prepareStatement("""
                    INSERT INTO job_tasks (uuid, owner_uuid, modified_at, job_uuid, sequence, parameters, created_at, updated_at,
                        created_by_job_task_uuid, qsequence)
                    VALUES ('zzzzz-ot0gb-viewinserted001', 'zzzzz-tpzed-000000000000000', now(), ?, 1,
                        '{"input":"x/é.txt","b":[1,2.5,{"z":null,"a":true}],"n":-0.0}', now(), now(), 'zzzzz-ot0gb-task00000000001', 7)
                    RETURNING id""")) {
                st.setString(1, JOB);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    inserted = rs.getLong(1);
                }
            }
            assertTrue(inserted > ids[ids.length - 1], "a new id from job_tasks_id_seq");
            assertEquals("{\"algorithm\":\"md5\",\"b\":[1,2.5,{\"a\":true,\"z\":null}],\"input\":\"x/é.txt\",\"n\":-0.0}",
                    scalar(c, "SELECT script_parameters FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-viewinserted001'"));
            assertEquals("Queued", scalar(c, "SELECT state FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-viewinserted001'"));
            assertEquals("zzzzz-8i9sb-task00000000001",
                    scalar(c, "SELECT created_by_job_uuid FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-viewinserted001'"));
            assertEquals(1, update(c, "UPDATE job_tasks SET output = '" + MANIFEST + "', success = true, progress = 1.0,"
                    + " started_at = now(), finished_at = now() WHERE id = " + inserted));
            assertEquals("Complete", scalar(c, "SELECT state FROM jobs WHERE legacy_task_id = " + inserted));
            assertEquals(scalar(c, "SELECT md5('" + MANIFEST + "') || '+' || octet_length('" + MANIFEST + "')"),
                    scalar(c, "SELECT output FROM jobs WHERE legacy_task_id = " + inserted));
            assertEquals("true", scalar(c, "SELECT success::text FROM job_tasks WHERE id = " + inserted));
            // A task of a job whose parameters are YAML keeps working for updates that leave parameters alone.
            assertEquals(1, update(c, "UPDATE job_tasks SET progress = 0.75 WHERE id = " + ids[3]));
            assertEquals(1, update(c, "UPDATE job_tasks SET success = false WHERE id = " + ids[1]));
            assertEquals("Failed", scalar(c, "SELECT state FROM jobs WHERE legacy_task_id = " + ids[1]));
            assertEquals(1, update(c, "DELETE FROM job_tasks WHERE id = " + ids[2]));
            assertEquals(1, update(c, "DELETE FROM job_tasks WHERE id = " + ids[4]), "a quarantined task can be deleted too");
            assertEquals(1, update(c, "UPDATE job_tasks SET progress = 0.25 WHERE id = " + ids[5]), "and a quarantined one updated");

            SQLException yaml = assertThrows(SQLException.class, () -> execute(c, "INSERT INTO job_tasks (uuid, job_uuid, parameters,"
                    + " created_at, updated_at) VALUES ('zzzzz-ot0gb-yamlparams00001', '" + JOB + "', '---\ninput: x\n', now(), now())"));
            assertTrue(yaml.getMessage().contains("write this task through the tasks-as-jobs gateway"), yaml.getMessage());
            SQLException yamlParent = assertThrows(SQLException.class, () -> execute(c, "INSERT INTO job_tasks (uuid, job_uuid,"
                    + " parameters, created_at, updated_at) VALUES ('zzzzz-ot0gb-yamlparent00001', '" + YAML_JOB + "', '{}', now(), now())"));
            assertTrue(yamlParent.getMessage().contains("YAML"), yamlParent.getMessage());
            SQLException orphan = assertThrows(SQLException.class, () -> execute(c, "INSERT INTO job_tasks (uuid, job_uuid,"
                    + " created_at, updated_at) VALUES ('zzzzz-ot0gb-orphan000000009', 'zzzzz-8i9sb-nosuchjob000000', now(), now())"));
            assertTrue(orphan.getMessage().contains("orphan"), orphan.getMessage());
            SQLException uuid = assertThrows(SQLException.class, () -> execute(c, "UPDATE job_tasks SET uuid = 'zzzzz-ot0gb-renamed000000001'"
                    + " WHERE id = " + ids[0]));
            assertTrue(uuid.getMessage().contains("gateway"), uuid.getMessage());
            SQLException duplicate = assertThrows(SQLException.class, () -> execute(c, "INSERT INTO job_tasks (uuid, job_uuid,"
                    + " created_at, updated_at) VALUES ('zzzzz-ot0gb-viewinserted001', '" + JOB + "', now(), now())"));
            assertTrue(duplicate.getMessage().contains("unique"), duplicate.getMessage());

            List<List<String>> view = rowsOf(c, "SELECT * FROM job_tasks ORDER BY id");
            assertEquals(view, rowsOf(c, "SELECT * FROM job_tasks_legacy ORDER BY id"), "the mirror keeps the table equal to the view");
            assertNotEquals(before, view);

            assertTrue(new MigrationChangelog(c).rollbackContract());

            assertEquals("r", scalar(c, "SELECT relkind::text FROM pg_class WHERE oid = 'job_tasks'::regclass"));
            assertEquals(view, rowsOf(c, "SELECT * FROM job_tasks ORDER BY id"), "the restored table equals the view just before");
            assertEquals(columnsBefore, columns(c));
            assertEquals("0", scalar(c, "SELECT count(*) FROM pg_proc WHERE proname LIKE 'tasks_as_jobs_%' AND proname <> 'tasks_as_jobs_assign_task_id'"
                    + " AND proname NOT LIKE 'tasks_as_jobs_capture%'"));
            assertFalse(new MigrationChangelog(c).rollbackContract(), "nothing left to undo");
        }
    }

    @Test
    void rollbackToBeforeTasksAsJobsWorksFromAContractedDatabaseEvenAfterTheBackfillRanAgain(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosRows rows = new ArvadosRows(c);
            seed(rows);
            String jobsBefore = rows.checksum("jobs");
            update(c, Phase.EXPAND, Phase.BACKFILL);
            recordVerification(c, true);
            update(c, Phase.CONTRACT);
            execute(c, "UPDATE job_tasks SET progress = 0.9 WHERE uuid = 'zzzzz-ot0gb-task00000000002'");
            List<List<String>> view = rowsOf(c, "SELECT * FROM job_tasks ORDER BY id");
            update(c, Phase.EXPAND, Phase.BACKFILL); // a plain migrate after contract: the backfill has nothing to do

            assertEquals(view, rowsOf(c, "SELECT * FROM job_tasks ORDER BY id"));
            new MigrationChangelog(c).rollback();

            assertEquals(view, rowsOf(c, "SELECT * FROM job_tasks ORDER BY id"));
            assertEquals(jobsBefore, rows.checksum("jobs"));
            assertEquals(null, scalar(c, "SELECT to_regclass('job_tasks_legacy')::text"));
        }
    }

    @Test
    void aRoleThatCouldWriteTheTableWritesThroughTheViewWithNoGrantOnJobs(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            seed(new ArvadosRows(c));
            String role = scalar(c, "SELECT current_database() || '_crunch'");
            execute(c, "CREATE ROLE " + role);
            try {
                execute(c, "GRANT SELECT, INSERT, UPDATE, DELETE ON job_tasks TO " + role);
                execute(c, "GRANT USAGE ON SEQUENCE job_tasks_id_seq TO " + role);
                update(c, Phase.EXPAND, Phase.BACKFILL);
                recordVerification(c, true);
                update(c, Phase.CONTRACT);

                execute(c, "SET ROLE " + role);
                execute(c, "INSERT INTO job_tasks (uuid, job_uuid, parameters, created_at, updated_at)"
                        + " VALUES ('zzzzz-ot0gb-byarolewrite001', '" + JOB + "', '{}', now(), now())");
                assertEquals(1, update(c, "UPDATE job_tasks SET progress = 0.5 WHERE uuid = 'zzzzz-ot0gb-byarolewrite001'"));
                assertEquals("0.5", scalar(c, "SELECT progress::text FROM job_tasks WHERE uuid = 'zzzzz-ot0gb-byarolewrite001'"));
                assertThrows(SQLException.class, () -> scalar(c, "SELECT count(*) FROM jobs"), "the role still has no grant on jobs");
            } finally {
                execute(c, "RESET ROLE");
                execute(c, "DROP OWNED BY " + role);
                execute(c, "DROP ROLE " + role);
            }
        }
    }

    /** Tasks of every kind the contract must keep: carried, finished, unfinished of an ended job, quarantined. */
    private static long[] seed(ArvadosRows rows) throws SQLException {
        rows.job(JOB, "Running", "{\"algorithm\":\"md5\",\"input\":\"whole\"}");
        rows.job(ENDED, "Cancelled", "{}");
        rows.job(YAML_JOB, "Running", "---\nalgorithm: md5\n");
        return new long[] {
            rows.task("zzzzz-ot0gb-task00000000001", JOB, "{}", true, MANIFEST, null),
            rows.task("zzzzz-ot0gb-task00000000002", JOB, "{\"input\":\"x/a.txt\"}", null, null, "zzzzz-ot0gb-task00000000001"),
            rows.task("zzzzz-ot0gb-task00000000003", ENDED, null, null, "acbd18db4cc2f85cedef654fccc4a4d8+3", null),
            rows.task("zzzzz-ot0gb-task00000000004", YAML_JOB, "---\ninput: y\n", null, null, null),
            rows.task("zzzzz-ot0gb-orphan000000001", "zzzzz-8i9sb-nosuchjob000000", "{}", true, null, null),
            rows.task(null, JOB, "{}", null, null, null),
        };
    }

    private static void update(Connection c, Phase... phases) throws LiquibaseException {
        new MigrationChangelog(c).update(List.of(phases), BackfillSettings.defaults(), BackfillListener.NONE);
    }

    private static void recordVerification(Connection c, boolean passed) throws SQLException {
        execute(c, "INSERT INTO tasks_as_jobs_verification (started_at, passed, checks) VALUES (now(), " + passed + ", '{}')");
    }

    private static List<List<String>> rowsOf(Connection c, String sql) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getMetaData().getColumnName(i) + "=" + rs.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    private static String columns(Connection c) throws SQLException {
        return scalar(c, "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)"
                + " FROM pg_attribute WHERE attrelid = 'job_tasks'::regclass AND attnum > 0 AND NOT attisdropped");
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static int update(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            return st.executeUpdate(sql);
        }
    }
}
