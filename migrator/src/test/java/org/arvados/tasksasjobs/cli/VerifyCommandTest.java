package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** verify and migrate --verify as a CI pipeline runs them. */
@ExtendWith(FreshDatabaseExtension.class)
class VerifyCommandTest {

    private static final List<String> CHECKS = List.of("top-level-reuse", "top-level-jobs", "round-trip", "quarantine",
            "mapping-consistency", "contract", "task-reuse-gained");

    @Test
    void migrateVerifyOnADirtySeedPassesAndItsJUnitFileListsEveryCheck(TestDatabase db, @TempDir Path dir) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "120", "--tasks-per-job", "10", "--dirty").exitCode());
        Path junit = dir.resolve("verify.xml");
        Path json = dir.resolve("verify.json");

        Cli.Run r = run("migrate", "--url", db.jdbcUrl(), "--verify", "--junit", junit.toString(), "--verify-json", json.toString());

        assertEquals(ExitCode.OK, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("verification passed"), r.out());
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
        NodeList cases = xml.getElementsByTagName("testcase");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element testcase = (Element) cases.item(i);
            names.add(testcase.getAttribute("name"));
            assertEquals(0, testcase.getElementsByTagName("failure").getLength(), testcase.getAttribute("name"));
        }
        assertEquals(CHECKS, names);
        assertTrue(Files.readString(json).contains("\"round-trip\""));
    }

    @Test
    void aTaskLikeJobThatWouldCaptureATopLevelSubmissionFailsVerificationNamingTheProbe(TestDatabase db, @TempDir Path dir) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "60", "--tasks-per-job", "6").exitCode());
        Path baseline = dir.resolve("baseline.jsonl");
        assertEquals(ExitCode.OK, run("verify", "--url", db.jdbcUrl(), "--record-baseline", baseline.toString()).exitCode());
        assertEquals(ExitCode.OK, run("migrate", "--url", db.jdbcUrl()).exitCode());
        // A Complete top-level job that reuses itself; make some task-like job its older twin, outside any parent.
        String victim = Sql.column(db, """
                SELECT uuid FROM jobs WHERE parent_job_uuid IS NULL AND legacy_task_uuid IS NULL AND state = 'Complete'
                  AND output IS NOT NULL AND log IS NOT NULL AND nondeterministic IS NOT TRUE
                ORDER BY id LIMIT 1""").get(0);
        Sql.execute(db, """
                UPDATE jobs t SET parent_job_uuid = NULL, repository = v.repository, script = v.script,
                    script_version = v.script_version, docker_image_locator = v.docker_image_locator,
                    arvados_sdk_version = v.arvados_sdk_version, script_parameters = v.script_parameters,
                    script_parameters_digest = v.script_parameters_digest, state = 'Complete', output = v.output,
                    log = v.log, nondeterministic = NULL, created_at = v.created_at - interval '1 day'
                FROM jobs v
                WHERE v.uuid = '%s' AND t.id = (SELECT min(id) FROM jobs WHERE legacy_task_uuid IS NOT NULL)
                """.formatted(victim));
        Path junit = dir.resolve("verify.xml");

        Cli.Run r = run("verify", "--url", db.jdbcUrl(), "--baseline", baseline.toString(), "--junit", junit.toString());

        assertEquals(ExitCode.DIFFERENCES, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("FAIL  top-level-reuse"), r.out());
        assertTrue(r.out().contains(victim + ": before reused " + victim), r.out());
        assertTrue(Files.readString(junit).contains(victim), "the JUnit failure names the probe");
    }

    @Test
    void aChangedTopLevelJobFailsVerificationNamingIt(TestDatabase db, @TempDir Path dir) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "40", "--tasks-per-job", "5").exitCode());
        Path baseline = dir.resolve("baseline.jsonl");
        assertEquals(ExitCode.OK, run("verify", "--url", db.jdbcUrl(), "--record-baseline", baseline.toString()).exitCode());
        assertEquals(ExitCode.OK, run("migrate", "--url", db.jdbcUrl()).exitCode());
        String changed = Sql.column(db, "SELECT uuid FROM jobs WHERE legacy_task_uuid IS NULL ORDER BY id DESC LIMIT 1").get(0);
        Sql.execute(db, "UPDATE jobs SET description = 'edited by hand' WHERE uuid = '" + changed + "'");

        Cli.Run r = run("verify", "--url", db.jdbcUrl(), "--baseline", baseline.toString());

        assertEquals(ExitCode.DIFFERENCES, r.exitCode(), r.out());
        assertTrue(r.out().contains("FAIL  top-level-jobs"), r.out());
        assertTrue(r.out().contains(changed), r.out());
    }

    @Test
    void outcomesDecidedByACreatedAtTieAreReportedAsNoiseNotAsDifferences(TestDatabase db, @TempDir Path dir) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "40", "--tasks-per-job", "4").exitCode());
        // Two identical Complete submissions with the same output and the same created_at: either may be reused.
        String original = Sql.column(db, """
                SELECT uuid FROM jobs WHERE state = 'Complete' AND output IS NOT NULL AND log IS NOT NULL
                  AND nondeterministic IS NOT TRUE ORDER BY id LIMIT 1""").get(0);
        Sql.execute(db, """
                INSERT INTO jobs (uuid, owner_uuid, script, script_version, repository, docker_image_locator,
                    arvados_sdk_version, script_parameters, script_parameters_digest, state, running, success, output, log,
                    created_at, updated_at, priority)
                SELECT 'zzzzz-8i9sb-tiedtwin0000001', owner_uuid, script, script_version, repository, docker_image_locator,
                    arvados_sdk_version, script_parameters, script_parameters_digest, state, running, success, output, log,
                    created_at, updated_at, 0
                FROM jobs WHERE uuid = '%s'""".formatted(original));
        Path baseline = dir.resolve("baseline.jsonl");

        Cli.Run recorded = run("verify", "--url", db.jdbcUrl(), "--record-baseline", baseline.toString());

        assertEquals(ExitCode.OK, recorded.exitCode(), recorded.err());
        assertTrue(recorded.out().contains("noise: " + original), recorded.out());
        assertTrue(recorded.out().contains("candidates tied on created_at"), recorded.out());
        assertEquals(ExitCode.OK, run("migrate", "--url", db.jdbcUrl()).exitCode());
        Cli.Run verified = run("verify", "--url", db.jdbcUrl(), "--baseline", baseline.toString());
        assertEquals(ExitCode.OK, verified.exitCode(), verified.out());
        assertTrue(verified.out().contains("noise, not compared: " + original), verified.out());
    }

    @Test
    void theContractFollowsTheInheritPolicyTheMigrationRanWith(TestDatabase db, @TempDir Path dir) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "60", "--tasks-per-job", "6").exitCode());
        Path policy = Files.writeString(dir.resolve("policy.json"), "{\"grep\": [\"input\"], \"hash\": []}");
        Path baseline = dir.resolve("baseline.jsonl");

        Cli.Run migrate = run("migrate", "--url", db.jdbcUrl(), "--verify", "--baseline-file", baseline.toString(),
                "--inherit-policy", policy.toString());

        assertEquals(ExitCode.OK, migrate.exitCode(), migrate.out() + migrate.err());
        assertTrue(Sql.count(db, "SELECT count(*) FROM jobs j JOIN jobs p ON p.uuid = j.parent_job_uuid WHERE p.script = 'grep'"
                + " AND j.script_parameters NOT LIKE '%pattern%' AND p.script_parameters LIKE '%pattern%'") > 0, "grep tasks lost 'pattern'");
        Cli.Run withoutPolicy = run("verify", "--url", db.jdbcUrl(), "--baseline", baseline.toString());
        assertEquals(ExitCode.DIFFERENCES, withoutPolicy.exitCode(), withoutPolicy.out());
        assertTrue(withoutPolicy.out().contains("FAIL  contract"), withoutPolicy.out());
    }

    @Test
    void verifyThatCannotRunSaysWhyInOneLine(TestDatabase db, @TempDir Path dir) throws Exception {
        Cli.Run empty = run("verify", "--url", db.jdbcUrl(), "--baseline", dir.resolve("none.jsonl").toString());
        assertEquals(ExitCode.FAILURE, empty.exitCode());
        assertEquals(1, empty.err().lines().count(), empty.err());

        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "5", "--tasks-per-job", "2").exitCode());
        Path bogus = Files.writeString(dir.resolve("bogus.jsonl"), "not a baseline\n");
        Cli.Run badFile = run("verify", "--url", db.jdbcUrl(), "--baseline", bogus.toString());
        assertEquals(ExitCode.FAILURE, badFile.exitCode());
        assertTrue(badFile.err().contains("is not a tasks-as-jobs baseline"), badFile.err());
        assertEquals(1, badFile.err().lines().count(), badFile.err());

        Cli.Run both = run("verify", "--url", db.jdbcUrl(), "--baseline", "a", "--record-baseline", "b");
        assertEquals(ExitCode.USAGE, both.exitCode());
    }
}
