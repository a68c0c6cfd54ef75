package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.arvados.tasksasjobs.testdb.PostgresServer;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The version matrix (Maven profile {@code pg-matrix}): seed, record a baseline, migrate (online phase included),
 * verify, contract, verify again and roll back on
 * each PostgreSQL version whose binaries jar the profile downloaded into {@value #BINARIES_PROPERTY}. Without the
 * profile there are no jars and nothing runs; the default build tests the classpath's version everywhere else.
 */
class PostgresVersionsIT {

    static final String BINARIES_PROPERTY = "tasksasjobs.pg.binaries";

    private static final Pattern VERSION = Pattern.compile("-(\\d+)\\.(\\d+)\\.(\\d+)\\.jar$");

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> migrateAndVerifyOnEveryVersion() throws IOException {
        String binaries = System.getProperty(BINARIES_PROPERTY);
        assumeTrue(binaries != null && Files.isDirectory(Path.of(binaries)),
                "no PostgreSQL binaries to test against: run with -Ppg-matrix");
        List<Path> jars;
        try (Stream<Path> files = Files.list(Path.of(binaries))) {
            jars = files.filter(f -> VERSION.matcher(f.getFileName().toString()).find())
                    .sorted(Comparator.comparingInt(PostgresVersionsIT::major)).toList();
        }
        assumeTrue(!jars.isEmpty(), "no binaries jars in " + binaries);
        return jars.stream().map(jar -> DynamicTest.dynamicTest("PostgreSQL " + version(jar), () -> migrateAndVerify(jar)));
    }

    private void migrateAndVerify(Path jar) throws Exception {
        long start = System.nanoTime();
        try (PostgresServer server = PostgresServer.embedded(jar); TestDatabase db = server.createDatabase(null)) {
            assertTrue(serverVersion(db).startsWith(String.valueOf(major(jar))), serverVersion(db));
            String url = db.jdbcUrl();
            Path baseline = dir.resolve("baseline-" + version(jar) + ".jsonl");

            Cli.Run seed = run("seed", "--verbose", "--url", url, "--jobs", "300", "--tasks-per-job", "8", "--dirty", "--seed", "3");
            assertEquals(ExitCode.OK, seed.exitCode(), seed.err());
            Cli.Run record = run("verify", "--verbose", "--url", url, "--record-baseline", baseline.toString());
            assertEquals(ExitCode.OK, record.exitCode(), record.err());
            Cli.Run migrate = run("migrate", "--verbose", "--url", url, "--phases", "expand,online,backfill", "--workers", "2");
            assertEquals(ExitCode.OK, migrate.exitCode(), migrate.err());
            Cli.Run verify = run("verify", "--verbose", "--url", url, "--baseline", baseline.toString());
            assertEquals(ExitCode.OK, verify.exitCode(), verify.out() + verify.err());
            Cli.Run contract = run("migrate", "--verbose", "--url", url, "--phases", "contract");
            assertEquals(ExitCode.OK, contract.exitCode(), contract.err());
            Cli.Run verifyContracted = run("verify", "--verbose", "--url", url, "--baseline", baseline.toString());
            assertEquals(ExitCode.OK, verifyContracted.exitCode(), verifyContracted.out() + verifyContracted.err());
            Cli.Run rollback = run("rollback", "--verbose", "--url", url);
            assertEquals(ExitCode.OK, rollback.exitCode(), rollback.err());
            Cli.Run again = run("migrate", "--verbose", "--url", url, "--workers", "2");
            assertEquals(ExitCode.OK, again.exitCode(), again.err());
        }
        System.out.printf("PostgreSQL %s: seed, baseline, migrate (2 workers), verify, contract, verify, rollback, migrate in %.1f s%n",
                version(jar), (System.nanoTime() - start) / 1e9);
    }

    private static String serverVersion(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static int major(Path jar) {
        Matcher m = VERSION.matcher(jar.getFileName().toString());
        if (!m.find()) {
            throw new IllegalArgumentException("not a versioned binaries jar: " + jar);
        }
        // 9.6 is major 9 (with minor 6); from 10 on the first number is the major version.
        return Integer.parseInt(m.group(1));
    }

    private static String version(Path jar) {
        Matcher m = VERSION.matcher(jar.getFileName().toString());
        m.find();
        return m.group(1) + "." + m.group(2) + "." + m.group(3);
    }
}
