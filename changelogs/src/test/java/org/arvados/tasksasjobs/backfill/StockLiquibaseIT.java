package org.arvados.tasksasjobs.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The changelog under a stock Liquibase command line (liquibase.integration.commandline.LiquibaseCommandLine), with
 * only what a Liquibase distribution ships (Liquibase, its libraries, the PostgreSQL driver) plus the
 * changelogs-VERSION-liquibase.jar that the build makes. No Jackson, no compat-shim, no classes of ours besides that jar.
 */
@ExtendWith(ArvadosDatabaseExtension.class)
class StockLiquibaseIT {

    // What a Liquibase 4.33 distribution has on its classpath for PostgreSQL, and Liquibase's own CLI needs picocli.
    private static final Pattern STOCK = Pattern.compile(
            ".*/(liquibase-core|opencsv|jaxb-api|commons-collections4|commons-text|commons-lang3|commons-io|snakeyaml|postgresql|checker-qual|picocli)-[^/]*\\.jar");

    @Test
    void stockLiquibaseRunsExpandAndBackfillThenRollsBack(TestDatabase db) throws Exception {
        try (var c = db.connect()) {
            ArvadosRows rows = new ArvadosRows(c);
            rows.job("zzzzz-8i9sb-parentjob000001", "Complete", "---\ninput: fa7aeb5140e2848d39b416daeef4ffc5+45\n");
            rows.task("zzzzz-ot0gb-task00000000001", "zzzzz-8i9sb-parentjob000001", "{\"n\":1}", true, ". abc 0:0:x\n", null);
            rows.task("zzzzz-ot0gb-orphan000000001", "zzzzz-8i9sb-nosuchjob000000", "{}", true, null, null);
            String jobs = rows.checksum("jobs");

            Run update = liquibase(db, "update", "--contexts=expand,backfill");
            assertEquals(0, update.exitCode(), update.output());
            assertEquals("{\"input\":\"fa7aeb5140e2848d39b416daeef4ffc5+45\",\"n\":1}",
                    rows.scalar("SELECT script_parameters FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-task00000000001'"));
            assertEquals("orphan", rows.scalar("SELECT reason FROM job_tasks_quarantine"));

            Run rollback = liquibase(db, "rollback", "--tag=before-tasks-as-jobs");
            assertEquals(0, rollback.exitCode(), rollback.output());
            assertEquals(jobs, rows.checksum("jobs"));
        }
    }

    @Test
    void updateSqlPrintsWhatTheBackfillWouldDoAndChangesNothing(TestDatabase db) throws Exception {
        try (var c = db.connect()) {
            ArvadosRows rows = seed(c, 30);
            String before = everyTable(rows, true);

            Run sql = liquibase(db, "update-sql");

            assertEquals(0, sql.exitCode(), sql.output());
            assertTrue(sql.output().contains("-- tasks-as-jobs backfill: not run (this command only prints SQL)"), sql.output());
            assertTrue(sql.output().contains("It would examine 31 of the 31 tasks of job_tasks: carry 30 as task-like jobs"
                    + " and quarantine 1 {orphan=1}."), sql.output());
            assertTrue(sql.output().contains("ALTER TABLE jobs"), "the expand DDL is printed: " + sql.output());
            assertEquals(before, everyTable(rows, true), "update-sql left every table and its rows as they were, Liquibase's own too");
        }
    }

