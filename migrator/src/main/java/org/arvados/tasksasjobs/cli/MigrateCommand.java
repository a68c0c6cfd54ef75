package org.arvados.tasksasjobs.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.PrintWriter;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.arvados.tasksasjobs.changelog.SchemaState;
import org.arvados.tasksasjobs.backfill.BackfillListener;
import org.arvados.tasksasjobs.backfill.BackfillSettings;
import org.arvados.tasksasjobs.backfill.MigrationRefusedException;
import org.arvados.tasksasjobs.changelog.Phase;
import org.arvados.tasksasjobs.mapping.InheritPolicy;
import org.arvados.tasksasjobs.migration.MigrationPipeline;
import org.arvados.tasksasjobs.migration.Migrator;
import org.arvados.tasksasjobs.migration.ProgressPrinter;
import org.arvados.tasksasjobs.verification.Verifier;
import org.arvados.tasksasjobs.yaml.SnakeYamlDecoder;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "migrate", sortOptions = false,
        description = {"Run the migration phases: expand (columns, indexes, bookkeeping tables) and backfill (every task"
                + " becomes a task-like job, or a quarantine row with its reason).",
                "Safe to interrupt: a re-run resumes after the last committed batch. Exit 0 only when every task is"
                        + " carried or quarantined."})
