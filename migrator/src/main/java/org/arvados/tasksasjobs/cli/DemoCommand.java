package org.arvados.tasksasjobs.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.arvados.tasksasjobs.changelog.BaselineSchema;
import org.arvados.tasksasjobs.migration.MigrationPipeline;
import org.arvados.tasksasjobs.migration.Migrator;
import org.arvados.tasksasjobs.reuse.SavingsReplay;
import org.arvados.tasksasjobs.savings.TaskRuns;
import org.arvados.tasksasjobs.seed.SeedGenerator;
import org.arvados.tasksasjobs.seed.SeedSpec;
import org.arvados.tasksasjobs.seed.SeedSummary;
import org.arvados.tasksasjobs.verification.HumanReport;
import org.arvados.tasksasjobs.verification.VerificationReport;
import org.arvados.tasksasjobs.verification.Verifier;
import org.arvados.tasksasjobs.yaml.SnakeYamlDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", sortOptions = false, description = {"The first thing to run: starts an embedded PostgreSQL,"
        + " seeds an Arvados database with realistic crunch v1 data (old-database mess included), records a verification"
        + " baseline, migrates, verifies, and prints what happened. Needs nothing but Java."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--tasks", paramLabel = "N", defaultValue = "20000", description = "About how many tasks to seed (default: ${DEFAULT-VALUE}).")
    int tasks;

    @Option(names = "--tasks-per-job", paramLabel = "K", defaultValue = "20", description = "Tasks per job (default: ${DEFAULT-VALUE}).")
    int tasksPerJob;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Random seed of the data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--clean", description = "Seed only valid data (by default the demo plants orphans, unparseable rows and"
            + " uuid collisions, as old databases hold them).")
    boolean clean;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Keep the embedded database in DIR (default: a temporary"
            + " directory, removed at exit).")
    Path dataDir;

    @Mixin
    MigrateCommand.MigrationOptions migration;

    @Mixin
    MigrateCommand.RunOptions run;

    @Override
    public Integer call() throws Exception {
        if (tasks < 1 || tasksPerJob < 1) {
            throw MigratorException.usage("--tasks and --tasks-per-job must be at least 1");
        }
        SeedSpec seedSpec;
        try {
            seedSpec = new SeedSpec(Math.max(1, tasks / tasksPerJob), tasksPerJob, seed, !clean);
        } catch (IllegalArgumentException e) {
            throw MigratorException.usage(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.println("demo: starting an embedded PostgreSQL...");
        err.flush();
        try (DatabaseTarget target = DatabaseTarget.embedded(EmbeddedDatabase.start(dataDir), "tasks-as-jobs demo", 30);
             Connection c = target.connect()) {
            long start = System.nanoTime();
            BaselineSchema.apply(c);
            SeedSummary seeded = new SeedGenerator(seedSpec).writeTo(c);
            double seedSeconds = (System.nanoTime() - start) / 1e9;
            out.printf("seeded %s: %,d jobs, %,d tasks in %.1f s%s%n", target.describe(), seeded.jobs(), seeded.tasks(),
                    seedSeconds, clean ? "" : " (with planted dirt: " + seeded.dirt().entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")) + ")");
            out.flush();

            Migrator.Options options = migration.options(run);
            Path baseline = Files.createTempFile("tasks-as-jobs-demo-baseline", ".jsonl");
            try {
                Migrator migrator = new Migrator(c, target::connectForWorker, migration.listener(spec, false));
                MigrationPipeline.Result result = new MigrationPipeline(migrator).run(options,
                        new MigrationPipeline.Verification(new Verifier(c, new SnakeYamlDecoder(),
                                options.settings().inheritPolicy()), baseline, null, target.describe()),
                        new MigrationPipeline.Stages() {
                            @Override
                            public void baselineRecorded(Path file, Verifier.BaselineSummary summary) {
                                VerifyCommand.printBaseline(err, file, summary);
                            }

                            @Override
                            public void migrated(Migrator.Outcome outcome) {
                                new MigrationSummary(target.describe(), outcome).print(out);
                                out.println();
                            }
                        });
                if (result.verification().isEmpty()) {
                    out.flush();
                    return ExitCode.FAILURE;
                }
                VerificationReport report = result.verification().get();
                // The verifier's task-reuse-gained counts mix a task reusing itself or a twin of its own job with
                // real savings; the demo shows what `savings` reports instead (below).
                HumanReport.write(new VerificationReport(report.target(), report.startedAt(), report.elapsed(),
                        report.checks().stream().filter(check -> !check.name().equals("task-reuse-gained")).toList(),
                        report.notes()), out);
                out.println();
                if (!report.passed()) {
                    out.flush();
                    return ExitCode.DIFFERENCES;
                }
            } finally {
                Files.deleteIfExists(baseline);
            }
            // What the migration is for: the figures `savings` reports on this history.
            out.println("What task reuse would have saved on this history (tasks-as-jobs savings):");
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // the replay reads through a cursor
            try {
                SavingsReplay replay = new SavingsReplay(Set.of(), null, null);
                new TaskRuns(c, new SnakeYamlDecoder(), options.settings().inheritPolicy())
                        .replayTaskLikeJobs(replay, tasksRead -> { });
                SavingsCommand.print(out, replay.finish());
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
            out.println();
            out.println("next: run it against your own database (plan first, it changes nothing):");
            out.println("  java -jar migrator/target/tasks-as-jobs.jar plan --url jdbc:postgresql://HOST:5432/arvados --user USER");
            out.flush();
            return ExitCode.OK;
        }
    }
}
