package org.arvados.tasksasjobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.arvados.tasksasjobs.backfill.BackfillResult;
import org.arvados.tasksasjobs.changelog.Phase;
import org.arvados.tasksasjobs.migration.Migrator;

/** What migrate tells a DBA, as text and as JSON. */
record MigrationSummary(String target, Migrator.Outcome outcome) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether every task is carried or quarantined (true when the backfill was not asked for). */
    boolean complete() {
        return outcome.complete();
    }

    void print(PrintWriter out) {
        out.println("migrated " + target + " (phases: "
                + outcome.phases().stream().map(Phase::context).collect(Collectors.joining(", ")) + ")");
        BackfillResult b = outcome.backfill();
        if (b != null) {
            BackfillResult.Totals t = b.totals();
            if (b.nothingToDo()) {
                out.println("  backfill: nothing to do, every task was already carried or quarantined; nothing changed");
            } else {
                out.printf("  backfill: %,d task-like jobs written, %,d tasks quarantined%s in %s (%,.0f rows/s)%s%n",
                        b.migrated(), b.quarantined(), reasons(b.quarantinedByReason()), seconds(b.elapsed().toMillis()),
                        b.rate(), b.resumed() ? ", resuming an interrupted run" : "");
                if (b.alreadyPresent() > 0) {
                    out.printf("  %,d tasks already had their task-like job and were left as they were%n", b.alreadyPresent());
                }
            }
            if (b.changesApplied() > 0 || b.changesWaiting() > 0) {
                out.printf("  online: %,d captured job_tasks writes applied, %,d waiting%s%n", b.changesApplied(), b.changesWaiting(),
                        b.changesWaiting() > 0 ? " (written during this run: run migrate again)" : "");
            }
            out.printf("  job_tasks: %,d tasks, %,d carried as task-like jobs, %,d quarantined%n", t.tasks(), t.carried(), t.quarantined());
            if (t.quarantined() > 0) {
                out.println("  quarantined tasks stay in job_tasks; see them with: SELECT * FROM job_tasks_quarantine");
            }
            if (t.neither() > 0) {
                out.printf("  %,d tasks arrived after the run started and are not carried yet: run migrate again%n", t.neither());
            }
            if (t.both() > 0) {
                out.printf("  %,d tasks are both carried and quarantined: the quarantine rows are stale, check them%n", t.both());
            }
        }
        if (!outcome.deferredIndexes().isEmpty()) {
            out.println("  indexes dropped for the backfill: " + String.join(", ", outcome.deferredIndexes()));
        }
        if (!outcome.keptIndexes().isEmpty()) {
            out.println("  indexes kept and maintained by the workers: " + String.join(", ", outcome.keptIndexes())
                    + " (before PostgreSQL 18 one process builds a GIN index; several workers keep it up to date sooner)");
        }
        if (!outcome.rebuiltIndexes().isEmpty()) {
            out.printf("  indexes rebuilt: %s in %s%n", String.join(", ", outcome.rebuiltIndexes()),
                    seconds(outcome.indexRebuild().toMillis()));
        }
        out.flush();
    }

    String json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("target", target);
        root.put("complete", complete());
        root.putArray("phases").addAll(outcome.phases().stream().map(p -> JSON.getNodeFactory().textNode(p.context())).toList());
        root.put("elapsed_seconds", outcome.elapsed().toMillis() / 1000.0);
        root.putArray("indexes_deferred").addAll(outcome.deferredIndexes().stream().map(JSON.getNodeFactory()::textNode).toList());
        root.putArray("indexes_kept").addAll(outcome.keptIndexes().stream().map(JSON.getNodeFactory()::textNode).toList());
        root.putArray("indexes_rebuilt").addAll(outcome.rebuiltIndexes().stream().map(JSON.getNodeFactory()::textNode).toList());
        root.put("index_rebuild_seconds", outcome.indexRebuild().toMillis() / 1000.0);
        BackfillResult b = outcome.backfill();
        if (b != null) {
            ObjectNode backfill = root.putObject("backfill");
            backfill.put("run_id", b.runId());
            backfill.put("nothing_to_do", b.nothingToDo());
            backfill.put("resumed", b.resumed());
            backfill.put("migrated", b.migrated());
            backfill.put("quarantined", b.quarantined());
            ObjectNode reasons = backfill.putObject("quarantined_by_reason");
            new TreeMap<>(b.quarantinedByReason()).forEach(reasons::put);
            backfill.put("already_present", b.alreadyPresent());
            backfill.put("changes_applied", b.changesApplied());
            backfill.put("changes_waiting", b.changesWaiting());
            backfill.put("elapsed_seconds", b.elapsed().toMillis() / 1000.0);
            backfill.put("rows_per_second", Math.round(b.rate()));
            ObjectNode totals = root.putObject("totals");
            totals.put("tasks", b.totals().tasks());
            totals.put("carried", b.totals().carried());
            totals.put("quarantined", b.totals().quarantined());
            totals.put("neither", b.totals().neither());
            totals.put("both", b.totals().both());
        }
        return root.toString();
    }

    private static String reasons(Map<String, Long> byReason) {
        if (byReason.isEmpty()) {
            return "";
        }
        return new TreeMap<>(byReason).entrySet().stream().map(e -> e.getKey() + " " + String.format("%,d", e.getValue()))
                .collect(Collectors.joining(", ", " (", ")"));
    }

    static String seconds(long millis) {
        return String.format("%.1f s", millis / 1000.0);
    }
}
