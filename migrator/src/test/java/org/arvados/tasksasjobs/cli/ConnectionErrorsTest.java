package org.arvados.tasksasjobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What a DBA sees when the database cannot be reached or refuses: one line, the right exit code, never a password.
 * Authentication needs a server that asks for passwords, so this class starts one of its own (scram-sha-256 for
 * everyone but the superuser), with a role {@code alice} whose password is {@code secret}.
 */
class ConnectionErrorsTest {

    private static EmbeddedPostgres server;

    @BeforeAll
    static void startPasswordServer() throws Exception {
        server = EmbeddedPostgres.builder()
                .setDataDirectoryCustomizer(dir -> {
                    try {
                        Files.writeString(dir.toPath().resolve("pg_hba.conf"), String.join("\n",
                                "local all all trust",
                                "host all postgres 127.0.0.1/32 trust",
                                "host all postgres ::1/128 trust",
                                "host all all 127.0.0.1/32 scram-sha-256",
                                "host all all ::1/128 scram-sha-256", ""));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .start();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE alice LOGIN PASSWORD 'secret'");
        }
    }

    @AfterAll
    static void stopPasswordServer() throws IOException {
        server.close();
    }

    private static String url(String database) {
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + database;
    }

    @Test
    void unreachableServerIsOneLine() {
        Cli.Run r = Cli.run("seed", "--url", "jdbc:postgresql://127.0.0.1:1/x");

        assertEquals(ExitCode.FAILURE, r.exitCode());
        assertEquals("tasks-as-jobs: cannot connect to 127.0.0.1:1/x: connection refused;"
                + " is PostgreSQL running there? check --url or PGHOST/PGPORT\n", r.err());
    }

    @Test
    void verboseShowsTheDriversStackTrace() {
        Cli.Run r = Cli.run("seed", "--url", "jdbc:postgresql://127.0.0.1:1/x", "--verbose");

        assertEquals(ExitCode.FAILURE, r.exitCode());
        assertTrue(r.err().startsWith("tasks-as-jobs: cannot connect to 127.0.0.1:1/x"), r.err());
        assertTrue(r.err().contains("\tat org.postgresql."), r.err());
    }

    @Test
    void wrongPasswordSaysAuthenticationFailed() {
        Cli.Run r = Cli.run("seed", "--url", url("postgres") + "?password=hunter2", "--user", "alice");

        assertEquals(ExitCode.FAILURE, r.exitCode());
        assertEquals("tasks-as-jobs: authentication failed for user alice; set PGPASSWORD or ~/.pgpass\n", r.err());
        assertFalse(r.err().contains("hunter2"));
    }

    @Test
    void passwordComesFromPgpasswordOrThePgpassFile(@TempDir Path dir) throws Exception {
        ConnectionOptions options = CommandLine.populateCommand(new ConnectionOptions(), "--url", url("postgres"), "--user", "alice");
        try (DatabaseTarget target = options.open("test", Map.of("PGPASSWORD", "secret"), "nobody");
             Connection c = target.connect()) {
            assertEquals("alice", scalar(c, "SELECT current_user"));
            assertEquals("test", scalar(c, "SELECT current_setting('application_name')"));
        }
        assertThrows(MigratorException.class, () -> options.open("test", Map.of("PGPASSWORD", "wrong"), "nobody").connect());

        // pgjdbc reads ~/.pgpass, or the file PGPASSFILE (or this property) names, when no password is given.
        Path pgpass = dir.resolve("pgpass");
        Files.writeString(pgpass, "localhost:" + server.getPort() + ":*:alice:secret\n");
        String previous = System.getProperty("org.postgresql.pgpassfile");
        System.setProperty("org.postgresql.pgpassfile", pgpass.toString());
        try (DatabaseTarget target = options.open("test", Map.of(), "nobody"); Connection c = target.connect()) {
            assertEquals("alice", scalar(c, "SELECT current_user"));
        } finally {
            if (previous == null) {
                System.clearProperty("org.postgresql.pgpassfile");
            } else {
                System.setProperty("org.postgresql.pgpassfile", previous);
            }
        }
    }

    @Test
    void missingDatabaseIsNamed() {
        Cli.Run r = Cli.run("seed", "--url", url("arvados_production"), "--user", "postgres");

        assertEquals(ExitCode.FAILURE, r.exitCode());
        assertEquals("tasks-as-jobs: database arvados_production does not exist; create it (createdb arvados_production)"
                + " or check --url or PGDATABASE\n", r.err());
    }

    @Test
    void permissionDeniedIsOneLine() throws Exception {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS locked");
            st.execute("CREATE DATABASE locked");
        }
        try (Connection c = server.getDatabase("postgres", "locked").getConnection(); Statement st = c.createStatement()) {
            st.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        }
        Cli.Run r = Cli.run("seed", "--url", url("locked") + "?user=alice&password=secret", "--jobs", "2");

        assertEquals(ExitCode.FAILURE, r.exitCode());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("tasks-as-jobs: cannot create the Arvados baseline schema in localhost:"), r.err());
        assertTrue(r.err().contains("permission denied"), r.err());
    }

