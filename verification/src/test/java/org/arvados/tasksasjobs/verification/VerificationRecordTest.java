package org.arvados.tasksasjobs.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.arvados.tasksasjobs.backfill.BackfillListener;
import org.arvados.tasksasjobs.backfill.BackfillSettings;
import org.arvados.tasksasjobs.changelog.MigrationChangelog;
import org.arvados.tasksasjobs.changelog.Phase;
import org.arvados.tasksasjobs.mapping.InheritPolicy;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The verification record the contract phase relies on, and the row checks on a contracted database. */
@ExtendWith(ArvadosDatabaseExtension.class)
class VerificationRecordTest {

    private static final CheckResult PASSED = new CheckResult("round-trip", "d", true, 12, 0, List.of(), Duration.ZERO);

    @Test
    void aVerifyRunIsRecordedAsOneRowWithItsVerdictAndChecks(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            SmallArvados.write(c);
            SmallArvados.migrate(c);

            String note = VerificationRecord.record(c, report(), Path.of("/tmp/baseline.jsonl"), InheritPolicy.ALL);

            assertTrue(note.startsWith("recorded in the database"), note);
            assertEquals("true|baseline.jsonl|null|{\"round-trip\":{\"differences\":0,\"examined\":12,\"passed\":true}}",
                    scalar(c, "SELECT passed || '|' || baseline || '|' || coalesce(inherit_policy, 'null') || '|' || checks"
                            + " FROM tasks_as_jobs_verification"));
        }
    }

    @Test
    void anUnmigratedDatabaseOrAReadOnlyRunIsNotRecordedAndNothingBreaks(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            assertTrue(VerificationRecord.record(c, report(), null, InheritPolicy.ALL).contains("no tasks_as_jobs_verification table"));
            SmallArvados.migrate(c);
            c.setAutoCommit(false);
            c.setReadOnly(true);

            String note = VerificationRecord.record(c, report(), null, InheritPolicy.ALL);

            assertTrue(note.startsWith("not recorded in the database: ") && note.contains("read-only"), note);
            assertEquals("1", scalar(c, "SELECT 1"), "the caller's transaction is still usable");
            c.rollback();
        }
    }

    @Test
    void rowChecksStillPassAfterContractAndLegacyWrites(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            SmallArvados.write(c);
            SmallArvados.migrate(c);
            VerificationRecord.record(c, report(), null, InheritPolicy.ALL);
            new MigrationChangelog(c).update(List.of(Phase.CONTRACT), BackfillSettings.defaults(), BackfillListener.NONE);
            try (Statement st = c.createStatement()) {
                st.execute("UPDATE job_tasks SET progress = 0.5, output = '. 0cc175b9c0f1b6a831c399e269772661+1 0:1:a\n'"
                        + " WHERE uuid = '" + SmallArvados.RUNNING_TASK + "'");
                st.execute("INSERT INTO job_tasks (uuid, job_uuid, parameters, created_at, updated_at)"
                        + " VALUES ('zzzzz-ot0gb-aftercontract01', '" + SmallArvados.JSON_PARENT + "', '{\"input\":\"w\"}', now(), now())");
                st.execute("DELETE FROM job_tasks WHERE uuid = '" + SmallArvados.QUEUED_TASK + "'");
            }

            for (CheckResult check : List.of(new RoundTripCheck(c).run(), new QuarantineCheck(c).run(),
                    new MappingConsistencyCheck(c).run(), new ContractCheck(c, InheritPolicy.ALL).run())) {
                assertTrue(check.passed(), check.name() + ": " + check.firstDifferences());
                assertTrue(check.examined() > 0, check.name());
            }
        }
    }

    private static VerificationReport report() {
        return new VerificationReport("t", Instant.now(), Duration.ZERO, List.of(PASSED), List.of());
    }

    private static String scalar(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
