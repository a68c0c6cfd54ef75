package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A password given in the URL or in PGPASSWORD appears nowhere: not on standard output or error of any command (success
 * and failure, --verbose stack traces and Liquibase's own logging included), not in the files verify writes, not in
 * any table the migration writes.
 */
@ExtendWith(FreshDatabaseExtension.class)
class PasswordsNeverShownTest {

    /** Accepted by the embedded test server (it trusts loopback); an existing server's own password is used instead. */
    private static final String CANARY = "Canary-Pw-7f3e9a";

    @Test
    void passwordAppearsInNoOutputNoReportAndNoTable(TestDatabase db, @TempDir Path dir) throws Exception {
        String secret = secret(db);
        String url = db.jdbcUrl().contains("password=") ? db.jdbcUrl() : db.jdbcUrl() + "&password=" + CANARY;
        Path baseline = dir.resolve("baseline.jsonl");
        Path json = dir.resolve("report.json");
        Path junit = dir.resolve("report.xml");
        List<Cli.Run> runs = new ArrayList<>();

        runs.add(expect(ExitCode.OK, run("seed", "--url", url, "--jobs", "30", "--tasks-per-job", "5", "--dirty")));
        runs.add(expect(ExitCode.OK, run("plan", "--url", url)));
        runs.add(expect(ExitCode.OK, run("plan", "--url", url, "--json")));
        runs.add(expect(ExitCode.OK, run("verify", "--url", url, "--record-baseline", baseline.toString())));
        runs.add(expect(ExitCode.OK, run("migrate", "--url", url, "--json")));
        runs.add(expect(ExitCode.OK, run("status", "--url", url)));
        runs.add(expect(ExitCode.OK, run("status", "--url", url, "--json")));
        runs.add(expect(ExitCode.OK, run("verify", "--url", url, "--baseline", baseline.toString(), "--json-file", json.toString(),
                "--junit", junit.toString())));
        runs.add(expect(ExitCode.OK, run("rollback", "--url", url)));
        // Failures: every message path of the error handler that names the target.
        String elsewhere = url.replace("/" + db.name() + "?", "/no_such_database?");
        runs.add(expect(ExitCode.FAILURE, run("status", "--url", elsewhere, "--verbose")));
        runs.add(expect(ExitCode.FAILURE, run("migrate", "--url", "jdbc:postgresql://127.0.0.1:1/x?password=" + secret, "--verbose")));
        runs.add(expect(ExitCode.USAGE, run("migrate", "--url", "mysql://db/x?password=" + secret)));
        runs.add(expect(ExitCode.USAGE, run("migrate", "--url", "jdbc:postgresql://alice:" + secret + "@127.0.0.1:1/x")));
        runs.add( // a database that is not an Arvados one: refused, naming it
                expect(ExitCode.FAILURE, run("migrate", "--url", url.replace("/" + db.name() + "?", "/postgres?"))));

        for (Cli.Run r : runs) {
            assertFalse(r.out().contains(secret) || r.err().contains(secret), "password shown:\n" + r.out() + r.err());
        }
        for (Path file : List.of(baseline, json, junit)) {
            assertFalse(Files.readString(file).contains(secret), file + " holds the password");
        }
        assertEquals(List.of(), tablesHolding(db, secret), "tables holding the password");
    }

    @Test
    void childMigratorWithPgpasswordShowsItNowhereEvenVerbose(TestDatabase db) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "20", "--tasks-per-job", "5").exitCode());
        String secret = secret(db);
        String urlWithoutPassword = db.jdbcUrl().replaceAll("[?&]password=[^&]*", "");

        Cli.Run migrated;
        try (ChildMigrator child = ChildMigrator.start(Map.of("PGPASSWORD", secret), List.of(),
                "migrate", "--url", urlWithoutPassword, "--verbose")) {
            migrated = child.finish();
        }
        Cli.Run failed;
        try (ChildMigrator child = ChildMigrator.start(Map.of("PGPASSWORD", secret), List.of(),
                "migrate", "--url", "jdbc:postgresql://127.0.0.1:1/x", "--verbose")) {
            failed = child.finish();
        }

        assertEquals(ExitCode.OK, migrated.exitCode(), migrated.out());
        assertEquals(ExitCode.FAILURE, failed.exitCode(), failed.out());
        assertTrue(failed.out().contains("\tat org.postgresql."), "--verbose did print the stack trace");
        assertFalse(migrated.out().contains(secret), migrated.out());
        assertFalse(failed.out().contains(secret), failed.out());
    }

    /** The canary, or an existing server's own password when its URL needs one (skipped if that is a common word of the output). */
    private static String secret(TestDatabase db) {
        if (!db.jdbcUrl().contains("password=")) {
            return CANARY;
        }
        String password = db.password();
        assumeTrue(password.length() >= 6 && !db.jdbcUrl().replaceAll("[?&]password=[^&]*", "").contains(password),
                "the test server's password is too short or common to trace in output");
        return password;
    }

    private static Cli.Run expect(int exitCode, Cli.Run r) {
        assertEquals(exitCode, r.exitCode(), r.out() + r.err());
        return r;
    }

    /** Tables of the database (the migration's, Liquibase's, the verifier's) with a row whose text holds {@code secret}. */
    private static List<String> tablesHolding(TestDatabase db, String secret) throws Exception {
        List<String> holding = new ArrayList<>();
        for (String table : Sql.column(db, "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema()")) {
            try (Connection c = db.connect();
                 PreparedStatement st = c.prepareStatement("SELECT count(*) FROM " + table + " t WHERE strpos(t::text, ?) > 0")) {
                st.setString(1, secret);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        holding.add(table);
                    }
                }
            }
        }
        return holding;
    }
}
