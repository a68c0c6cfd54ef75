package org.arvados.tasksasjobs.verification;

import static org.arvados.tasksasjobs.verification.SmallArvados.CARRIED;
import static org.arvados.tasksasjobs.verification.SmallArvados.COLLIDING_JOB;
import static org.arvados.tasksasjobs.verification.SmallArvados.COLLIDING_TASK;
import static org.arvados.tasksasjobs.verification.SmallArvados.CREATED_TASK;
import static org.arvados.tasksasjobs.verification.SmallArvados.MANIFEST_TASK;
import static org.arvados.tasksasjobs.verification.SmallArvados.ORPHAN_TASK;
import static org.arvados.tasksasjobs.verification.SmallArvados.QUEUED_TASK;
import static org.arvados.tasksasjobs.verification.SmallArvados.RUNNING_TASK;
import static org.arvados.tasksasjobs.verification.SmallArvados.YAML_TASK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The row checks on a migrated hand-made database: all pass as migrated; each planted difference is caught and named. */
@ExtendWith(ArvadosDatabaseExtension.class)
class RowChecksTest {

    @Test
    void everyCheckPassesOnAFreshlyMigratedDatabaseWithEveryHardCase(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            SmallArvados.write(c);
            JobChecksums before = JobChecksums.record(c);
            SmallArvados.migrate(c);
            ArvadosRows rows = new ArvadosRows(c);
            // The fixture holds what it claims: every carried task carried, the rest quarantined for the right reasons.
            assertEquals(CARRIED.size(), rows.count("SELECT count(*) FROM jobs WHERE legacy_task_uuid IS NOT NULL"));
            assertEquals(List.of("null_uuid", "orphan", "unparseable_parameters"),
                    rows.column("SELECT reason FROM job_tasks_quarantine ORDER BY reason"));
            assertTrue(rows.scalar("SELECT uuid FROM jobs WHERE legacy_task_uuid = ?", COLLIDING_TASK).startsWith("zzzzz-8i9sb-"));
            assertFalse(rows.scalar("SELECT uuid FROM jobs WHERE legacy_task_uuid = ?", COLLIDING_TASK).equals(COLLIDING_JOB),
                    "the colliding task got a fresh uuid");
            assertEquals(rows.scalar("SELECT uuid FROM jobs WHERE legacy_task_uuid = ?", RUNNING_TASK),
                    rows.scalar("SELECT created_by_job_uuid FROM jobs WHERE legacy_task_uuid = ?", CREATED_TASK));

            Map<String, CheckResult> results = runAll(c, before);

            results.values().forEach(r -> assertTrue(r.passed(), () -> r.name() + ": " + r.firstDifferences()));
            results.values().forEach(r -> assertEquals(0, r.differences(), r.name()));
            assertEquals(CARRIED.size(), results.get("round-trip").examined(), "job_tasks rows compared (quarantined ones aside)");
            assertEquals(CARRIED.size() + 3 + 3, results.get("quarantine").examined(), "job_tasks rows plus quarantine rows");
            assertEquals(CARRIED.size(), results.get("mapping-consistency").examined());
            assertEquals(CARRIED.size(), results.get("contract").examined());
            assertEquals(6, results.get("top-level-jobs").examined());
        }
    }

    @Test
    void alteredTaskParametersFailTheRoundTripNamingTheTaskAndTheColumn(TestDatabase db) throws Exception {
        try (Connection c = migrated(db)) {
            new ArvadosRows(c).execute("UPDATE jobs SET task_parameters = '{\"input\":\"w\u00e4s\"}' WHERE legacy_task_uuid = ?", CREATED_TASK);

            CheckResult roundTrip = new RoundTripCheck(c).run();

            assertFalse(roundTrip.passed());
            assertEquals(1, roundTrip.differences());
            String line = roundTrip.firstDifferences().get(0);
            assertTrue(line.startsWith("task " + CREATED_TASK + ": "), line);
            assertTrue(line.contains("rebuilds it differently: parameters (job_tasks '{\"pattern\":\"\u00e4\",\"input\":\"y\"}', rebuilt '{\"input\":\"w\u00e4s\"}')"), line);
            assertTrue(new QuarantineCheck(c).run().passed());
            assertTrue(new MappingConsistencyCheck(c).run().passed());
        }
    }

    @Test
    void alteredStateFailsTheRoundTripThroughTheSuccessColumn(TestDatabase db) throws Exception {
        try (Connection c = migrated(db)) {
            new ArvadosRows(c).execute("UPDATE jobs SET state = 'Complete' WHERE legacy_task_uuid = ?", QUEUED_TASK);

            CheckResult roundTrip = new RoundTripCheck(c).run();

            assertEquals(List.of("task " + QUEUED_TASK + ": task-like job " + jobUuid(c, QUEUED_TASK)
                    + " rebuilds it differently: success (job_tasks NULL, rebuilt 'true')"), roundTrip.firstDifferences());
        }
    }

    @Test
    void alteredScriptParametersBreakTheContractNamingTheTaskAndTheColumn(TestDatabase db) throws Exception {
        try (Connection c = migrated(db)) {
            // The digest is kept in step, so that only the merge rule can notice.
            new ArvadosRows(c).execute("UPDATE jobs SET script_parameters = '{\"input\":\"y\",\"n\":1.5,\"pattern\":\"\u00fc+\"}',"
                    + " script_parameters_digest = md5('{\"input\":\"y\",\"n\":1.5,\"pattern\":\"\u00fc+\"}') WHERE legacy_task_uuid = ?",
                    CREATED_TASK);

            CheckResult contract = new ContractCheck(c).run();

            assertFalse(contract.passed());
            assertEquals(1, contract.differences());
            String line = contract.firstDifferences().get(0);
            assertTrue(line.startsWith("task " + CREATED_TASK + " (task-like job " + jobUuid(c, CREATED_TASK) + "): script_parameters is '"), line);
            assertTrue(line.contains("expected '{\"n\": 1.5, \"input\": \"y\", \"pattern\": \"\u00e4\"}'"), line);
            assertTrue(new RoundTripCheck(c).run().passed(), "script_parameters is not a job_tasks column");
        }
    }

    @Test
    void parametersThatPostgresCannotReadAsJsonDoNotStopTheContractCheckInsideATransaction(TestDatabase db) throws Exception {
        try (Connection c = migrated(db)) {
            ArvadosRows rows = new ArvadosRows(c);
            // JSON to a Java parser, but not to jsonb (no NUL characters): the cast fails, the check must go on without it.
            rows.execute("UPDATE jobs SET script_parameters = '{\"input\":\"\\u0000\"}' WHERE uuid = ?", SmallArvados.JSON_PARENT);
            rows.execute("UPDATE jobs SET script_parameters = '{\"a\":1}', script_parameters_digest = md5('{\"a\":1}')"
                    + " WHERE legacy_task_uuid = ?", QUEUED_TASK);
            c.setAutoCommit(false);

            CheckResult contract = new ContractCheck(c).run();

            assertEquals(List.of("task " + QUEUED_TASK + " (task-like job " + jobUuid(c, QUEUED_TASK) + "): script_parameters is"
                    + " '{\"a\":1}', expected '{}' (as jsonb: the parent's script_parameters overlaid with the task's parameters)"),
                    contract.firstDifferences());
            assertEquals(1, new ArvadosRows(c).count("SELECT 1"), "the transaction is still usable");
            c.rollback();
        }
    }

    @Test
    void aDigestThatIsNotTheMd5OfTheParametersBreaksTheContractEvenForYamlEraRows(TestDatabase db) throws Exception {
        try (Connection c = migrated(db)) {
            new ArvadosRows(c).execute("UPDATE jobs SET script_parameters_digest = md5('{}') WHERE legacy_task_uuid = ?", YAML_TASK);

            CheckResult contract = new ContractCheck(c).run();

            assertEquals(1, contract.differences());
            assertTrue(contract.firstDifferences().get(0).startsWith("task " + YAML_TASK + " (task-like job "), contract.firstDifferences().get(0));
            assertTrue(contract.firstDifferences().get(0).contains("): script_parameters_digest is '99914b932bd37a50b983c5e7c90ae93b', expected '"),
                    contract.firstDifferences().get(0));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', value = {
            "uuid                 # uuid = 'zzzzz-8i9sb-someotheruuid00'",
            "owner_uuid           # owner_uuid = 'zzzzz-tpzed-someoneelse0000'",
            "started_at           # started_at = started_at + interval '1 microsecond'",
            "docker_image_locator # docker_image_locator = NULL",
            "state                # state = 'Failed', success = false",
            "running              # running = true",
            "success              # success = NULL",
            "output               # output = 'd41d8cd98f00b204e9800998ecf8427e+0'",
            "log                  # log = NULL",
            "priority             # priority = 1",
            "task_output          # task_output = task_output || ' '",
            "created_by_job_uuid  # created_by_job_uuid = NULL",
            "description          # description = ''",
    })
    void everyContractColumnIsChecked(String column, String assignment, TestDatabase db) throws Exception {
        try (Connection c = migrated(db)) {
            String task = column.equals("created_by_job_uuid") ? CREATED_TASK : MANIFEST_TASK;
            new ArvadosRows(c).execute("UPDATE jobs SET " + assignment + " WHERE legacy_task_uuid = ?", task);

            CheckResult contract = new ContractCheck(c).run();

            assertEquals(1, contract.differences(), () -> String.valueOf(contract.firstDifferences()));
            String line = contract.firstDifferences().get(0);
            assertTrue(line.startsWith("task " + task + " (task-like job "), line);
            assertTrue(line.contains("): " + column + " is "), line);
        }
    }

    @Test
    void aDeletedTaskLikeJobIsMissingFromTheRoundTripAndUncoveredInTheQuarantine(TestDatabase db) throws Exception {
        try (Connection c = migrated(db)) {
            new ArvadosRows(c).execute("DELETE FROM jobs WHERE legacy_task_uuid = ?", YAML_TASK);
            long id = new ArvadosRows(c).count("SELECT id FROM job_tasks WHERE uuid = ?", YAML_TASK);

            CheckResult roundTrip = new RoundTripCheck(c).run();
            CheckResult quarantine = new QuarantineCheck(c).run();

            assertEquals(List.of("task " + YAML_TASK + " (job_tasks id " + id + "): missing: no task-like job rebuilds it,"
                    + " and it is not quarantined"), roundTrip.firstDifferences());
            assertEquals(1, roundTrip.differences());
            assertEquals(List.of("task " + YAML_TASK + " (job_tasks id " + id + ") is neither carried as a task-like job nor quarantined"),
                    quarantine.firstDifferences());
            assertTrue(new ContractCheck(c).run().passed());
            assertTrue(new MappingConsistencyCheck(c).run().passed());
        }
    }

    @Test
    void aDuplicatedTaskLikeJobIsAnExtraRowAndATaskCarriedTwice(TestDatabase db) throws Exception {
        try (Connection c = migrated(db)) {
            ArvadosRows rows = new ArvadosRows(c);
            String original = jobUuid(c, MANIFEST_TASK);
            String copy = "zzzzz-8i9sb-duplicate000001";
            rows.statement("DROP INDEX index_jobs_on_legacy_task_uuid");
            rows.statement("DROP INDEX index_jobs_on_legacy_task_id");
            rows.execute("CREATE TEMP TABLE twin AS SELECT * FROM jobs WHERE legacy_task_uuid = ?", MANIFEST_TASK);
            rows.execute("UPDATE twin SET id = nextval('jobs_id_seq'), uuid = ?", copy);
            rows.statement("INSERT INTO jobs SELECT * FROM twin");

            CheckResult roundTrip = new RoundTripCheck(c).run();
            CheckResult mapping = new MappingConsistencyCheck(c).run();

            assertEquals(List.of("task " + MANIFEST_TASK + ": extra: task-like job " + copy + " rebuilds it again; task-like job "
                    + original + " already does"), roundTrip.firstDifferences());
            assertEquals(List.of("task " + MANIFEST_TASK + " is carried 2 times: task-like jobs " + copy + ", " + original),
                    mapping.firstDifferences());
            assertEquals(1, mapping.differences());
            assertTrue(new QuarantineCheck(c).run().passed());
        }
    }

    @Test
    void aQuarantineRowWhoseTaskVanishedIsNamed(TestDatabase db) throws Exception {
        try (Connection c = migrated(db)) {
            ArvadosRows rows = new ArvadosRows(c);
            long id = rows.count("SELECT id FROM job_tasks WHERE uuid = ?", ORPHAN_TASK);
            rows.execute("DELETE FROM job_tasks WHERE uuid = ?", ORPHAN_TASK);

            CheckResult quarantine = new QuarantineCheck(c).run();

            assertEquals(List.of("quarantined task " + ORPHAN_TASK + " (job_tasks id " + id + ", orphan): gone from job_tasks"),
                    quarantine.firstDifferences());
            assertTrue(new RoundTripCheck(c).run().passed(), "a quarantined task is no part of the round trip");
        }
    }

    @Test
    void aQuarantinedTaskThatIsAlsoCarriedIsNamed(TestDatabase db) throws Exception {
        try (Connection c = migrated(db)) {
            ArvadosRows rows = new ArvadosRows(c);
            long id = rows.count("SELECT id FROM job_tasks WHERE uuid = ?", RUNNING_TASK);
            rows.execute("INSERT INTO job_tasks_quarantine (task_id, task_uuid, reason) VALUES (?, ?, 'orphan')", id, RUNNING_TASK);

            CheckResult quarantine = new QuarantineCheck(c).run();

            assertEquals(List.of("task " + RUNNING_TASK + " (job_tasks id " + id + ") is quarantined (orphan) and also carried as"
                    + " task-like job " + jobUuid(c, RUNNING_TASK)), quarantine.firstDifferences());
        }
    }

    @Test
    void referencesThatResolveToTheWrongRowsBreakTheMapping(TestDatabase db) throws Exception {
        try (Connection c = migrated(db)) {
            ArvadosRows rows = new ArvadosRows(c);
            rows.execute("UPDATE jobs SET created_by_job_uuid = 'zzzzz-8i9sb-nosuchjob000000' WHERE legacy_task_uuid = ?", CREATED_TASK);
            rows.execute("UPDATE jobs SET parent_job_uuid = ? WHERE legacy_task_uuid = ?", jobUuid(c, RUNNING_TASK), QUEUED_TASK);
            rows.execute("UPDATE jobs SET uuid = 'zzzzz-ot0gb-notajobuuid0001' WHERE legacy_task_uuid = ?", YAML_TASK);

            CheckResult mapping = new MappingConsistencyCheck(c).run();

            assertEquals(List.of(
                    "task-like job " + jobUuid(c, CREATED_TASK) + " (task " + CREATED_TASK + "): created_by_job_uuid"
                            + " zzzzz-8i9sb-nosuchjob000000 names no job (legacy_created_by_task_uuid " + RUNNING_TASK + ")",
                    "task-like job " + jobUuid(c, QUEUED_TASK) + " (task " + QUEUED_TASK + "): parent_job_uuid " + jobUuid(c, RUNNING_TASK)
                            + " names a task-like job, not a top-level job",
                    "task-like job zzzzz-ot0gb-notajobuuid0001 (task " + YAML_TASK + "): uuid 'zzzzz-ot0gb-notajobuuid0001' is not"
                            + " <cluster>-8i9sb-<15 characters>"), mapping.firstDifferences());
            assertEquals(3, mapping.differences());
        }
    }

    @Test
    void checksOnADatabaseThatWasNeverMigratedFailAndSayWhy(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            SmallArvados.write(c);

            for (CheckResult r : List.of(new RoundTripCheck(c).run(), new QuarantineCheck(c).run(),
                    new MappingConsistencyCheck(c).run(), new ContractCheck(c).run())) {
                assertFalse(r.passed(), r.name());
                assertEquals(List.of("cannot check: jobs has no legacy_task_uuid column: the migration has not run here (migrate first)"),
                        r.firstDifferences());
            }
        }
    }

    static Connection migrated(TestDatabase db) throws Exception {
        Connection c = db.connect();
        SmallArvados.write(c);
        SmallArvados.migrate(c);
        return c;
    }

    static String jobUuid(Connection c, String task) throws Exception {
        return new ArvadosRows(c).scalar("SELECT uuid FROM jobs WHERE legacy_task_uuid = ?", task);
    }

    static Map<String, CheckResult> runAll(Connection c, JobChecksums before) throws Exception {
        return List.of(new RoundTripCheck(c).run(), new QuarantineCheck(c).run(), new MappingConsistencyCheck(c).run(),
                new ContractCheck(c).run(), before.compare(c)).stream()
                .collect(Collectors.toMap(CheckResult::name, r -> r, (a, b) -> a, LinkedHashMap::new));
    }
}
