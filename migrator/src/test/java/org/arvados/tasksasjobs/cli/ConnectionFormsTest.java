package org.arvados.tasksasjobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.changelog.BaselineSchema;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connecting the ways psql connects, each against the test database with the command line in a process of its own
 * (the environment is the process's): a pg_service.conf service, a Unix-socket directory in PGHOST and in a URI,
 * ~/.pgpass for a role that must give a password, the error without one, and the no-echo prompt on a terminal
 * (a pseudo-terminal from script(1)).
 */
@ExtendWith(FreshDatabaseExtension.class)
class ConnectionFormsTest {

    private static final String ROLE = "taj_password_role";
    private static final String SECRET = "Sekret-For-Pgpass-42";

    @Test
    void aServiceFromPgServiceConf(TestDatabase db, @TempDir Path dir) throws Exception {
        arvadosSchema(db);
        Server s = Server.of(db);
        Path services = Files.writeString(dir.resolve("pg_service.conf"), """
                # as libpq reads it
                [arvados-test]
                host=%s
                port=%s
                dbname=%s
                user=%s
                """.formatted(s.host, s.port, db.name(), db.user()));
        Cli.Run status = child(Map.of("PGSERVICEFILE", services.toString(), "PGSERVICE", "arvados-test",
                "PGPASSWORD", db.password()), "status");
        assertEquals(ExitCode.OK, status.exitCode(), status.out());
        assertTrue(status.out().contains("/" + db.name()), status.out());
        if (Files.isExecutable(Path.of("/usr/bin/psql"))) {
            // libpq itself reads the same file the same way: the test's file is one a DBA's psql takes.
            ProcessBuilder psql = new ProcessBuilder("psql", "-XAtc", "SELECT current_database()").redirectErrorStream(true);
            psql.environment().putAll(Map.of("PGSERVICEFILE", services.toString(), "PGSERVICE", "arvados-test",
                    "PGPASSWORD", db.password()));
            Process p = psql.start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            assertEquals(0, p.waitFor(), out);
            assertEquals(db.name(), out);
        }

        Cli.Run missing = child(Map.of("PGSERVICEFILE", services.toString(), "PGSERVICE", "no-such-service"), "status");
        assertEquals(ExitCode.USAGE, missing.exitCode(), missing.out());
        assertTrue(missing.out().contains("no-such-service"), missing.out());
    }

    @Test
    void aUnixSocketDirectoryInPghostOrInAUri(TestDatabase db, @TempDir Path dir) throws Exception {
        arvadosSchema(db);
        Server s = Server.of(db);
        assumeTrue(s.socketDirectory != null, "the test server listens on no Unix socket");
        // The server's socket under the name port 1 would have: through the socket that connects; over TCP, port 1 on
        // localhost refuses, so a quiet fall-back to TCP fails here.
        Files.createSymbolicLink(dir.resolve(".s.PGSQL.1"), Path.of(s.socketDirectory, ".s.PGSQL." + s.port));
        Cli.Run viaEnvironment = child(Map.of("PGHOST", dir.toString(), "PGPORT", "1", "PGDATABASE", db.name(),
                "PGUSER", db.user(), "PGPASSWORD", db.password()), "status");
        assertEquals(ExitCode.OK, viaEnvironment.exitCode(), viaEnvironment.out());
        assertTrue(viaEnvironment.out().contains(dir.toString()), "names the socket directory: " + viaEnvironment.out());

        String uri = "postgresql:///" + db.name() + "?host=" + dir + "&port=1&user=" + db.user();
        Cli.Run viaUri = child(Map.of("PGPASSWORD", db.password()), "status", "--url", uri);
        assertEquals(ExitCode.OK, viaUri.exitCode(), viaUri.out());
    }

    @Test
    void aPasswordFromPgpassOrTheTerminalAndAClearErrorWithout(TestDatabase db, @TempDir Path dir) throws Exception {
        arvadosSchema(db);
        Server s = Server.of(db);
        assumeTrue(requirePasswordFor(db), "cannot make the test server ask " + ROLE + " for a password");
        String url = "jdbc:postgresql://" + s.host + ":" + s.port + "/" + db.name() + "?user=" + ROLE;

        Path pgpass = Files.writeString(dir.resolve("pgpass"), s.host + ":" + s.port + ":*:" + ROLE + ":" + SECRET + "\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        Cli.Run withPgpass = child(Map.of("PGPASSFILE", pgpass.toString()), "status", "--url", url);
        assertEquals(ExitCode.OK, withPgpass.exitCode(), withPgpass.out());

        Path empty = Files.writeString(dir.resolve("empty"), "");
        Cli.Run without = child(Map.of("PGPASSFILE", empty.toString()), "status", "--url", url);
        assertEquals(ExitCode.FAILURE, without.exitCode(), without.out());
        assertTrue(without.out().contains("asks user " + ROLE + " for a password") && without.out().contains("PGPASSWORD"),
                without.out());
        assertFalse(without.out().contains("SCRAM"), "no driver jargon: " + without.out());

        assumeTrue(OnTerminal.available(), "script(1) is not installed: no pseudo-terminal");
        Cli.Run prompted = OnTerminal.run(Map.of("PGPASSFILE", empty.toString()), "status --url '" + url + "'",
                "Password for user " + ROLE, SECRET + "\n");
        assertEquals(ExitCode.OK, prompted.exitCode(), prompted.out());
        assertTrue(prompted.out().contains("Password for user " + ROLE), prompted.out());
        assertFalse(prompted.out().contains(SECRET), "the password is not echoed: " + prompted.out());
    }

    /** Prepends a pg_hba.conf line making ROLE log in with a password over TCP; false where that cannot be done. */
    private static boolean requirePasswordFor(TestDatabase db) {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("DO $r$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + ROLE + "') THEN"
                    + " CREATE ROLE " + ROLE + " LOGIN SUPERUSER; END IF; END $r$");
            st.execute("SET password_encryption = 'scram-sha-256'");
            st.execute("ALTER ROLE " + ROLE + " PASSWORD '" + SECRET + "'");
            try (ResultSet rs = st.executeQuery("SELECT pg_read_file(current_setting('hba_file')) LIKE '%" + ROLE + "%'")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    // Read before COPY opens (and empties) the file; COPY's text format escapes tabs, so they become spaces,
                    // which pg_hba.conf reads alike.
                    st.execute("CREATE TEMPORARY TABLE hba AS SELECT n, replace(line, E'\\t', ' ') AS line"
                            + " FROM unnest(ARRAY['host all " + ROLE + " 127.0.0.1/32 scram-sha-256',"
                            + " 'host all " + ROLE + " ::1/128 scram-sha-256']"
                            + " || string_to_array(pg_read_file(current_setting('hba_file')), E'\\n')) WITH ORDINALITY AS l (line, n)");
                    st.execute("COPY (SELECT line FROM hba ORDER BY n) TO '" + hbaFile(st) + "'");
                    st.execute("SELECT pg_reload_conf()");
                }
            }
            return true;
        } catch (SQLException e) {
            return false; // not a superuser, or not the server's host (an existing server): skipped
        }
    }

    private static String hbaFile(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SHOW hba_file")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Host, port and socket directory of the test server, read from the server itself. */
    private record Server(String host, String port, String socketDirectory) {
        static Server of(TestDatabase db) throws SQLException {
            try (Connection c = db.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT coalesce(host(inet_server_addr()), '127.0.0.1'),"
                         + " current_setting('port'), current_setting('unix_socket_directories')")) {
                rs.next();
                String sockets = rs.getString(3);
                String first = sockets == null || sockets.isBlank() ? null : sockets.split(",")[0].strip();
                return new Server(rs.getString(1), rs.getString(2), first == null || !first.startsWith("/") ? null : first);
            }
        }
    }

    private static Cli.Run child(Map<String, String> env, String... args) throws Exception {
        try (ChildMigrator child = ChildMigrator.start(env, List.of("-Xmx128m"), args)) {
            return child.finish();
        }
    }

    private static void arvadosSchema(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            BaselineSchema.apply(c);
        }
    }
}