final class MigrateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    MigrationOptions migration;

    @Mixin
    RunOptions run;

    @Mixin
    JsonOutput json;

    @ArgGroup(exclusive = false, heading = "For a maintenance window:%n")
    DeferredIndexOptions deferred;

    @ArgGroup(exclusive = false, heading = "Verifying in the same run:%n")
    VerifyInRunOptions verifying;

    /** --maintenance-work-mem means nothing without --defer-indexes: picocli refuses it alone. */
    static final class DeferredIndexOptions {
        @Option(names = "--defer-indexes", required = true, description = "Drop the jobs search and trigram indexes"
                + " before the backfill and rebuild them after it (their definitions wait in tasks_as_jobs_deferred_index, so"
                + " a killed run loses none: the next migrate or rollback rebuilds them). Queries that need them are slow meanwhile."
                + " With --workers 2 or more on PostgreSQL before 18, the trigram index stays and the workers keep it up to date:"
                + " one process would build it, slower than they maintain it.")
        boolean deferIndexes;

        @Option(names = "--maintenance-work-mem", paramLabel = "SIZE", defaultValue = "512MB",
                description = "maintenance_work_mem for each index rebuild (default: ${DEFAULT-VALUE}).")
        String maintenanceWorkMem;
    }

    /** The report options mean nothing without --verify: picocli refuses them alone. */
    static final class VerifyInRunOptions {
        @Option(names = "--verify", required = true, description = "Record a baseline before migrating and verify against"
                + " it afterwards (what verify --record-baseline and verify --baseline do); exit 1 on any difference.")
        boolean verify;

        @Option(names = "--baseline-file", paramLabel = "FILE",
                description = "Keep the baseline in FILE (default: a temporary file, deleted afterwards).")
        Path baselineFile;

        @Option(names = "--probes", paramLabel = "FILE", description = "Also compare these submissions (JSON lines).")
        Path probes;

        @Option(names = "--verify-json", paramLabel = "FILE", description = "Write the report as JSON to FILE.")
        Path verifyJson;

        @Option(names = "--junit", paramLabel = "FILE", description = "Write the report as JUnit XML to FILE.")
        Path junit;
    }

    @Override
    public Integer call() throws Exception {
        boolean verify = verifying != null;
        try (DatabaseTarget target = connection.open("tasks-as-jobs migrate"); Connection c = target.connect()) {
            Migrator.Options options = migration.options(run);
            if (deferred != null) {
                try {
                    options = options.withDeferredIndexes(deferred.maintenanceWorkMem);
                } catch (IllegalArgumentException e) {
                    throw new MigratorException(e.getMessage(), ExitCode.USAGE);
                }
            }
            Path baselineFile = verify ? verifying.baselineFile : null;
            Path baseline = !verify ? null
                    : baselineFile != null ? baselineFile : Files.createTempFile("tasks-as-jobs-baseline", ".jsonl");
            MigrationPipeline.Verification verification = !verify ? MigrationPipeline.Verification.NONE
                    : new MigrationPipeline.Verification(new Verifier(c, new SnakeYamlDecoder(),
                            options.settings().inheritPolicy()), baseline, verifying.probes, target.describe());
            try {
                Migrator migrator = new Migrator(c, target::connectForWorker, migration.listener(spec, json.onStdout()));
                MigrationPipeline.Result result = new MigrationPipeline(migrator).run(options, verification,
                        new MigrationPipeline.Stages() {
                            @Override
                            public void baselineRecorded(Path file, Verifier.BaselineSummary summary) {
                                VerifyCommand.printBaseline(spec.commandLine().getErr(), file, summary);
                            }

                            @Override
                            public void migrated(Migrator.Outcome outcome) {
                                MigrationSummary summary = new MigrationSummary(target.describe(), outcome);
                                try {
                                    json.write(summary.json(), spec.commandLine().getOut());
                                } catch (java.io.IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                                if (!json.onStdout()) {
                                    summary.print(spec.commandLine().getOut());
                                }
                            }
                        });
                if (!result.complete()) {
                    return ExitCode.FAILURE;
                }
                if (result.verification().isEmpty()) {
                    return ExitCode.OK;
                }
                VerifyCommand.VerifyOptions reports = new VerifyCommand.VerifyOptions();
                reports.json.file = verifying.verifyJson;
                reports.junit = verifying.junit;
                // With --json the migration summary owns standard output; the human report goes to standard error.
                PrintWriter human = json.textStream(spec.commandLine().getOut(), spec.commandLine().getErr());
                return VerifyReports.publish(result.verification().get(), reports, human, spec.commandLine().getErr());
            } finally {
                if (baseline != null && baselineFile == null) {
                    Files.deleteIfExists(baseline);
                }
            }
        }
    }

    /** The options migrate and demo share. */
    static final class MigrationOptions {

        @Option(names = "--phases", split = ",", paramLabel = "PHASE",
                description = "Phases to run, comma-separated, in any order (they run in changelog order): expand,"
                        + " online, backfill (default: ${DEFAULT-VALUE}). On a live cluster, where crunch keeps writing"
                        + " job_tasks, add online (expand,online,backfill): a trigger captures every task write and each"
                        + " migrate applies the captured writes after its walk; run migrate again until status shows no"
                        + " changes waiting.",
                defaultValue = "expand,backfill")
        List<String> phases;

        @Option(names = "--batch-size", paramLabel = "ROWS|auto", defaultValue = "auto", converter = BatchSize.Converter.class,
                description = "Tasks per transaction; auto sizes each batch from the timings of the ones before it, to"
                        + " about one second each (default: ${DEFAULT-VALUE}).")
        BatchSize batchSize;

        @Option(names = "--inherit-policy", paramLabel = "FILE",
                description = "JSON file {\"script\": [\"key\", ...]} narrowing which parent script_parameters a"
                        + " script's tasks inherit (default: every key).")
        Path inheritPolicy;

        @Option(names = "--strict", description = "Fail on the first task that would be quarantined instead of quarantining it.")
        boolean strict;

        /** The phases asked for. */
        List<Phase> phases() {
            try {
                return phases.stream().map(String::trim).map(Phase::fromContext).distinct().toList();
            } catch (IllegalArgumentException e) {
                throw new MigratorException(e.getMessage(), ExitCode.USAGE);
            }
        }

        /** How the backfill maps and batches, without what only a run needs ({@link RunOptions}). */
        BackfillSettings settings() {
            InheritPolicy policy = InheritPolicyFile.read(inheritPolicy);
            try {
                return batchSize.applyTo(BackfillSettings.defaults()).withStrict(strict).withInheritPolicy(policy);
            } catch (IllegalArgumentException e) {
                throw new MigratorException(e.getMessage(), ExitCode.USAGE);
            }
        }

        /** What a migrate runs, with how: {@code run}'s workers, pause, lock timeout. */
        Migrator.Options options(RunOptions run) {
            try {
                BackfillSettings settings = settings().withPause(run.pause).withWorkers(run.workers);
                return new Migrator.Options(phases(), settings, run.locks.lockTimeout);
            } catch (IllegalArgumentException e) {
                throw new MigratorException(e.getMessage(), ExitCode.USAGE);
            }
        }

        BackfillListener listener(CommandSpec spec, boolean quiet) {
            BackfillListener progress = new ProgressPrinter(spec.commandLine().getErr(), !quiet && TasksAsJobs.terminal(spec).stderr());
            return ((TasksAsJobs) spec.root().userObject()).backfillListener(progress);
        }
    }

    /** The options of a migrating run (migrate, demo), which plan has no use for. */
    static final class RunOptions {

        @Option(names = {"-j", "--workers"}, paramLabel = "N", defaultValue = "1",
                description = "Backfill over N connections at once, each over its own range of task ids (like"
                        + " pg_restore --jobs). Up to the database server's cores speeds the backfill up about N times;"
                        + " a killed run resumes every range, with any N (default: ${DEFAULT-VALUE}).")
        int workers;

        @Mixin
        LockOptions locks;

        @Option(names = "--pause", paramLabel = "DURATION", defaultValue = "0", converter = DurationText.class,
                description = "Wait this long between two backfill batches, to leave a busy database its I/O:"
                        + " 200ms, 1s (a bare number is milliseconds; default: ${DEFAULT-VALUE}).")
        Duration pause;
    }
}
