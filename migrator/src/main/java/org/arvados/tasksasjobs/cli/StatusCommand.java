package org.arvados.tasksasjobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Callable;
import org.arvados.tasksasjobs.migration.DeferredIndexes;
import org.arvados.tasksasjobs.migration.MigrationStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", description = "Show where the migration of a database stands: phases applied, the last"
        + " backfill run, how every task is accounted for, and who holds the locks. Changes nothing.")
final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    JsonOutput json;

    @Override
    public Integer call() throws Exception {
        try (DatabaseTarget target = connection.open("tasks-as-jobs status"); Connection c = target.connect()) {
            MigrationStatus status = MigrationStatus.read(c);
            List<String> deferred = status.arvados() == null ? DeferredIndexes.waiting(c) : List.of();
            PrintWriter out = spec.commandLine().getOut();
            if (json.wanted()) {
                json.write(json(target.describe(), status, deferred), out);
            }
            if (!json.onStdout()) {
                print(out, target.describe(), status, deferred);
            }
            out.flush();
            return status.arvados() == null ? ExitCode.OK : ExitCode.FAILURE;
        }
    }

    private static void print(PrintWriter out, String target, MigrationStatus s, List<String> deferred) {
        out.println("database: " + target);
        if (s.arvados() != null) {
            out.println("  " + s.arvados());
            return;
        }
        if (s.changeSets().isEmpty()) {
            out.println("  phases: none applied (not migrated)");
        } else {
            out.println("  phases: " + (s.expanded() ? "expand applied" : "expand not applied") + "; changeSets run:");
            s.changeSets().forEach(c -> out.println("    " + c.id() + "  " + c.execType() + "  " + c.executedAt()));
        }
        s.lastRun().ifPresentOrElse(r -> {
            String state = r.finished() ? "finished " + r.finishedAt()
                    : s.migratorLock().equals("nobody") ? "interrupted (last batch " + r.updatedAt() + "); migrate resumes it"
                    : "running";
            out.printf("  last backfill run %d: %,d/%,d tasks (%,d carried, %,d quarantined), %s%n",
                    r.runId(), r.done(), r.total(), r.migrated(), r.quarantined(), state);
        }, () -> out.println("  backfill: never run"));
        out.printf("  job_tasks: %,d tasks, %,d carried, %,d quarantined, %,d not yet handled%n",
                s.tasks(), s.carried(), s.quarantined(), s.neither());
        switch (s.capture()) {
            case ACTIVE -> out.printf("  online: capturing job_tasks writes; %,d changes waiting%s%n", s.changesWaiting().orElse(0),
                    s.changesWaiting().orElse(0) > 0 ? " (migrate applies them)" : "");
            case DISABLED -> out.printf("  online: installed, resting: job_tasks is the contract's view, whose writes reach the"
                    + " task-like jobs directly; %,d changes waiting%n", s.changesWaiting().orElse(0));
            case ABSENT -> out.println("  online: not installed (job_tasks writes are not captured)");
        }
        s.quarantinedBy().forEach((reason, n) -> out.printf("    quarantined %s: %,d%n", reason, n));
        if (!deferred.isEmpty()) {
            out.println("  deferred indexes waiting: " + String.join(", ", deferred)
                    + " (dropped by migrate --defer-indexes; the next migrate or rollback rebuilds them)");
        }
        out.println(s.contracted()
                ? "  contract: applied: job_tasks is a writable view over the task-like jobs; the table is job_tasks_legacy"
                        + " (kept equal to the view); rollback gives the table back"
                : "  contract: not applied (job_tasks is the table; migrate --phases contract after a passed verify)");
        out.println("  migrator lock: " + s.migratorLock());
        s.liquibaseLock().ifPresent(l -> out.println("  Liquibase changelog lock: " + l + " (a Liquibase run is in progress)"));
    }

    private static String json(String target, MigrationStatus s, List<String> deferred) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("target", target);
        root.put("arvados", s.arvados() == null);
        if (s.arvados() != null) {
            root.put("problem", s.arvados());
            return root.toString();
        }
        root.put("expanded", s.expanded());
        var sets = root.putArray("change_sets");
        s.changeSets().forEach(c -> sets.addObject().put("id", c.id()).put("exec_type", c.execType())
                .put("executed_at", String.valueOf(c.executedAt())));
        s.lastRun().ifPresent(r -> root.putObject("last_run").put("run_id", r.runId()).put("done", r.done())
                .put("total", r.total()).put("migrated", r.migrated()).put("quarantined", r.quarantined())
                .put("finished", r.finished()));
        root.put("tasks", s.tasks());
        root.put("carried", s.carried());
        root.put("quarantined", s.quarantined());
        root.put("not_yet_handled", s.neither());
        root.put("online", s.online());
        root.put("online_capture", s.capture().name().toLowerCase(java.util.Locale.ROOT));
        root.put("contracted", s.contracted());
        s.changesWaiting().ifPresent(n -> root.put("changes_waiting", n));
        var waiting = root.putArray("deferred_indexes");
        deferred.forEach(waiting::add);
        ObjectNode reasons = root.putObject("quarantined_by_reason");
        s.quarantinedBy().forEach(reasons::put);
        root.put("migrator_lock", s.migratorLock());
        s.liquibaseLock().ifPresent(l -> root.put("liquibase_lock", l));
        return root.toString();
    }
}
