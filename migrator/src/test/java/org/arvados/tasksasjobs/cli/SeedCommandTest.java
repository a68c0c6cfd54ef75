package org.arvados.tasksasjobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(FreshDatabaseExtension.class)
class SeedCommandTest {

    private static final Pattern SEEDED = Pattern.compile(
            "seeded ([0-9,]+) jobs and ([0-9,]+) tasks into (\\S+) in [0-9.]+ s \\(planted: (.*)\\)\n");

    @Test
    void seedsAnEmptyDatabaseAndReportsWhatItWrote(TestDatabase db) throws Exception {
        Cli.Run r = run("seed", "--url", db.jdbcUrl(), "--jobs", "40", "--tasks-per-job", "5", "--seed", "3");

        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        assertEquals("", r.err());
        Matcher m = SEEDED.matcher(r.out());
        assertTrue(m.matches(), r.out());
        assertEquals("40", m.group(1));
        assertTrue(m.group(3).endsWith("/" + db.name()), m.group(3));
        assertFalse(r.out().contains(db.password() + "@") || r.out().contains("password"), r.out());
        assertTrue(m.group(4).contains("yaml_rows"), m.group(4));
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM jobs), (SELECT count(*) FROM job_tasks)")) {
            rs.next();
            assertEquals(40, rs.getLong(1));
            assertEquals(Long.parseLong(m.group(2).replace(",", "")), rs.getLong(2));
        }
    }

    @Test
    void dirtySeedReportsWhatItPlanted(TestDatabase db) {
        Cli.Run r = run("seed", "--url", db.jdbcUrl(), "--jobs", "20", "--tasks-per-job", "3", "--dirty");

        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains(" orphan, ") && r.out().contains(" uuid_collision, "), r.out());
    }

    @Test
    void seedingTwiceIsRefusedInOneLine(TestDatabase db) {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "5").exitCode());

        Cli.Run r = run("seed", "--url", db.jdbcUrl(), "--jobs", "5");

        assertEquals(ExitCode.FAILURE, r.exitCode());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("tasks-as-jobs: refusing to create the Arvados baseline schema: this database already has a jobs table"),
                r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("at org."), r.err());
    }

    @Test
    void verboseAddsTheStackTrace(TestDatabase db) {
        run("seed", "--url", db.jdbcUrl(), "--jobs", "5");

        Cli.Run r = run("seed", "--verbose", "--url", db.jdbcUrl(), "--jobs", "5");

        assertEquals(ExitCode.FAILURE, r.exitCode());
        assertTrue(r.err().startsWith("tasks-as-jobs: refusing to create"), r.err());
        assertTrue(r.err().contains("BaselineRefusedException") && r.err().contains("\tat org."), r.err());
    }

    @Test
    void badCountsAreUsageErrors() {
        Cli.Run zero = run("seed", "--jobs", "0");
        assertEquals(ExitCode.USAGE, zero.exitCode());
        assertEquals("tasks-as-jobs: jobs must be between 1 and 50000000, not 0\ntry 'tasks-as-jobs seed --help'\n", zero.err());

        Cli.Run notANumber = run("seed", "--tasks-per-job", "many");
        assertEquals(ExitCode.USAGE, notANumber.exitCode());
        assertTrue(notANumber.err().startsWith("tasks-as-jobs: Invalid value for option '--tasks-per-job': 'many' is not an int"),
                notANumber.err());

        assertEquals(ExitCode.USAGE, run("seed", "--dirty", "--jobs", "3").exitCode());
    }

    @Test
    void unknownOptionsAndMissingCommandsAreUsageErrors() {
        Cli.Run unknown = run("seed", "--bogus");
        assertEquals(ExitCode.USAGE, unknown.exitCode());
        assertEquals("tasks-as-jobs: Unknown option: '--bogus'\ntry 'tasks-as-jobs seed --help'\n", unknown.err());

        Cli.Run none = run();
        assertEquals(ExitCode.USAGE, none.exitCode());
        assertTrue(none.err().startsWith("tasks-as-jobs: missing command: choose one of demo, seed, plan, migrate"), none.err());

        assertEquals(ExitCode.USAGE, run("unseed").exitCode());
    }

    @Test
    void helpAndVersionGoToStandardOutput() {
        Cli.Run help = run("seed", "--help");
        assertEquals(ExitCode.OK, help.exitCode());
        for (String option : new String[] {"--jobs", "--tasks-per-job", "--seed", "--dirty", "--url", "--user", "--embedded",
            "--connect-timeout", "--verbose"}) {
            assertTrue(help.out().contains(option), option + " in " + help.out());
        }
        Cli.Run version = run("--version");
        assertEquals(ExitCode.OK, version.exitCode());
        assertTrue(version.out().startsWith("tasks-as-jobs development\n"), version.out());
        assertEquals(ExitCode.OK, run("seed", "--version").exitCode());
    }

    @Test
    void embeddedDirectoryKeepsItsClusterAcrossRuns(@TempDir Path dir) {
        Path data = dir.resolve("pg");

        Cli.Run first = run("seed", "--embedded=" + data, "--jobs", "10", "--tasks-per-job", "2");
        assertEquals(ExitCode.OK, first.exitCode(), first.err());
        assertTrue(first.out().contains("into embedded PostgreSQL 17"), first.out());
        assertTrue(Files.isRegularFile(data.resolve("PG_VERSION")));

        Cli.Run second = run("seed", "--embedded", data.toString(), "--jobs", "10");
        assertEquals(ExitCode.FAILURE, second.exitCode());
        assertTrue(second.err().contains("already has a jobs table"), second.err());
    }

    @Test
    void temporaryEmbeddedDatabaseIsRemovedAfterwards() {
        Cli.Run r = run("seed", "--embedded", "--jobs", "3", "--tasks-per-job", "2");

        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        Matcher m = Pattern.compile("embedded PostgreSQL \\S+ at (\\S+) \\(temporary\\)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertFalse(Files.exists(Path.of(m.group(1))), m.group(1));
    }

    @Test
    void embeddedDirectoryMustBeEmptyOrACluster(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "not a cluster");

        Cli.Run r = run("seed", "--embedded=" + dir, "--jobs", "3");

        assertEquals(ExitCode.USAGE, r.exitCode());
        assertTrue(r.err().startsWith("tasks-as-jobs: " + dir + " is not empty and holds no PostgreSQL cluster"), r.err());
    }
}