    @Test
    void theMavenPluginsUpdateSqlAlsoOnlyPrints(TestDatabase db, @TempDir Path dir) throws Exception {
        try (var c = db.connect()) {
            ArvadosRows rows = seed(c, 12);
            String before = everyTable(rows, true);
            Path jar = Path.of(System.getProperty("liquibaseJar")).toAbsolutePath();
            Files.writeString(dir.resolve("pom.xml"), """
                    <project xmlns="http://maven.apache.org/POM/4.0.0">
                      <modelVersion>4.0.0</modelVersion>
                      <groupId>example</groupId><artifactId>dba</artifactId><version>1</version><packaging>pom</packaging>
                      <build><plugins><plugin>
                        <groupId>org.liquibase</groupId><artifactId>liquibase-maven-plugin</artifactId><version>%s</version>
                        <configuration>
                          <changeLogFile>db/changelog/tasks-as-jobs.xml</changeLogFile>
                          <url>${db.url}</url>
                          <migrationSqlOutputFile>${project.build.directory}/update.sql</migrationSqlOutputFile>
                        </configuration>
                        <dependencies>
                          <dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId><version>%s</version></dependency>
                          <dependency><groupId>org.arvados.tasksasjobs</groupId><artifactId>changelogs-liquibase</artifactId>
                            <version>1</version><scope>system</scope><systemPath>%s</systemPath></dependency>
                        </dependencies>
                      </plugin></plugins></build>
                    </project>
                    """.formatted(System.getProperty("liquibaseVersion"), System.getProperty("postgresqlVersion"), jar));
            Process maven = new ProcessBuilder("mvn", "-B", "-ntp", "-f", dir.resolve("pom.xml").toString(),
                    "liquibase:updateSQL", "-Ddb.url=" + db.jdbcUrl()).redirectErrorStream(true).start();
            maven.getOutputStream().close();
            String output = new String(maven.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(maven.waitFor(5, TimeUnit.MINUTES), "maven ended");
            assertEquals(0, maven.exitValue(), output);

            String sql = Files.readString(dir.resolve("target/update.sql"));
            assertTrue(sql.contains("-- tasks-as-jobs backfill: not run (this command only prints SQL)"), sql);
            assertTrue(sql.contains("carry 12 as task-like jobs and quarantine 1 {orphan=1}"), sql);
            assertEquals(before, everyTable(rows, true), "updateSQL left every table and its rows as they were");
        }
    }

    @Test
    void plainUpdateStopsBeforeTheContractWhichRunsOnlyByNameAndRollbackGivesEverythingBack(TestDatabase db) throws Exception {
        try (var c = db.connect()) {
            ArvadosRows rows = seed(c, 30);
            String before = everyTable(rows, false);

            Run update = liquibase(db, "update");
            assertEquals(0, update.exitCode(), update.output());
            assertTrue(update.output().contains("backfill: 30 task-like jobs written, 1 tasks quarantined"), update.output());
            assertTrue(update.output().contains("liquibase update --contexts=contract"), update.output());
            assertEquals("r", rows.scalar("SELECT relkind::text FROM pg_class WHERE oid = 'job_tasks'::regclass"),
                    "no contract without asking for it");
            assertEquals(1, rows.scalarLong("SELECT count(*) FROM pg_trigger WHERE tgname = 'tasks_as_jobs_capture'"),
                    "plain update installs the online capture");

            Run refused = liquibase(db, "update", "--contexts=contract");
            assertEquals(1, refused.exitCode(), "no passed verification recorded yet: " + refused.output());
            c.createStatement().execute("INSERT INTO tasks_as_jobs_verification (started_at, finished_at, passed, checks)"
                    + " VALUES (now(), now() + interval '1 hour', true, '{}')");
            Run contract = liquibase(db, "update", "--contexts=contract");
            assertEquals(0, contract.exitCode(), contract.output());
            assertEquals("v", rows.scalar("SELECT relkind::text FROM pg_class WHERE oid = 'job_tasks'::regclass"));

            Run unsafe = liquibase(db, "rollback", "--tag=before-tasks-as-jobs");
            assertEquals(1, unsafe.exitCode(), unsafe.output());
            assertTrue(unsafe.output().contains("roll the contract back first"), unsafe.output());
            assertEquals(30, rows.scalarLong("SELECT count(*) FROM job_tasks_legacy WHERE uuid LIKE 'zzzzz-ot0gb-task%'"),
                    "the refused rollback deleted no task");

            assertEquals(0, liquibase(db, "rollback", "--tag=before-tasks-as-jobs", "--contexts=contract").exitCode());
            Run rollback = liquibase(db, "rollback", "--tag=before-tasks-as-jobs");
            assertEquals(0, rollback.exitCode(), rollback.output());
            assertEquals(before, everyTable(rows, false), "rollback gave back every table as it was");
        }
    }

    @Test
    void aKilledUpdateIsResumedByTheSameCommandRunTwiceAndASecondRunIsRefusedNamingTheFirst(TestDatabase db) throws Exception {
        try (var c = db.connect()) {
            ArvadosRows rows = seed(c, 600);
            assertEquals(0, liquibase(db, "update", "--contexts=expand").exitCode());

            // The backfill commits some batches, then waits on a lock this test takes on jobs (as a crunch
            // transaction would hold one), and is killed there with SIGKILL.
            Process killed = start(db, "update", "-DtasksAsJobs.batchSize=50");
            try (var crunch = db.connect()) {
                awaitTrue(() -> rows.scalarLong("SELECT coalesce(max(tasks_migrated), 0) FROM tasks_as_jobs_checkpoint") > 0);
                crunch.setAutoCommit(false);
                crunch.createStatement().execute("LOCK TABLE jobs IN SHARE MODE");
                awaitTrue(() -> rows.scalarLong("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        + " AND pid <> pg_backend_pid()") > 0);
                killed.destroyForcibly();
                assertTrue(killed.waitFor(1, TimeUnit.MINUTES));
                crunch.rollback();
            }
            long carried = rows.scalarLong("SELECT count(*) FROM jobs WHERE legacy_task_uuid IS NOT NULL");
            assertTrue(carried > 0 && carried < 600, "killed mid-backfill: " + carried + " carried");

            // The lock went with the killed session: a concurrent holder is named, a free one just proceeds.
            try (var other = db.connect(); var st = other.createStatement()) {
                st.execute("SELECT pg_advisory_lock(x'7461736b'::int, x'6c716273'::int)");
                Run waiting = liquibase(db, "--changelog-lock-wait-time-in-minutes=0", "update");
                assertEquals(1, waiting.exitCode(), waiting.output());
                assertTrue(waiting.output().contains("held by backend pid"), waiting.output());
            }
            for (String attempt : List.of("the re-run", "the second re-run")) {
                Run rerun = liquibase(db, "update", "-DtasksAsJobs.batchSize=50");
                assertEquals(0, rerun.exitCode(), attempt + ": " + rerun.output());
            }
            assertEquals(600, rows.scalarLong("SELECT count(*) FROM jobs WHERE legacy_task_uuid IS NOT NULL"));
            assertEquals(600, rows.scalarLong("SELECT count(DISTINCT legacy_task_uuid) FROM jobs WHERE legacy_task_uuid IS NOT NULL"));
            assertEquals(1, rows.scalarLong("SELECT count(*) FROM job_tasks_quarantine"), "the orphan, once");
        }
    }

    /** A parent job, {@code tasks} tasks of it and one orphan task. */
    private static ArvadosRows seed(java.sql.Connection c, int tasks) throws Exception {
        ArvadosRows rows = new ArvadosRows(c);
        rows.job("zzzzz-8i9sb-parentjob000001", "Complete", "{\"input\":\"fa7aeb5140e2848d39b416daeef4ffc5+45\"}");
        for (int i = 0; i < tasks; i++) {
            rows.task(String.format("zzzzz-ot0gb-task%011d", i), "zzzzz-8i9sb-parentjob000001", "{\"n\":" + i + "}", true,
                    ". abc 0:0:x\n", null);
        }
        rows.task("zzzzz-ot0gb-orphan000000001", "zzzzz-8i9sb-nosuchjob000000", "{}", true, null, null);
        return rows;
    }

    /**
     * Every table of the schema with a checksum of its rows, every view, index, sequence and function: the whole state.
     * Without {@code bookkeeping}, Liquibase's own tables are left out (a rollback to a tag keeps the tag's row).
     */
    private static String everyTable(ArvadosRows rows, boolean bookkeeping) throws Exception {
        StringBuilder out = new StringBuilder();
        String tables = rows.scalar("SELECT string_agg(relname || ':' || relkind::text, ',' ORDER BY relname) FROM pg_class"
                + " WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'v', 'i', 'S')"
                + (bookkeeping ? "" : " AND relname NOT LIKE 'databasechangelog%'"));
        out.append(tables).append('\n');
        for (String table : tables.split(",")) {
            if (table.endsWith(":r")) {
                String name = table.substring(0, table.length() - 2);
                out.append(name).append(' ').append(rows.checksum(name)).append('\n');
            }
        }
        out.append(rows.scalar("SELECT string_agg(attrelid::regclass || '.' || attname, ',' ORDER BY attrelid::regclass::text, attnum)"
                + " FROM pg_attribute WHERE attrelid IN ('jobs'::regclass, 'job_tasks'::regclass) AND attnum > 0 AND NOT attisdropped"));
        out.append(rows.scalar("SELECT string_agg(proname, ',' ORDER BY proname) FROM pg_proc WHERE pronamespace = 'public'::regnamespace"));
        return out.toString();
    }

    private static void awaitTrue(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.call()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within 60 s");
            Thread.onSpinWait();
        }
    }

    private record Run(int exitCode, String output) { }

    private static Run liquibase(TestDatabase db, String... command) throws IOException, InterruptedException {
        Process process = start(db, command);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "stock Liquibase ended");
        return new Run(process.exitValue(), output);
    }

    /** Liquibase's own command line in a JVM of its own, output and errors together on its standard output. */
    private static Process start(TestDatabase db, String... command) throws IOException {
        Path jar = Path.of(System.getProperty("liquibaseJar"));
        assertTrue(Files.isRegularFile(jar), "the build makes " + jar + " in the package phase");
        List<String> classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> STOCK.matcher(entry.replace(File.separatorChar, '/')).matches())
                .collect(Collectors.toCollection(ArrayList::new));
        classpath.add(jar.toString());
        List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(File.pathSeparator, classpath), "liquibase.integration.commandline.LiquibaseCommandLine",
                "--url=" + db.jdbcUrl(), "--changelog-file=db/changelog/tasks-as-jobs.xml", "--show-banner=false"));
        args.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true);
        builder.environment().put("LIQUIBASE_ANALYTICS_ENABLED", "false");
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }
}
