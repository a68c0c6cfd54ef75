package org.arvados.tasksasjobs.verification;

import static org.arvados.tasksasjobs.verification.SmallArvados.JSON_PARENT;
import static org.arvados.tasksasjobs.verification.SmallArvados.LONELY_JOB;
import static org.arvados.tasksasjobs.verification.SmallArvados.YAML_PARENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.util.List;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ArvadosDatabaseExtension.class)
class JobChecksumsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void coversExactlyTheThirtyFourColumnsJobsHadBeforeTheMigration(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            assertEquals(34, JobChecksums.COLUMNS.size());
            assertEquals(new ArvadosRows(c).column("SELECT column_name FROM information_schema.columns"
                    + " WHERE table_name = 'jobs' ORDER BY ordinal_position"), JobChecksums.COLUMNS);
        }
    }

    @Test
    void aChangedADeletedAndAnInsertedTopLevelJobAreNamedAfterTheMigration(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            SmallArvados.write(c);
            JobChecksums before = roundTripThroughJson(JobChecksums.record(c));
            SmallArvados.migrate(c);
            ArvadosRows rows = new ArvadosRows(c);
            long changed = rows.count("SELECT id FROM jobs WHERE uuid = ?", JSON_PARENT);
            long deleted = rows.count("SELECT id FROM jobs WHERE uuid = ?", LONELY_JOB);
            rows.execute("UPDATE jobs SET description = 'Gr\u00fc\u00dfe, \u65e5\u672c!' WHERE uuid = ?", JSON_PARENT);
            rows.execute("DELETE FROM jobs WHERE uuid = ?", LONELY_JOB);
            rows.execute("INSERT INTO jobs (uuid, created_at, updated_at) VALUES ('zzzzz-8i9sb-newcomer0000001', now(), now())");
            long inserted = rows.count("SELECT id FROM jobs WHERE uuid = 'zzzzz-8i9sb-newcomer0000001'");

            CheckResult result = before.compare(c);

            assertFalse(result.passed());
            assertEquals(3, result.differences());
            assertEquals(3, result.firstDifferences().size());
            assertTrue(result.firstDifferences().get(0).startsWith("job " + JSON_PARENT + " (id " + changed + ") changed: row checksum "),
                    result.firstDifferences().toString());
            assertTrue(result.firstDifferences().contains("job " + LONELY_JOB + " (id " + deleted + ") is gone: in the baseline, not in jobs now"),
                    result.firstDifferences().toString());
            assertTrue(result.firstDifferences().contains("job zzzzz-8i9sb-newcomer0000001 (id " + inserted
                    + ") is new: a top-level job the baseline does not hold"), result.firstDifferences().toString());
        }
    }

    @Test
    void theMigrationItselfChangesNoTopLevelJobAndTaskLikeJobsDoNotCount(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            SmallArvados.write(c);
            JobChecksums before = JobChecksums.record(c);
            SmallArvados.migrate(c);

            CheckResult result = before.compare(c);

            assertTrue(result.passed(), result.firstDifferences().toString());
            assertEquals(6, result.examined());
            assertTrue(new ArvadosRows(c).count("SELECT count(*) FROM jobs") > 6, "task-like jobs were added");
        }
    }

    @Test
    void rangesAreNarrowedToTheRowsThatDifferWhereverTheirIdsFall(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosRows rows = new ArvadosRows(c);
            rows.statement("INSERT INTO jobs (id, uuid, created_at, updated_at, script_parameters) SELECT g,"
                    + " 'zzzzz-8i9sb-' || lpad(g::text, 15, '0'), timestamp '2016-01-01' + g * interval '1 second', now(),"
                    + " CASE WHEN g % 3 = 0 THEN NULL WHEN g % 3 = 1 THEN '' ELSE '---\n' || g END"
                    + " FROM generate_series(-1500, 4500) g WHERE g % 7 <> 0");
            JobChecksums before = roundTripThroughJson(JobChecksums.record(c));
            assertEquals(rows.count("SELECT count(*) FROM jobs"), before.jobs());
            assertTrue(before.compare(c).passed());

            rows.statement("UPDATE jobs SET script_parameters = NULL WHERE id = 2500"); // '' became NULL: must differ
            rows.statement("UPDATE jobs SET uuid = 'zzzzz-8i9sb-renamed00000001' WHERE id = -1002");
            rows.statement("DELETE FROM jobs WHERE id = 4500");
            rows.statement("INSERT INTO jobs (id, uuid, created_at, updated_at) VALUES (7000, 'zzzzz-8i9sb-farawayjob00001', now(), now())");

            CheckResult result = before.compare(c);

            assertEquals(4, result.differences());
            assertEquals(List.of(
                    "job zzzzz-8i9sb-renamed00000001 (id -1002) changed (its uuid was zzzzz-8i9sb-0000000000-1002)",
                    "job zzzzz-8i9sb-000000000002500 (id 2500) changed",
                    "job zzzzz-8i9sb-000000000004500 (id 4500) is gone: in the baseline, not in jobs now",
                    "job zzzzz-8i9sb-farawayjob00001 (id 7000) is new: a top-level job the baseline does not hold"),
                    result.firstDifferences().stream().map(l -> l.replaceAll(": row checksum .*", "")).toList());
            assertEquals(rows.count("SELECT count(*) FROM jobs"), result.examined());
        }
    }

    @Test
    void aJobTurnedIntoATaskLikeJobIsNoLongerTopLevel(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            SmallArvados.write(c);
            JobChecksums before = JobChecksums.record(c);
            SmallArvados.migrate(c);
            new ArvadosRows(c).execute("UPDATE jobs SET legacy_task_uuid = 'zzzzz-ot0gb-hijacked0000001' WHERE uuid = ?", YAML_PARENT);

            CheckResult result = before.compare(c);

            assertEquals(1, result.differences());
            assertTrue(result.firstDifferences().get(0).startsWith("job " + YAML_PARENT + " (id "), result.firstDifferences().get(0));
            assertTrue(result.firstDifferences().get(0).endsWith(") is no longer a top-level job: it is now task-like job " + YAML_PARENT),
                    result.firstDifferences().get(0));
        }
    }

    @Test
    void aBaselineOfAnotherFormatIsRefusedWithOneLine(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            SmallArvados.write(c);
            ObjectNode json = (ObjectNode) JobChecksums.record(c).toJson();
            json.putArray("columns").add("id");

            var e = assertThrows(BaselineFile.BaselineFormatException.class, () -> JobChecksums.fromJson(json));
            assertEquals("the baseline's job checksums cannot be read: they cover other columns of jobs than this version"
                    + " compares; record the baseline again with this version", e.getMessage());
            assertThrows(BaselineFile.BaselineFormatException.class, () -> JobChecksums.fromJson(JSON.readTree("{\"format\":\"x\"}")));
        }
    }

    /** Through the text a baseline file holds, as the verifier reads it back. */
    private static JobChecksums roundTripThroughJson(JobChecksums checksums) throws Exception {
        String text = JSON.writeValueAsString(checksums.toJson());
        JsonNode back = JSON.readTree(text);
        JobChecksums read = JobChecksums.fromJson(back);
        assertEquals(text, JSON.writeValueAsString(read.toJson()));
        return read;
    }
}
