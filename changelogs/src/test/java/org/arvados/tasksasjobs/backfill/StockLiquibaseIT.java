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

    private record Run(int exitCode, String output) { }

    private static Run liquibase(TestDatabase db, String... command) throws IOException, InterruptedException {
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
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "stock Liquibase ended");
        return new Run(process.exitValue(), output);
    }
}
