package org.arvados.tasksasjobs.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.arvados.tasksasjobs.changelog.MigrationChangelog;
import org.arvados.tasksasjobs.changelog.Phase;
import org.arvados.tasksasjobs.changelog.SchemaState;
import org.arvados.tasksasjobs.changelog.SchemaState.Capture;
import org.arvados.tasksasjobs.changelog.SchemaState.JobTasks;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SchemaState reads each phase as it is, through expand, online, backfill, contract and rollback. */
@ExtendWith(ArvadosDatabaseExtension.class)
class SchemaStateTest {

    @Test
    void readsEveryPhaseFromBaselineToContractAndBack(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            SchemaState baseline = SchemaState.read(c);
            assertNull(baseline.whyNotArvados());
            assertEquals(JobTasks.TABLE, baseline.jobTasks());
            assertFalse(baseline.expanded());
            assertFalse(baseline.quarantineTable());
            assertEquals(Capture.ABSENT, baseline.capture());

            MigrationChangelog changelog = new MigrationChangelog(c);
            changelog.update(List.of(Phase.EXPAND, Phase.ONLINE, Phase.BACKFILL), BackfillSettings.defaults(), BackfillListener.NONE);
            SchemaState migrated = SchemaState.read(c);
            assertTrue(migrated.expanded() && migrated.legacyTaskIdColumn() && migrated.quarantineTable()
                    && migrated.checkpointTable() && migrated.verificationTable() && migrated.changelogTable()
                    && migrated.backfilled(), migrated.toString());
            assertFalse(baseline.backfilled());
            assertEquals(Capture.ACTIVE, migrated.capture());
            assertFalse(migrated.contracted());

            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO tasks_as_jobs_verification (started_at, finished_at, passed, checks)"
                        + " VALUES (now(), now() + interval '1 hour', true, '{}')");
            }
            changelog.update(List.of(Phase.CONTRACT), BackfillSettings.defaults(), BackfillListener.NONE);
            SchemaState contracted = SchemaState.read(c);
            assertTrue(contracted.contracted());
            assertEquals(JobTasks.VIEW, contracted.jobTasks());
            assertEquals(Capture.DISABLED, contracted.capture(), "the capture rests while job_tasks is a view");
            assertNull(contracted.whyNotArvados(), "a contracted database is still one to work on");

            changelog.rollback();
            SchemaState rolledBack = SchemaState.read(c);
            assertEquals(JobTasks.TABLE, rolledBack.jobTasks());
            assertEquals(Capture.ABSENT, rolledBack.capture());
            assertFalse(rolledBack.expanded() || rolledBack.legacyTaskIdColumn() || rolledBack.quarantineTable()
                    || rolledBack.checkpointTable() || rolledBack.verificationTable(), rolledBack.toString());
        }
    }

    @Test
    void refusesTablesWithoutTheArvadosColumnsOrAnOlderArvadosNamingWhy(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE schema_migrations (version varchar(255) PRIMARY KEY)");
            st.execute("INSERT INTO schema_migrations VALUES ('20130523060213'), ('20190808145904')");
            assertNull(SchemaState.read(c).whyNotArvados(), "an Arvados of 2019");
            st.execute("DELETE FROM schema_migrations WHERE version = '20190808145904'");
            assertTrue(SchemaState.read(c).whyNotArvados().contains("ends at version 20130523060213"),
                    SchemaState.read(c).whyNotArvados());
            st.execute("DROP TABLE schema_migrations");

            st.execute("ALTER TABLE jobs DROP COLUMN script_parameters_digest");
            st.execute("ALTER TABLE job_tasks DROP COLUMN qsequence");
            assertEquals("jobs.script_parameters_digest, job_tasks.qsequence are missing in schema public of database "
                    + c.getCatalog() + ": not the crunch v1 tables of an Arvados API server (check --url / PGDATABASE)",
                    SchemaState.read(c).whyNotArvados());
        }
    }

    @Test
    void namesWhatIsMissingFromADatabaseThatIsNotArvados(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE job_tasks");
            assertEquals("no job_tasks table in schema public of database " + c.getCatalog()
                    + ": an Arvados schema without crunch v1 tasks (nothing to migrate)", SchemaState.read(c).whyNotArvados());
            st.execute("DROP TABLE jobs");
            assertTrue(SchemaState.read(c).whyNotArvados().startsWith("no jobs or job_tasks table in schema public"));
        }
    }
}
