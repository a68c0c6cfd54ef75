package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.mapping.CanonicalJson;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.verification.CheckResult;
import org.arvados.tasksasjobs.verification.ContractCheck;
import org.arvados.tasksasjobs.verification.RoundTripCheck;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FreshDatabaseExtension.class)
class MigrateCommandTest {

    @Test
    void dirtySeedEndsWithEveryTaskCarriedByTheContractOrQuarantinedNeverBoth(TestDatabase db) throws Exception {
        Cli.Run seed = run("seed", "--url", db.jdbcUrl(), "--jobs", "150", "--tasks-per-job", "12", "--dirty", "--seed", "7");
        assertEquals(ExitCode.OK, seed.exitCode(), seed.err());

        Cli.Run migrate = run("migrate", "--url", db.jdbcUrl(), "--batch-size", "300", "--json");

        assertEquals(ExitCode.OK, migrate.exitCode(), migrate.err());
        JsonNode summary = new ObjectMapper().readTree(migrate.out());
        assertTrue(summary.get("complete").asBoolean());
        long tasks = Sql.count(db, "SELECT count(*) FROM job_tasks");
        long carried = Sql.count(db, "SELECT count(*) FROM jobs WHERE legacy_task_uuid IS NOT NULL");
        long quarantined = Sql.count(db, "SELECT count(*) FROM job_tasks_quarantine");
        assertEquals(tasks, carried + quarantined, "every task once, as a task-like job or a quarantine row");
        assertEquals(0, Sql.count(db, "SELECT count(*) FROM job_tasks_quarantine q JOIN jobs j ON j.legacy_task_uuid = q.task_uuid"));
        assertEquals(0, Sql.count(db, """
                SELECT count(*) FROM job_tasks t WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.legacy_task_uuid = t.uuid)
                  AND NOT EXISTS (SELECT 1 FROM job_tasks_quarantine q WHERE q.task_id = t.id)"""));
        assertEquals(summary.at("/totals/carried").asLong(), carried);

        CheckResult contract = contract(db);
        assertTrue(contract.passed(), contract.firstDifferences().toString());
        assertEquals(carried, contract.examined(), "the contract check saw every carried task");
        CheckResult roundTrip = roundTrip(db);
        assertTrue(roundTrip.passed(), roundTrip.firstDifferences().toString());

        for (String text : Sql.column(db, "SELECT script_parameters FROM jobs WHERE legacy_task_uuid IS NOT NULL")) {
            assertEquals(CanonicalJson.write(new ObjectMapper().readValue(text, Map.class)), text, "canonical: deep-sorted, compact");
        }
        assertTrue(Sql.count(db, "SELECT count(*) FROM job_tasks WHERE parameters LIKE '---%'") > 0, "YAML rows were seeded");
        assertTrue(Sql.count(db, "SELECT count(*) FROM jobs j WHERE legacy_task_uuid IS NOT NULL"
                + " AND uuid <> left(legacy_task_uuid, 5) || '-8i9sb-' || right(legacy_task_uuid, 15)") > 0, "collisions got fresh uuids");
        for (String reason : List.of("orphan", "null_uuid", "malformed_uuid", "unparseable_parameters", "unparseable_parent_parameters")) {
            assertTrue(Sql.count(db, "SELECT count(*) FROM job_tasks_quarantine WHERE reason = '" + reason + "'") > 0, reason);
        }
        assertEquals(0, Sql.count(db, "SELECT count(*) FROM job_tasks_quarantine q WHERE NOT EXISTS (SELECT 1 FROM job_tasks t WHERE t.id = q.task_id)"),
                "quarantined tasks stay in job_tasks");

        // The contract check is a real check: one altered column of one row is caught.
        Sql.execute(db, "UPDATE jobs SET script_parameters_digest = md5('x')"
                + " WHERE id = (SELECT min(id) FROM jobs WHERE legacy_task_uuid IS NOT NULL)");
        assertEquals(1, contract(db).differences());
    }

