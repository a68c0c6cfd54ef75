package org.arvados.tasksasjobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@link ServerBench}'s figures: a table for people, JSON to commit (docs/bench). Ratios are to the mean of the
 * yardstick's timings; "same rows" compares each run's task-like jobs with the first single-worker migrate of its
 * order. With several rounds each variant is summed up by its median run, its fastest and its slowest beside it.
 */
public final class ServerBenchReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double MIB = 1024.0 * 1024;

    private final Machine machine;
    private final String command;
    private final ServerBench.Outcome outcome;

    /** @param command the command line that produced the figures, as a user would type it (no password) */
    public ServerBenchReport(Machine machine, String command, ServerBench.Outcome outcome) {
        this.machine = Objects.requireNonNull(machine, "machine");
        this.command = Objects.requireNonNull(command, "command");
        this.outcome = Objects.requireNonNull(outcome, "outcome");
    }

    /** One variant on one order over every round: its median, fastest and slowest wall time. */
    public record Summary(ServerBench.Order order, String variant, int workers, int runs, double medianSeconds,
                          double minSeconds, double maxSeconds) {
    }

    /** Every variant's summary, in the order the variants first ran. */
    public List<Summary> summaries() {
        Map<String, List<ServerBench.Run>> byVariant = new LinkedHashMap<>();
        for (ServerBench.Run r : outcome.runs()) {
            byVariant.computeIfAbsent(r.order().label() + " " + r.variant(), k -> new ArrayList<>()).add(r);
        }
        List<Summary> summaries = new ArrayList<>();
        for (List<ServerBench.Run> runs : byVariant.values()) {
            double[] seconds = runs.stream().mapToDouble(ServerBench.Run::seconds).sorted().toArray();
            int n = seconds.length;
            double median = n % 2 == 1 ? seconds[n / 2] : (seconds[n / 2 - 1] + seconds[n / 2]) / 2;
            ServerBench.Run first = runs.get(0);
            summaries.add(new Summary(first.order(), first.variant(), first.workers(), n, median, seconds[0], seconds[n - 1]));
        }
        return summaries;
    }

    /** Whether every migrate variant wrote the same task-like jobs as the single-worker migrate of its task order. */
    public boolean sameRowsEverywhere() {
        return outcome.runs().stream().allMatch(r -> sameRows(r) != Boolean.FALSE);
    }

    public void printTable(PrintWriter out) {
        ServerBench.Yardstick y = outcome.yardstick();
        out.printf(Locale.ROOT, "%,d tasks; %s%n", outcome.tasks(), machine.summary());
        out.println(outcome.settings().get("version"));
        StringBuilder settings = new StringBuilder("settings:");
        for (Map.Entry<String, String> s : outcome.settings().entrySet()) {
            if (!s.getKey().equals("version")) {
                settings.append(' ').append(s.getKey()).append('=').append(s.getValue());
            }
        }
        out.println(settings);
        out.println("command line JVM: " + String.join(" ", CommandLineProcess.LAUNCHER_OPTIONS) + " (the launcher's)");
        out.printf(Locale.ROOT, "yardstick: %.1f s before, %.1f s after the variants%s; mean %.1f s, spread %.0f%%%n",
                y.before(), y.after(), y.seconds().size() > 2 ? " (" + y.seconds().size() + " timings: "
                        + String.join(", ", y.seconds().stream().map(t -> String.format(Locale.ROOT, "%.1f", t)).toList()) + ")" : "",
                y.mean(), 100 * y.spread());
        boolean rounds = outcome.runs().stream().anyMatch(r -> r.round() > 1);
        out.println(String.format(Locale.ROOT, "%-10s %-16s %5s %7s %8s %13s %11s %12s %12s %15s %9s",
                "order", "variant", "round", "workers", "wall s", "vs yardstick", "rows", "peak heap MB", "live heap MB",
                "index rebuild s", "same rows"));
        for (ServerBench.Run r : outcome.runs()) {
            Boolean same = sameRows(r);
            out.println(String.format(Locale.ROOT, "%-10s %-16s %5d %7d %8.1f %13.2f %,11d %12s %12s %15s %9s",
                    r.order().label(), r.variant(), r.round(), r.workers(), r.seconds(), r.seconds() / y.mean(), r.rows(),
                    r.peakHeapBytes() == 0 ? "" : String.format(Locale.ROOT, "%.0f", r.peakHeapBytes() / MIB),
                    r.liveHeapBytes() == 0 ? "" : String.format(Locale.ROOT, "%.0f", r.liveHeapBytes() / MIB),
                    Double.isNaN(r.indexRebuildSeconds()) ? "" : String.format(Locale.ROOT, "%.1f", r.indexRebuildSeconds()),
                    same == null ? "" : same ? "yes" : "NO"));
        }
        if (rounds) {
            out.println("median of the rounds (fastest - slowest):");
            out.println(String.format(Locale.ROOT, "%-10s %-16s %4s %8s %13s %17s", "order", "variant", "runs", "median s",
                    "vs yardstick", "range s"));
            for (Summary m : summaries()) {
                out.println(String.format(Locale.ROOT, "%-10s %-16s %4d %8.1f %13.2f %17s", m.order().label(), m.variant(),
                        m.runs(), m.medianSeconds(), m.medianSeconds() / y.mean(),
                        String.format(Locale.ROOT, "%.1f - %.1f", m.minSeconds(), m.maxSeconds())));
            }
        }
        out.flush();
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("command", command);
        root.set("machine", machine.toJson());
        ObjectNode settings = root.putObject("server");
        outcome.settings().forEach(settings::put);
        root.put("command_line_jvm_options", String.join(" ", CommandLineProcess.LAUNCHER_OPTIONS));
        root.put("tasks", outcome.tasks());
        ServerBench.Yardstick y = outcome.yardstick();
        ObjectNode yardstick = root.putObject("yardstick");
        yardstick.put("before_seconds", round(y.before()));
        yardstick.put("after_seconds", round(y.after()));
        yardstick.put("mean_seconds", round(y.mean()));
        yardstick.put("spread", round(y.spread()));
        ArrayNode timings = yardstick.putArray("timings_seconds");
        y.seconds().forEach(t -> timings.add(round(t)));
        ArrayNode summary = root.putArray("summary");
        for (Summary m : summaries()) {
            ObjectNode o = summary.addObject();
            o.put("order", m.order().label());
            o.put("variant", m.variant());
            o.put("workers", m.workers());
            o.put("runs", m.runs());
            o.put("median_seconds", round(m.medianSeconds()));
            o.put("min_seconds", round(m.minSeconds()));
            o.put("max_seconds", round(m.maxSeconds()));
            o.put("ratio_to_yardstick", round(m.medianSeconds() / y.mean()));
        }
        ArrayNode results = root.putArray("results");
        for (ServerBench.Run r : outcome.runs()) {
            ObjectNode o = results.addObject();
            o.put("order", r.order().label());
            o.put("variant", r.variant());
            o.put("round", r.round());
            o.put("workers", r.workers());
            o.put("seconds", round(r.seconds()));
            o.put("ratio_to_yardstick", round(r.seconds() / y.mean()));
            o.put("rows", r.rows());
            if (!Double.isNaN(r.indexRebuildSeconds())) {
                o.put("index_rebuild_seconds", round(r.indexRebuildSeconds()));
            }
            if (r.peakHeapBytes() > 0) {
                o.put("peak_heap_bytes", r.peakHeapBytes());
                o.put("live_heap_bytes", r.liveHeapBytes());
            }
            if (r.rowsDigest() != null) {
                o.put("rows_digest", r.rowsDigest());
                o.put("same_rows_as_migrate", sameRows(r));
            }
        }
        return root;
    }

    /** null for a run that writes no rows of its own (verify). */
    private Boolean sameRows(ServerBench.Run r) {
        if (r.rowsDigest() == null) {
            return null;
        }
        return outcome.runs().stream()
                .filter(m -> m.variant().equals("migrate") && m.order() == r.order() && m.round() == 1)
                .findFirst().map(m -> m.rowsDigest().equals(r.rowsDigest())).orElse(null);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
