package org.arvados.tasksasjobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.arvados.tasksasjobs.backfill.MigrationRefusedException;
import org.arvados.tasksasjobs.changelog.SchemaState;
import org.arvados.tasksasjobs.reuse.SavingsReplay;
import org.arvados.tasksasjobs.reuse.SavingsReport;
import org.arvados.tasksasjobs.savings.SavingsHtml;
import org.arvados.tasksasjobs.savings.TaskRuns;
import org.arvados.tasksasjobs.yaml.SnakeYamlDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code savings}: what task reuse would have saved, replayed from the database's history (docs/operations.md,
 * "What reuse would have saved"). Works before the migration (on job_tasks) and after it (on task-like jobs), with
 * the same result; reads in one read-only transaction and changes nothing.
 */
@Command(name = "savings", sortOptions = false,
        description = {"What task reuse would have saved: replays every task in creation order with the reuse rules"
                + " and reports the tasks (and task-hours) whose identical twin had already finished successfully,"
                + " from another job or within the same job, by script and by month. Works before and after the"
                + " migration, with the same figures. Changes nothing."})
final class SavingsCommand implements Callable<Integer> {

    private static final int TOP_SCRIPTS = 10;

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--impure", paramLabel = "FILE",
            description = "scripts that must never be reused (one name a line, # comments): reported apart, never"
                    + " counted as savings")
    Path impure;

    @Option(names = "--since", paramLabel = "DATE", description = "count tasks created on or after DATE (YYYY-MM-DD,"
            + " UTC); twins are looked for in the whole history")
    LocalDate since;

    @Option(names = "--until", paramLabel = "DATE", description = "count tasks created before DATE (YYYY-MM-DD, UTC)")
    LocalDate until;

    @Option(names = "--inherit-policy", paramLabel = "FILE",
            description = "before the migration: the inherit policy it will use (default: every parent key is"
                    + " inherited); after it, the task-like jobs carry the policy it used")
    Path inheritPolicy;

    @Mixin
    JsonOutput json;

    @Option(names = "--html", paramLabel = "FILE", description = "also write the report as one self-contained HTML"
            + " file with charts, which opens offline")
    Path html;

    @Override
    public Integer call() throws Exception {
        if (since != null && until != null && !since.isBefore(until)) {
            throw MigratorException.usage("--since must be before --until");
        }
        Set<String> impureScripts = impureScripts();
        var policy = InheritPolicyFile.read(inheritPolicy);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (DatabaseTarget target = connection.open("tasks-as-jobs savings"); Connection c = target.connect()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            SchemaState schema = SchemaState.read(c);
            String why = schema.whyNotArvados();
            if (why != null) {
                throw new MigrationRefusedException("savings: " + why);
            }
            SavingsReplay replay = new SavingsReplay(impureScripts, start(since), start(until));
            TaskRuns runs = new TaskRuns(c, new SnakeYamlDecoder(), policy);
            boolean taskLike = schema.expanded() && schema.backfilled();
            Progress progress = new Progress(err, runs.count(taskLike), TasksAsJobs.terminal(spec).stderr());
            if (taskLike && inheritPolicy != null) {
                throw MigratorException.usage("--inherit-policy is for a database not migrated yet: here the task-like"
                        + " jobs carry the parameters the migration's policy gave them");
            }
            err.println("savings: replaying " + (taskLike ? "the task-like jobs" : "job_tasks") + " of "
                    + target.describe() + " in creation order...");
            err.flush();
            TaskRuns.Counts counts = taskLike ? runs.replayTaskLikeJobs(replay, progress::read)
                    : runs.replayTasks(replay, schema.expanded(), progress::read);
            c.rollback();
            SavingsReport report = replay.finish();
            progress.done(counts);
            print(json.textStream(out, err), report);
            if (json.wanted()) {
                json.write(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report.toJson()), out);
            }
            if (html != null) {
                Files.writeString(html, SavingsHtml.of(report, "Replayed from " + target.describe() + " on "
                        + java.time.LocalDate.now(java.time.ZoneOffset.UTC) + (since == null ? "" : ", tasks from " + since)
                        + (until == null ? "" : ", tasks before " + until) + "."));
            }
            return ExitCode.OK;
        }
    }

    private Set<String> impureScripts() {
        if (impure == null) {
            return Set.of();
        }
        try {
            Set<String> scripts = new LinkedHashSet<>();
            for (String line : Files.readAllLines(impure)) {
                String name = line.strip();
                if (!name.isEmpty() && !name.startsWith("#")) {
                    scripts.add(name);
                }
            }
            return scripts;
        } catch (NoSuchFileException e) {
            throw MigratorException.usage("--impure " + impure + ": no such file");
        } catch (IOException e) {
            throw MigratorException.usage("cannot read --impure " + impure + ": " + e.getMessage());
        }
    }

    private static LocalDateTime start(LocalDate date) {
        return date == null ? null : date.atStartOfDay();
    }

    static void print(PrintWriter out, SavingsReport report) {
        out.printf(Locale.ROOT, "%-28s %12s %12s%n", "", "tasks", "task-hours");
        line(out, "all tasks", report.all());
        line(out, "reusable", report.reusable());
        line(out, "  from other jobs", report.fromOtherJobs());
        line(out, "  within the same job", report.withinJob());
        line(out, "impure (never reused)", report.impure());
        if (report.all().tasks() > 0) {
            out.printf(Locale.ROOT, "reuse would have saved %.1f %% of the task-hours%n",
                    100.0 * report.reusable().micros() / Math.max(1, report.all().micros()));
        }
        out.println();
        out.printf(Locale.ROOT, "%-28s %12s %12s %12s %14s%n", "top scripts", "tasks", "task-hours", "reusable",
                "reusable hours");
        report.byScript().stream().limit(TOP_SCRIPTS).forEach(row -> out.printf(Locale.ROOT,
                "%-28s %,12d %,12.2f %,12d %,14.2f%n", row.name(), row.all().tasks(), row.all().hours(),
                row.reusable().tasks(), row.reusable().hours()));
        out.flush();
    }

    private static void line(PrintWriter out, String name, SavingsReport.Figure figure) {
        out.printf(Locale.ROOT, "%-28s %,12d %,12.2f%n", name, figure.tasks(), figure.hours());
    }

    /**
     * Tasks replayed so far on stderr: a bar redrawn in place on a terminal (as migrate draws its own), a line every
     * five seconds otherwise; a replay of millions of tasks takes a while.
     */
    private static final class Progress {
        private static final int WIDTH = 30;
        private final PrintWriter err;
        private final long total;
        private final boolean terminal;
        private final long interval;
        private long last = System.nanoTime();

        Progress(PrintWriter err, long total, boolean terminal) {
            this.err = err;
            this.total = total;
            this.terminal = terminal;
            this.interval = terminal ? 200_000_000L : 5_000_000_000L;
        }

        void read(long tasks) {
            long now = System.nanoTime();
            if (now - last < interval) {
                return;
            }
            last = now;
            if (terminal && total > 0) {
                int filled = (int) Math.min(WIDTH, WIDTH * tasks / total);
                err.printf(Locale.ROOT, "\rsavings [%s%s] %3d %% %,d of %,d tasks", "#".repeat(filled),
                        ".".repeat(WIDTH - filled), Math.min(100, 100 * tasks / total), tasks, total);
            } else {
                err.printf(Locale.ROOT, "savings: %,d of %,d tasks replayed%n", tasks, total);
            }
            err.flush();
        }

        void done(TaskRuns.Counts counts) {
            if (terminal) {
                err.print("\r" + " ".repeat(WIDTH + 60) + "\r");
            }
            err.printf(Locale.ROOT, "savings: %,d tasks replayed%s%n", counts.replayed(), counts.skipped() == 0 ? ""
                    : String.format(Locale.ROOT, "; %,d job_tasks rows left out, as the migration would quarantine"
                    + " them (plan lists them)", counts.skipped()));
            err.flush();
        }
    }
}
