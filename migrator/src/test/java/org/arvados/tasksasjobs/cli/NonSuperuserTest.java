package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The privileges README's "Privileges" states are enough: a role that is no superuser, cannot create databases or
 * roles, owns the Arvados tables and may create tables in their schema runs verify, migrate, verify and rollback.
 * Without CREATE on the schema (PostgreSQL 15 and later no longer grant it on public to everyone) migrate says so.
 */
@ExtendWith(FreshDatabaseExtension.class)
class NonSuperuserTest {

    private static final String PASSWORD = "owner-pw-5b1d";

    @Test
    void ownerOfTheTablesWithoutSuperuserMigratesVerifiesAndRollsBack(TestDatabase db, @TempDir Path dir) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "40", "--tasks-per-job", "8", "--dirty").exitCode());
        String role = "taj_owner_" + db.name(); // test database names are [a-z0-9_]
        Sql.execute(db, "CREATE ROLE " + role + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD '" + PASSWORD + "'");
        try {
            // As an Arvados installation has it: the application's role owns every table and sequence of its schema.
            Sql.execute(db, """
                    DO $$ DECLARE r record; BEGIN
                      FOR r IN SELECT format('ALTER TABLE %I OWNER TO %I', tablename, 'ROLE') AS ddl FROM pg_tables
                               WHERE schemaname = current_schema() LOOP EXECUTE r.ddl; END LOOP;
                      FOR r IN SELECT format('ALTER SEQUENCE %I OWNER TO %I', sequencename, 'ROLE') AS ddl FROM pg_sequences
                               WHERE schemaname = current_schema() LOOP EXECUTE r.ddl; END LOOP;
                    END $$""".replace("ROLE", role));
            Sql.execute(db, "REVOKE CREATE ON SCHEMA public FROM PUBLIC");
            String url = db.jdbcUrl().replaceAll("([?&])user=[^&]*", "$1user=" + role).replaceAll("[?&]password=[^&]*", "")
                    + "&password=" + PASSWORD;
            String jobsBefore = Sql.checksum(db, "jobs");
            String tasksBefore = Sql.checksum(db, "job_tasks");
            assertEquals(0, Sql.count(db, "SELECT count(*) FROM pg_roles WHERE rolname = '" + role + "' AND rolsuper"));

            Cli.Run noCreate = run("migrate", "--url", url);
            assertEquals(ExitCode.FAILURE, noCreate.exitCode(), noCreate.err());
            assertEquals("tasks-as-jobs: permission denied: permission denied for schema public; the migration creates its tables"
                    + " there: GRANT CREATE ON SCHEMA public TO the migrating role\n", noCreate.err());

            Sql.execute(db, "GRANT CREATE ON SCHEMA public TO " + role);
            Path baseline = dir.resolve("baseline.jsonl");
            expect(ExitCode.OK, run("verify", "--url", url, "--record-baseline", baseline.toString()));
            expect(ExitCode.OK, run("migrate", "--url", url));
            expect(ExitCode.OK, run("status", "--url", url));
            expect(ExitCode.OK, run("verify", "--url", url, "--baseline", baseline.toString()));
            expect(ExitCode.OK, run("rollback", "--url", url));

            assertEquals(jobsBefore, Sql.checksum(db, "jobs"));
            assertEquals(tasksBefore, Sql.checksum(db, "job_tasks"));
        } finally {
            Sql.execute(db, "REASSIGN OWNED BY " + role + " TO CURRENT_USER");
            Sql.execute(db, "DROP OWNED BY " + role);
            Sql.execute(db, "DROP ROLE " + role);
        }
    }

    private static void expect(int exitCode, Cli.Run r) {
        assertEquals(exitCode, r.exitCode(), r.out() + r.err());
    }
}