    private static CheckResult contract(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            return new ContractCheck(c).run();
        }
    }

    private static CheckResult roundTrip(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            return new RoundTripCheck(c).run();
        }
    }

    @Test
    void optionsThatBelongToAnotherAreRefusedWithoutIt(TestDatabase db) {
        Cli.Run junit = run("migrate", "--url", db.jdbcUrl(), "--junit", "report.xml");
        assertEquals(ExitCode.USAGE, junit.exitCode());
        assertTrue(junit.err().contains("Missing required argument(s): --verify"), junit.err());

        Cli.Run memory = run("migrate", "--url", db.jdbcUrl(), "--maintenance-work-mem", "1GB");
        assertEquals(ExitCode.USAGE, memory.exitCode());
        assertTrue(memory.err().contains("Missing required argument(s): --defer-indexes"), memory.err());
    }

    @Test
    void tablesWithoutTheArvadosColumnsAreRefusedBeforeAnyDdlNamingWhatIsMissing(TestDatabase db) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "3", "--tasks-per-job", "2").exitCode());
        Sql.execute(db, "ALTER TABLE jobs DROP COLUMN script_parameters_digest");
        String before = Sql.checksum(db, "jobs");

        Cli.Run migrate = run("migrate", "--url", db.jdbcUrl());

        assertEquals(ExitCode.FAILURE, migrate.exitCode());
        assertTrue(migrate.err().startsWith("tasks-as-jobs: jobs.script_parameters_digest is missing in schema public"),
                migrate.err());
        assertEquals(0, Sql.count(db, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'jobs'::regclass"
                + " AND attname = 'parent_job_uuid'"), "no DDL ran");
        assertEquals(before, Sql.checksum(db, "jobs"));
        assertEquals(ExitCode.FAILURE, run("plan", "--url", db.jdbcUrl()).exitCode());
    }

    @Test
    void secondMigrateChangesNothingAndSaysSo(TestDatabase db) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "60", "--tasks-per-job", "8", "--dirty").exitCode());
        assertEquals(ExitCode.OK, run("migrate", "--url", db.jdbcUrl()).exitCode());
        String jobs = Sql.checksum(db, "jobs");
        String quarantine = Sql.checksum(db, "job_tasks_quarantine");

        Cli.Run again = run("migrate", "--url", db.jdbcUrl());

        assertEquals(ExitCode.OK, again.exitCode(), again.err());
        assertTrue(again.out().contains("nothing to do"), again.out());
        assertEquals(jobs, Sql.checksum(db, "jobs"));
        assertEquals(quarantine, Sql.checksum(db, "job_tasks_quarantine"));
    }

    @Test
    void rollbackReturnsJobsAndJobTasksToExactlyTheirPreMigrationRows(TestDatabase db) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "60", "--tasks-per-job", "8", "--dirty").exitCode());
        String jobs = Sql.checksum(db, "jobs");
        String tasks = Sql.checksum(db, "job_tasks");
        assertEquals(ExitCode.OK, run("migrate", "--url", db.jdbcUrl()).exitCode());

        Cli.Run rollback = run("rollback", "--url", db.jdbcUrl());

        assertEquals(ExitCode.OK, rollback.exitCode(), rollback.err());
        assertEquals(jobs, Sql.checksum(db, "jobs"));
        assertEquals(tasks, Sql.checksum(db, "job_tasks"));
        assertEquals(0, Sql.count(db, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'jobs'"
                + " AND column_name IN ('parent_job_uuid', 'legacy_task_uuid')"));
    }

    @Test
    void rollbackRefusesToDeleteTaskLikeJobsThatNoTaskStandsFor(TestDatabase db) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "10", "--tasks-per-job", "4").exitCode());
        assertEquals(ExitCode.OK, run("migrate", "--url", db.jdbcUrl()).exitCode());
        Sql.execute(db, "DELETE FROM job_tasks WHERE id = (SELECT min(id) FROM job_tasks)");

        Cli.Run refused = run("rollback", "--url", db.jdbcUrl());
        assertEquals(ExitCode.FAILURE, refused.exitCode());
        assertTrue(refused.err().contains("1 task-like jobs have no job_tasks row"), refused.err());

        assertEquals(ExitCode.OK, run("rollback", "--url", db.jdbcUrl(), "--force").exitCode());
    }

    @Test
    void planChangesNothingAndForeseesWhatMigrateDoes(TestDatabase db) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "80", "--tasks-per-job", "6", "--dirty").exitCode());
        // A real Arvados database has never seen Liquibase: plan must not create its tables either.
        Sql.execute(db, "DROP TABLE IF EXISTS databasechangelog, databasechangeloglock");
        String before = schemaAndRows(db);

        Cli.Run plan = run("plan", "--url", db.jdbcUrl(), "--json");

        assertEquals(ExitCode.OK, plan.exitCode(), plan.err());
        assertEquals(before, schemaAndRows(db), "plan changed nothing");
        JsonNode p = new ObjectMapper().readTree(plan.out());
        JsonNode m = new ObjectMapper().readTree(run("migrate", "--url", db.jdbcUrl(), "--json").out());
        assertEquals(m.at("/backfill/migrated").asLong(), p.get("to_carry").asLong());
        assertEquals(m.at("/backfill/quarantined_by_reason"), p.get("to_quarantine"));
        assertTrue(p.get("uuid_collisions").asLong() > 0);
        assertTrue(p.get("pending_change_sets").size() > 0);

        Cli.Run human = run("plan", "--url", db.jdbcUrl());
        assertEquals(ExitCode.OK, human.exitCode(), human.err());
        assertTrue(human.out().contains("migrate would handle 0 tasks"), human.out());
    }

    @Test
    void aDatabaseThatIsNotArvadosGetsOneLineAndExitThree(TestDatabase db) throws Exception {
        Cli.Run empty = run("migrate", "--url", db.jdbcUrl());
        assertEquals(ExitCode.FAILURE, empty.exitCode());
        assertEquals(1, empty.err().lines().count(), empty.err());
        assertTrue(empty.err().contains("no jobs or job_tasks table"), empty.err());

        Sql.execute(db, "CREATE TABLE jobs (id bigserial PRIMARY KEY, uuid varchar(255))");
        Cli.Run noTasks = run("migrate", "--url", db.jdbcUrl());
        assertEquals(ExitCode.FAILURE, noTasks.exitCode());
        assertEquals(1, noTasks.err().lines().count(), noTasks.err());
        assertTrue(noTasks.err().contains("no job_tasks table"), noTasks.err());
        assertFalse(noTasks.err().contains("Exception"), noTasks.err());

        for (String command : List.of("plan", "rollback")) {
            Cli.Run r = run(command, "--url", db.jdbcUrl());
            assertEquals(ExitCode.FAILURE, r.exitCode(), command);
            assertEquals(1, r.err().lines().count(), r.err());
        }
    }

    @Test
    void strictStopsAtTheFirstBadTaskAndNamesIt(TestDatabase db) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "30", "--tasks-per-job", "5", "--dirty").exitCode());

        Cli.Run strict = run("migrate", "--url", db.jdbcUrl(), "--strict");

        assertEquals(ExitCode.FAILURE, strict.exitCode());
        assertTrue(strict.err().contains("--strict stops here"), strict.err());
        assertEquals(1, strict.err().lines().filter(l -> l.startsWith("tasks-as-jobs:")).count(), strict.err());
        assertEquals(0, Sql.count(db, "SELECT count(*) FROM job_tasks_quarantine"));
    }

    private static String schemaAndRows(TestDatabase db) throws Exception {
        return String.join(",", Sql.column(db, "SELECT table_name || ':' || column_name FROM information_schema.columns"
                + " WHERE table_schema = 'public' ORDER BY 1")) + Sql.checksum(db, "jobs") + Sql.checksum(db, "job_tasks");
    }
}
