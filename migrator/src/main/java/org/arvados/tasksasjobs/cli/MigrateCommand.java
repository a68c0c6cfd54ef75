package org.arvados.tasksasjobs.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Callable;
import org.arvados.tasksasjobs.backfill.BackfillListener;
import org.arvados.tasksasjobs.backfill.BackfillSettings;
import org.arvados.tasksasjobs.changelog.Phase;
import org.arvados.tasksasjobs.mapping.InheritPolicy;
import org.arvados.tasksasjobs.migration.FaultInjection;
import org.arvados.tasksasjobs.migration.Migrator;
import org.arvados.tasksasjobs.migration.ProgressPrinter;
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

    @Option(names = "--json", description = "Print a machine-readable summary on standard output.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (DatabaseTarget target = connection.open("tasks-as-jobs migrate"); Connection c = target.connect()) {
            Migrator.Outcome outcome = new Migrator(c, migration.listener(spec, json)).migrate(migration.options());
            MigrationSummary summary = new MigrationSummary(target.describe(), outcome);
            if (json) {
                spec.commandLine().getOut().println(summary.json());
            } else {
                summary.print(spec.commandLine().getOut());
            }
            return summary.complete() ? ExitCode.OK : ExitCode.FAILURE;
        }
    }

    /** The options migrate and demo share. */
    static final class MigrationOptions {

        @Option(names = "--phases", split = ",", paramLabel = "PHASE",
                description = "Phases to run, comma-separated: expand, backfill (default: ${DEFAULT-VALUE}).",
                defaultValue = "expand,backfill")
        List<String> phases;

        @Option(names = "--batch-size", paramLabel = "ROWS", defaultValue = "2000",
                description = "Tasks per transaction (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--inherit-policy", paramLabel = "FILE",
                description = "JSON file {\"script\": [\"key\", ...]} narrowing which parent script_parameters a"
                        + " script's tasks inherit (default: every key).")
        Path inheritPolicy;

        @Option(names = "--strict", description = "Fail on the first task that would be quarantined instead of quarantining it.")
        boolean strict;

        @Option(names = "--release-stale-lock",
                description = "Clear a Liquibase changelog lock left by a killed run (only when no migrator is running).")
        boolean releaseStaleLock;

        Migrator.Options options() {
            List<Phase> parsed;
            BackfillSettings settings;
            try {
                parsed = phases.stream().map(String::trim).map(Phase::fromContext).distinct().toList();
                settings = BackfillSettings.defaults().withBatchSize(batchSize).withStrict(strict)
                        .withInheritPolicy(policy());
            } catch (IllegalArgumentException e) {
                throw new MigratorException(e.getMessage(), ExitCode.USAGE);
            }
            return new Migrator.Options(parsed, settings, releaseStaleLock);
        }

        BackfillListener listener(CommandSpec spec, boolean quiet) {
            BackfillListener progress = new ProgressPrinter(spec.commandLine().getErr(), !quiet && System.console() != null);
            try {
                return FaultInjection.wrap(progress, System.getenv(FaultInjection.VARIABLE), System.out, System.in);
            } catch (IllegalArgumentException e) {
                throw new MigratorException(e.getMessage(), ExitCode.USAGE);
            }
        }

        private InheritPolicy policy() {
            if (inheritPolicy == null) {
                return InheritPolicy.ALL;
            }
            try {
                return InheritPolicy.parse(Files.readString(inheritPolicy));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --inherit-policy " + inheritPolicy + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--inherit-policy " + inheritPolicy + ": " + e.getMessage());
            }
        }
    }
}