    @Test
    void silentServerTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            long start = System.nanoTime();
            Cli.Run r = Cli.run("seed", "--url", "jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/x",
                    "--connect-timeout", "1");

            assertEquals(ExitCode.FAILURE, r.exitCode());
            assertTrue(r.err().startsWith("tasks-as-jobs: cannot connect to 127.0.0.1:" + silent.getLocalPort() + "/x: "), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(System.nanoTime() - start < 20_000_000_000L, "gave up in time");
        }
    }

    @Test
    void badUrlsAreUsageErrorsAndNeverShowPasswords() {
        Cli.Run scheme = Cli.run("seed", "--url", "mysql://db/arvados?password=hunter2");
        assertEquals(ExitCode.USAGE, scheme.exitCode());
        assertEquals("tasks-as-jobs: --url must be a jdbc:postgresql://host[:port]/database URL,"
                + " not 'mysql://db/arvados?password=***'\ntry 'tasks-as-jobs seed --help'\n", scheme.err());

        Cli.Run both = Cli.run("seed", "--url", url("postgres"), "--embedded");
        assertEquals(ExitCode.USAGE, both.exitCode());
        assertTrue(both.err().startsWith("tasks-as-jobs: --url and --embedded exclude each other"), both.err());

        Cli.Run refused = Cli.run("seed", "--url", "jdbc:postgresql://127.0.0.1:1/x?user=a&password=hunter2");
        assertFalse(refused.err().contains("hunter2"), refused.err());
    }

    @Test
    void withoutUrlTheLibpqVariablesDecide() {
        ConnectionOptions options = CommandLine.populateCommand(new ConnectionOptions());
        DatabaseTarget target = options.open("test",
                Map.of("PGHOST", "db.example.org", "PGPORT", "6543", "PGDATABASE", "arvados", "PGUSER", "arvados", "PGPASSWORD", "s3cret"),
                "dba");
        assertEquals("db.example.org:6543/arvados", target.describe());
        assertEquals("jdbc:postgresql://db.example.org:6543/arvados", target.redactedUrl());

        DatabaseTarget defaults = options.open("test", Map.of(), "dba");
        assertEquals("localhost:5432/dba", defaults.describe(), "PGDATABASE defaults to the user, the user to the OS user");

        DatabaseTarget socket = options.open("test", Map.of("PGHOST", "/var/run/postgresql"), "dba");
        assertEquals("/var/run/postgresql:5432/dba", socket.describe(), "a socket directory, as libpq takes it");
        assertEquals("/var/run/postgresql/.s.PGSQL.5432", socket.connectionProperties().getProperty("socketFactoryArg"));
        DatabaseTarget ssl = options.open("test", Map.of("PGSSLMODE", "verify-full", "PGSSLROOTCERT", "/etc/ssl/root.crt"), "dba");
        assertEquals("verify-full", ssl.connectionProperties().getProperty("sslmode"));
        assertEquals("/etc/ssl/root.crt", ssl.connectionProperties().getProperty("sslrootcert"));
        MigratorException port = assertThrows(MigratorException.class, () -> options.open("test", Map.of("PGPORT", "x"), "dba"));
        assertEquals("PGPORT must be a port number, not 'x'", port.getMessage());
    }

    @Test
    void unexpectedFailuresAreInternalErrorsInOneLine() {
        StringWriter text = new StringWriter();
        int code = ErrorHandler.report(new IllegalStateException("boom\nsecond line"), new PrintWriter(text, true));

        assertEquals(ExitCode.FAILURE, code);
        assertEquals("tasks-as-jobs: internal error: java.lang.IllegalStateException: boom (run with --verbose for details)\n",
                text.toString());
    }

    @Test
    void sqlErrorsWithoutAKnownStateShowTheServersMessage() {
        StringWriter text = new StringWriter();
        int code = ErrorHandler.report(new RuntimeException(new SQLException("ERROR: canceling statement due to user request", "57014")),
                new PrintWriter(text, true));

        assertEquals(ExitCode.FAILURE, code);
        assertEquals("tasks-as-jobs: ERROR: canceling statement due to user request (SQLSTATE 57014)\n", text.toString());
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
