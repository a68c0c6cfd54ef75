package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.arvados.tasksasjobs.changelog.BaselineSchema;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** libpq's postgres:// URIs, as psql takes them, translated and then used against the test database. */
@ExtendWith(FreshDatabaseExtension.class)
class LibpqUriTest {

    @Test
    void translatesTheFormsPsqlTakes() {
        assertEquals("jdbc:postgresql://db.example:5433/arvados?sslmode=require&user=arvados",
                LibpqUri.toJdbc("postgres://arvados@db.example:5433/arvados?sslmode=require"));
        assertEquals("jdbc:postgresql://localhost/arvados", LibpqUri.toJdbc("postgresql:///arvados"));
        assertEquals("jdbc:postgresql://h/d?connectTimeout=5&ApplicationName=x",
                LibpqUri.toJdbc("postgresql://h/d?connect_timeout=5&application_name=x"));
        assertEquals("jdbc:postgresql://h/d?user=a b", LibpqUri.toJdbc("postgres://a%20b@h/d"));
        MigratorException password = assertThrows(MigratorException.class,
                () -> LibpqUri.toJdbc("postgres://arvados:secret@h/d"));
        assertFalse(password.getMessage().contains("secret"), password.getMessage());
    }

    @Test
    void connectsWithAPostgresUri(TestDatabase db) throws Exception {
        try (var c = db.connect()) {
            BaselineSchema.apply(c);
        }
        String uri = db.jdbcUrl().replaceFirst("^jdbc:postgresql://", "postgres://");
        Cli.Run status = run("status", "--url", uri);
        assertEquals(ExitCode.OK, status.exitCode(), status.err());
        assertTrue(status.out().contains("phases: none applied"), status.out());

        Cli.Run withPassword = run("status", "--url", "postgresql://someone:secret@127.0.0.1:1/x");
        assertEquals(ExitCode.USAGE, withPassword.exitCode());
        assertFalse(withPassword.err().contains("secret"), withPassword.err());
    }
}
