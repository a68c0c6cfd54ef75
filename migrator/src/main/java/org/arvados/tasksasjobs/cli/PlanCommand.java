package org.arvados.tasksasjobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Callable;
import org.arvados.tasksasjobs.changelog.SchemaState;
import org.arvados.tasksasjobs.backfill.BackfillSettings;
import org.arvados.tasksasjobs.backfill.MigrationPlan;
import org.arvados.tasksasjobs.backfill.MigrationRefusedException;
import org.arvados.tasksasjobs.changelog.MigrationChangelog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "plan", description = {"Dry run: what migrate would do. Reads every task it would handle and maps it"
        + " exactly as migrate would; counts tasks to carry and to quarantine by reason, uuid collisions; shows the DDL;"
        + " estimates the time from a sample written into a temporary table. Changes nothing."})
final class PlanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    MigrateCommand.MigrationOptions migration;

    @Mixin
    JsonOutput json;

    @Override
    public Integer call() throws Exception {
        try (DatabaseTarget target = connection.open("tasks-as-jobs plan"); Connection c = target.connect()) {
            String why = SchemaState.read(c).whyNotArvados();
            if (why != null) {
                throw new MigrationRefusedException(why);
            }
            BackfillSettings settings = migration.settings();
            MigrationPlan.Report report = new MigrationPlan(c, settings.mapping(), settings).survey();
            List<MigrationChangelog.PlannedChangeSet> changeSets = new MigrationChangelog(c).plan(migration.phases());
            PrintWriter out = spec.commandLine().getOut();
            if (json.wanted()) {
                json.write(json(target.describe(), report, changeSets), out);
            }
            if (!json.onStdout()) {
                print(out, target.describe(), report, changeSets);
            }
            out.flush();
            return ExitCode.OK;
        }
    }

    private static void print(PrintWriter out, String target, MigrationPlan.Report r, List<MigrationChangelog.PlannedChangeSet> changeSets) {
        out.println("plan for " + target + " (nothing was changed)");
        out.printf("  jobs: %,d top-level jobs%s%n", r.jobs(), r.expanded() ? String.format(", %,d task-like jobs already", r.taskLikeJobs()) : "");
        out.printf("  job_tasks: %,d tasks%s%n", r.tasks(), r.quarantined() > 0 ? String.format(", %,d already quarantined", r.quarantined()) : "");
        out.printf("  migrate would handle %,d tasks: carry %,d as task-like jobs, quarantine %,d%n",
                r.examined(), r.toCarry(), r.toQuarantine().values().stream().mapToLong(Long::longValue).sum());
        r.toQuarantine().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> out.printf("    %s: %,d%n", e.getKey(), e.getValue()));
        out.printf("  uuid collisions (a job already has the derived uuid; a fresh one is drawn): %,d%n", r.uuidCollisions());
        if (!r.examples().isEmpty()) {
            out.println("  first tasks that would be quarantined:");
            r.examples().forEach(e -> out.printf("    job_tasks.id %d %s: %s: %s%n", e.taskId(),
                    e.taskUuid() == null ? "(NULL uuid)" : e.taskUuid(), e.reason(), e.detail()));
        }
        out.printf("  measured: read+map %,.0f rows/s, write (sample of the real indexes, temporary table) %,.0f rows/s%n",
                r.mapRowsPerSecond(), r.writeRowsPerSecond());
        out.printf("  estimated time for migrate: %s (a temporary table writes no WAL: expect the real run to be slower)%n",
                MigrationSummary.seconds(r.estimate().toMillis()));
        out.println("  changeSets:");
        for (MigrationChangelog.PlannedChangeSet cs : changeSets) {
            String state = cs.applied() && !cs.runsEveryTime() ? "applied" : cs.runsEveryTime() ? "runs every time" : "to run";
            out.println("    " + cs.id() + " (" + cs.phase().context() + "): " + state);
            if (!cs.applied() || cs.runsEveryTime()) {
                cs.sql().lines().forEach(l -> out.println("        " + l));
            }
        }
    }

    private static String json(String target, MigrationPlan.Report r, List<MigrationChangelog.PlannedChangeSet> changeSets) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("target", target);
        root.put("expanded", r.expanded());
        root.put("tasks", r.tasks());
        root.put("jobs", r.jobs());
        root.put("task_like_jobs", r.taskLikeJobs());
        root.put("already_quarantined", r.quarantined());
        root.put("to_handle", r.examined());
        root.put("to_carry", r.toCarry());
        ObjectNode q = root.putObject("to_quarantine");
        new java.util.TreeMap<>(r.toQuarantine()).forEach(q::put);
        root.put("uuid_collisions", r.uuidCollisions());
        var examples = root.putArray("examples");
        r.examples().forEach(e -> examples.addObject().put("task_id", e.taskId()).put("task_uuid", e.taskUuid())
                .put("reason", e.reason()).put("detail", e.detail()));
        root.put("map_rows_per_second", Math.round(r.mapRowsPerSecond()));
        root.put("write_rows_per_second", Math.round(r.writeRowsPerSecond()));
        root.put("estimated_seconds", r.estimate().toMillis() / 1000.0);
        var sets = root.putArray("pending_change_sets");
        changeSets.stream().filter(cs -> !cs.applied() || cs.runsEveryTime()).forEach(cs -> sets.add(cs.id()));
        return root.toString();
    }
}
