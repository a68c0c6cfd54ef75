package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** migrate --phases contract as a DBA runs it: only after a recorded pass; status shows it; verify and rollback still work. */
@ExtendWith(FreshDatabaseExtension.class)
class ContractCommandTest {

    /** Every column of every row of job_tasks, as text, in id order: what a legacy SQL client reads. */
    private static final String ROWS = "SELECT t::text FROM job_tasks t ORDER BY id";

    @Test
    void contractRunsOnlyAfterAPassedVerifyAndKeepsJobTasksReadableWritableAndReversible(TestDatabase db, @TempDir Path dir) throws Exception {
        String url = db.jdbcUrl();
        assertEquals(ExitCode.OK, run("seed", "--url", url, "--jobs", "60", "--tasks-per-job", "6", "--dirty").exitCode());
        Path baseline = dir.resolve("baseline.jsonl");
        assertEquals(ExitCode.OK, run("verify", "--url", url, "--record-baseline", baseline.toString()).exitCode());
        Cli.Run migrate = run("migrate", "--url", url, "--phases", "expand,online,backfill");
        assertEquals(ExitCode.OK, migrate.exitCode(), migrate.out() + migrate.err());
        assertTrue(run("status", "--url", url).out().contains("contract: not applied"));

        Cli.Run refused = run("migrate", "--url", url, "--phases", "contract");

        assertNotEquals(ExitCode.OK, refused.exitCode());
        assertTrue((refused.out() + refused.err()).contains("contract needs a passed verification"), refused.out() + refused.err());
        Cli.Run verify = run("verify", "--url", url, "--baseline", baseline.toString());
        assertEquals(ExitCode.OK, verify.exitCode(), verify.out() + verify.err());
        assertTrue(verify.out().contains("recorded in the database"), verify.out());
        List<String> before = Sql.column(db, ROWS);

        Cli.Run contract = run("migrate", "--url", url, "--phases", "contract");

        assertEquals(ExitCode.OK, contract.exitCode(), contract.out() + contract.err());
        assertEquals(before, Sql.column(db, ROWS), "job_tasks reads byte for byte as before, ids included");
        Cli.Run status = run("status", "--url", url);
        assertTrue(status.out().contains("contract: applied"), status.out());
        assertTrue(status.out().contains("contract-job-tasks-view"), status.out());
        assertTrue(status.out().contains("online: installed, resting: job_tasks is the contract's view"), status.out());
        assertEquals("disabled", new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(run("status", "--url", url, "--json").out()).get("online_capture").asText());

        // A legacy SQL client keeps writing tasks.
        String job = Sql.column(db, "SELECT uuid FROM jobs WHERE parent_job_uuid IS NULL AND state IN ('Queued', 'Running', 'Complete')"
                + " AND script_parameters LIKE '{%' AND uuid IN (SELECT parent_job_uuid FROM jobs) ORDER BY id LIMIT 1").get(0);
        Sql.execute(db, "INSERT INTO job_tasks (uuid, owner_uuid, job_uuid, sequence, parameters, created_at, updated_at, modified_at)"
                + " VALUES ('" + job.substring(0, 5) + "-ot0gb-sqlclientwrite1', 'zzzzz-tpzed-000000000000000', '" + job
                + "', 1, '{\"input\":\"a/b.txt\"}', now(), now(), now())");
        Sql.execute(db, "UPDATE job_tasks SET output = '. d41d8cd98f00b204e9800998ecf8427e+0 0:0:x\n', success = true, progress = 1.0"
                + " WHERE uuid LIKE '%-ot0gb-sqlclientwrite1'");
        Sql.execute(db, "DELETE FROM job_tasks WHERE id = (SELECT min(id) FROM job_tasks WHERE success IS NOT TRUE AND uuid IS NOT NULL"
                + " AND parameters LIKE '{%')");
        Cli.Run after = run("verify", "--url", url, "--baseline", baseline.toString());
        assertEquals(ExitCode.OK, after.exitCode(), "the checks still pass after contract and legacy writes: " + after.out() + after.err());
        List<String> view = Sql.column(db, ROWS);
        assertNotEquals(before, view);

        Cli.Run rollback = run("rollback", "--url", url);

        assertEquals(ExitCode.OK, rollback.exitCode(), rollback.out() + rollback.err());
        assertEquals(view, Sql.column(db, ROWS), "the restored job_tasks table holds what the view showed");
        assertEquals(0, Sql.count(db, "SELECT count(*) FROM pg_class WHERE relname = 'job_tasks_legacy'"));
        assertEquals("r", Sql.column(db, "SELECT relkind::text FROM pg_class WHERE oid = 'job_tasks'::regclass").get(0));
    }
}
