package org.arvados.tasksasjobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.concurrent.Callable;
import org.arvados.tasksasjobs.bench.CommandLineProcess;
import org.arvados.tasksasjobs.bench.Machine;
import org.arvados.tasksasjobs.bench.MigrationBench;
import org.arvados.tasksasjobs.bench.MigrationBenchReport;
import org.arvados.tasksasjobs.bench.PostgresCpu;
import org.arvados.tasksasjobs.bench.ServerBench;
import org.arvados.tasksasjobs.bench.ServerBenchReport;
import org.arvados.tasksasjobs.seed.SeedSpec;
import org.arvados.tasksasjobs.seed.SeedSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: the migration measured against what PostgreSQL itself can do, on its own embedded server (a
 * benchmark writes hundreds of thousands of rows, which no real database should receive).
 */
@Command(name = "bench", sortOptions = false,
        description = {"Seeds N tasks and measures, on copies of that one database in one run: the yardstick (one INSERT ..."
                + " SELECT doing the merge with jsonb || and the digest with md5()), migrate (the exact, batched, resumable"
                + " backfill with every index maintained), with --workers, with --defer-indexes, verify, and migrate again"
                + " (nothing to do).",
                "With --url (or --server and PGHOST, PGPORT, PGUSER, PGPASSWORD) it runs against that server, the command"
                + " line started as its own process for every variant as a user runs it, the yardstick timed before and"
                + " after the variants, the tasks in job order and in task-level order; the role needs CREATEDB. Without,"
                + " it runs in this process on an embedded PostgreSQL (a second opinion, not the real thing)."})
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--server", description = "run against the server named by PGHOST, PGPORT, PGDATABASE and PGUSER"
            + " (what --url would name); its database is where the benchmark's own databases are created from")
    boolean server;

    @Option(names = "--orders", split = ",", paramLabel = "ORDER", defaultValue = "job,task-level",
            description = "with --url or --server: the task orders to run the migrate variants on (default: ${DEFAULT-VALUE})")
    List<String> orders;

    @Option(names = "--heap", paramLabel = "SIZE", defaultValue = "256m",
            description = "with --url or --server: -Xmx of the command line's processes (default: ${DEFAULT-VALUE})")
    String heap;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "1",
            description = "with --url or --server: run every variant N times, each on a fresh copy, the rounds interleaved"
                    + " and the yardstick timed again after each; the table adds each variant's median (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--tasks", paramLabel = "N", defaultValue = "200000",
            description = "tasks to seed (default: ${DEFAULT-VALUE}; 1000000 for the full run)")
    long tasks;

    @Option(names = "--tasks-per-job", paramLabel = "K", defaultValue = "10", description = "tasks per job (default: ${DEFAULT-VALUE})")
    int tasksPerJob;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "keep the embedded cluster in DIR (default: a temporary directory); put it on the disk you want measured")
    Path dataDir;

    @Mixin
    JsonOutput json;

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
        if (connection.embeddedRequested()) {
            throw MigratorException.usage("bench runs on an embedded PostgreSQL unless --url or --server is given;"
                    + " --data-dir keeps its data");
        }
        if (server || connection.given()) {
            return onServer(seed, out, err);
        }
        if (rounds != 1) {
            throw MigratorException.usage("--rounds applies to --url or --server; the embedded bench runs each variant once");
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
            report.printTable(json.textStream(out, err));
            json.write(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report.toJson()), out);
            return ExitCode.OK;
        }
    }

    private int onServer(SeedSpec seed, PrintWriter out, PrintWriter err) throws Exception {
        if (variants != null) {
            throw MigratorException.usage("--variants applies to the embedded bench; with --url or --server every variant runs");
        }
        if (dataDir != null) {
            throw MigratorException.usage("--data-dir applies to the embedded bench, not to --url or --server");
        }
        if (!heap.matches("[1-9][0-9]*[kmgKMG]")) {
            throw MigratorException.usage("--heap must be a JVM heap size such as 256m or 1g, not '" + heap + "'");
        }
        ServerBench.Plan plan;
        try {
            java.util.Set<ServerBench.Order> chosen = new java.util.LinkedHashSet<>();
            for (String o : orders) {
                chosen.add(ServerBench.Order.of(o.trim()));
            }
            plan = new ServerBench.Plan(workers, chosen, heap, rounds);
        } catch (IllegalArgumentException e) {
            throw MigratorException.usage(e.getMessage());
        }
        try (DatabaseTarget target = connection.open("tasks-as-jobs bench")) {
            BenchServer benchServer = BenchServer.of(target);
            try (Connection c = target.connect()) {
                benchServer.requireCreatedb(c);
            }
            ServerBench bench = new ServerBench(benchServer,
                    CommandLineProcess.likeThisJvm(TasksAsJobs.class.getName()), err);
            SeedSummary seeded = bench.seed(seed, plan);
            ServerBench.Outcome outcome;
            try {
                outcome = bench.run(plan, seeded.tasks());
            } finally {
                bench.dropAll();
            }
            Machine machine;
            try (Connection c = target.connect()) {
                machine = Machine.describe(c);
            }
            String command = "tasks-as-jobs bench " + (server ? "--server" : "--url " + target.redactedUrl())
                    + " --tasks " + tasks + " --tasks-per-job " + tasksPerJob + " --workers " + workers
                    + " --orders " + String.join(",", orders) + " --heap " + heap + (rounds == 1 ? "" : " --rounds " + rounds);
            ServerBenchReport report = new ServerBenchReport(machine, command, outcome);
            report.printTable(json.textStream(out, err));
            json.write(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report.toJson()), out);
            if (!report.sameRowsEverywhere()) {
                err.println("bench: a variant wrote other task-like jobs than migrate did (see 'same rows')");
                return ExitCode.DIFFERENCES;
            }
            return ExitCode.OK;
        }
    }
}
