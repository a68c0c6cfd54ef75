package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.mapping.CanonicalJson;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FreshDatabaseExtension.class)
class MigrateCommandTest {

    /**
     * The contract table of DESIGN.md written out in SQL, independently of the Java mapping: every carried task
     * whose task-like job breaks any rule of it. (The uuid may differ from the derived one only on a collision.)
     */
    private static final String CONTRACT_VIOLATIONS = """
            WITH carried AS (
                SELECT t.id AS tid, t.uuid AS tuuid, t.*, j.uuid AS juuid, j.*, p.uuid AS puuid,
                       p.script AS p_script, p.script_version AS p_script_version,
                       p.supplied_script_version AS p_supplied, p.repository AS p_repository,
                       p.docker_image_locator AS p_image, p.arvados_sdk_version AS p_sdk,
                       p.runtime_constraints AS p_constraints, p.nondeterministic AS p_nondeterministic,
                       p.log AS p_log, p.script_parameters AS p_parameters,
                       coalesce(p.state, CASE WHEN p.cancelled_at IS NOT NULL THEN 'Cancelled' WHEN p.success THEN 'Complete'
                           WHEN NOT p.success THEN 'Failed' WHEN p.running THEN 'Running' ELSE 'Queued' END) AS p_state,
                       left(t.uuid, 5) || '-8i9sb-' || right(t.uuid, 15) AS derived,
                       t.success AS t_success, t.started_at AS t_started, t.output AS t_out, t.parameters AS t_params
                FROM job_tasks t
                JOIN jobs j ON j.legacy_task_uuid = t.uuid
                JOIN jobs p ON p.uuid = t.job_uuid AND p.legacy_task_uuid IS NULL
            ), expected AS (
                SELECT c.*,
                       CASE WHEN t_success THEN 'Complete' WHEN NOT t_success THEN 'Failed'
                            WHEN p_state IN ('Queued', 'Running') THEN CASE WHEN t_started IS NOT NULL THEN 'Running' ELSE 'Queued' END
                            ELSE 'Cancelled' END AS x_state
                FROM carried c
            )
            SELECT tuuid FROM expected e WHERE NOT (
                (e.juuid = e.derived OR EXISTS (SELECT 1 FROM jobs x WHERE x.uuid = e.derived AND x.legacy_task_uuid IS DISTINCT FROM e.tuuid))
                AND e.juuid ~ '^[0-9a-z]{5}-8i9sb-[0-9a-z]{15}$'
                AND e.script IS NOT DISTINCT FROM e.p_script
                AND e.script_version IS NOT DISTINCT FROM e.p_script_version
                AND e.supplied_script_version IS NOT DISTINCT FROM e.p_supplied
                AND e.repository IS NOT DISTINCT FROM e.p_repository
                AND e.docker_image_locator IS NOT DISTINCT FROM e.p_image
                AND e.arvados_sdk_version IS NOT DISTINCT FROM e.p_sdk
                AND e.runtime_constraints IS NOT DISTINCT FROM e.p_constraints
                AND e.nondeterministic IS NOT DISTINCT FROM e.p_nondeterministic
                AND e.script_parameters_digest = md5(e.script_parameters)
                AND e.state = e.x_state
                AND e.running = (e.x_state = 'Running')
                AND e.success IS NOT DISTINCT FROM CASE e.x_state WHEN 'Complete' THEN true WHEN 'Failed' THEN false
                                                                  WHEN 'Cancelled' THEN false END
                AND e.output IS NOT DISTINCT FROM CASE WHEN e.t_out IS NULL OR e.t_out ~ '^[0-9a-f]{32}(\\+\\S+)*\\n?$' THEN NULL
                                                       ELSE md5(e.t_out) || '+' || octet_length(e.t_out) END
                AND e.log IS NOT DISTINCT FROM e.p_log
                AND e.priority = 0
                AND e.parent_job_uuid = e.job_uuid
                AND e.task_sequence IS NOT DISTINCT FROM e.sequence
                AND e.task_qsequence IS NOT DISTINCT FROM e.qsequence
                AND e.task_progress IS NOT DISTINCT FROM e.progress
                AND e.task_parameters IS NOT DISTINCT FROM e.t_params
                AND e.task_output IS NOT DISTINCT FROM e.t_out
                AND e.legacy_created_by_task_uuid IS NOT DISTINCT FROM e.created_by_job_task_uuid
                AND e.created_by_job_uuid IS NOT DISTINCT FROM (SELECT c.uuid FROM jobs c WHERE c.legacy_task_uuid = e.created_by_job_task_uuid)
                AND e.submit_id IS NULL AND e.is_locked_by_uuid IS NULL AND e.cancelled_at IS NULL
                AND e.cancelled_by_client_uuid IS NULL AND e.cancelled_by_user_uuid IS NULL
                AND e.tasks_summary IS NULL AND e.components IS NULL AND e.description IS NULL
                AND (left(coalesce(e.p_parameters, '{}'), 1) <> '{' OR left(coalesce(e.t_params, '{}'), 1) <> '{'
                     OR e.script_parameters::jsonb = coalesce(e.p_parameters, '{}')::jsonb || coalesce(e.t_params, '{}')::jsonb)
            )
            """;
    // The task columns come from the same row in both tables under these names; a join keeps both.
    private static final String CONTRACT = CONTRACT_VIOLATIONS
            .replace("t.*, j.uuid AS juuid, j.*", "t.owner_uuid AS t_owner, t.modified_at AS t_modified_at, t.created_at AS t_created,"
                    + " t.updated_at AS t_updated, t.finished_at AS t_finished, t.modified_by_client_uuid AS t_mbc,"
                    + " t.modified_by_user_uuid AS t_mbu, t.job_uuid, t.sequence, t.qsequence, t.progress,"
                    + " t.created_by_job_task_uuid, j.uuid AS juuid, j.*")
            .replace("AND e.script IS NOT DISTINCT FROM e.p_script", "AND e.owner_uuid IS NOT DISTINCT FROM e.t_owner"
                    + " AND e.modified_at IS NOT DISTINCT FROM e.t_modified_at AND e.created_at = e.t_created"
                    + " AND e.updated_at = e.t_updated AND e.started_at IS NOT DISTINCT FROM e.t_started"
                    + " AND e.finished_at IS NOT DISTINCT FROM e.t_finished"
                    + " AND e.modified_by_client_uuid IS NOT DISTINCT FROM e.t_mbc"
                    + " AND e.modified_by_user_uuid IS NOT DISTINCT FROM e.t_mbu"
                    + " AND e.script IS NOT DISTINCT FROM e.p_script");

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

        List<String> violations = Sql.column(db, CONTRACT + " LIMIT 10");
        assertEquals(List.of(), violations, "task-like jobs that break the contract");
        assertEquals(carried, Sql.count(db, "SELECT count(*) FROM (" + CONTRACT.replace("SELECT tuuid FROM expected e WHERE NOT (",
                "SELECT tuuid FROM expected e WHERE (") + ") ok"), "the contract query saw every carried task");

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

        // The contract query is a real check: one altered column of one row is caught.
        Sql.execute(db, "UPDATE jobs SET task_progress = coalesce(task_progress, 0) + 0.5"
                + " WHERE id = (SELECT min(id) FROM jobs WHERE legacy_task_uuid IS NOT NULL)");
        assertEquals(1, Sql.column(db, CONTRACT).size());
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
        Sql.execute(db, "DROP TABLE databasechangelog, databasechangeloglock");
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
