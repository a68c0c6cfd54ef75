package org.arvados.tasksasjobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.concurrent.Callable;
import org.arvados.tasksasjobs.bench.Machine;
import org.arvados.tasksasjobs.bench.MigrationBench;
import org.arvados.tasksasjobs.bench.MigrationBenchReport;
import org.arvados.tasksasjobs.bench.PostgresCpu;
import org.arvados.tasksasjobs.seed.SeedSpec;
import org.arvados.tasksasjobs.seed.SeedSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: the migration measured against what PostgreSQL itself can do, on its own embedded server (a
 * benchmark writes hundreds of thousands of rows, which no real database should receive).
 */
@Command(name = "bench", sortOptions = false,
        description = {"Seeds N tasks into an embedded PostgreSQL and measures, on copies of that one database in one run:"
                + " baseline (one INSERT ... SELECT doing the merge with jsonb || and the digest with md5(): the yardstick),"
                + " migrate (the exact, batched, resumable backfill with every index maintained), verify, and migrate again"
                + " (nothing to do). Prints wall time, rows/s, the ratio to the baseline, peak JVM heap and PostgreSQL CPU."})
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--tasks", paramLabel = "N", defaultValue = "200000",
            description = "tasks to seed (default: ${DEFAULT-VALUE}; 1000000 for the full run)")
    long tasks;

    @Option(names = "--tasks-per-job", paramLabel = "K", defaultValue = "10", description = "tasks per job (default: ${DEFAULT-VALUE})")
    int tasksPerJob;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "keep the embedded cluster in DIR (default: a temporary directory); put it on the disk you want measured")
    Path dataDir;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the figures as JSON to FILE")
    Path json;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "2",
            description = "workers of the parallel variants (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--variants", split = ",", paramLabel = "VARIANT",
            description = "which to run, comma-separated (default: all): baseline, migrate, migrate-workers,"
                    + " verify, rerun, migrate-deferred; verify and rerun run on the first migrate variant's copy")
    List<String> variants;

    @Override
    public Integer call() throws Exception {
        if (tasks < tasksPerJob || tasksPerJob < 1) {
            throw MigratorException.usage("--tasks must be at least --tasks-per-job, and both at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SeedSpec seed;
        try {
            seed = new SeedSpec((int) (tasks / tasksPerJob), tasksPerJob, 1, false);
        } catch (IllegalArgumentException e) {
            throw MigratorException.usage(e.getMessage());
        }
        MigrationBench.Plan plan;
        try {
            plan = variants == null ? MigrationBench.Plan.all(workers)
                    : new MigrationBench.Plan(new java.util.HashSet<>(variants.stream().map(String::trim).toList()), workers);
        } catch (IllegalArgumentException e) {
            throw MigratorException.usage(e.getMessage());
        }
        err.println("bench: starting an embedded PostgreSQL...");
        err.flush();
        try (EmbeddedDatabase server = EmbeddedDatabase.start(dataDir)) {
            SeedSummary seeded;
            List<MigrationBench.Figures> figures;
            try (MigrationBench bench = new MigrationBench(server::jdbcUrl, new PostgresCpu(server.dataDirectory()), err)) {
                seeded = bench.seed(seed);
                figures = bench.run(plan);
            }
            Machine machine;
            try (Connection c = DriverManager.getConnection(server.jdbcUrl())) {
                machine = Machine.describe(c);
            }
            MigrationBenchReport report = new MigrationBenchReport(machine, seeded.tasks(), figures);
            report.printTable(out);
            if (json != null) {
                Files.writeString(json, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report.toJson()));
            }
            return ExitCode.OK;
        }
    }
}
