package org.arvados.tasksasjobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** The migration benchmark's figures: a table for people, JSON for CI; ratios are to the baseline's wall time. */
public final class MigrationBenchReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Machine machine;
    private final long tasks;
    private final List<MigrationBench.Figures> figures;

    public MigrationBenchReport(Machine machine, long tasks, List<MigrationBench.Figures> figures) {
        this.machine = machine;
        this.tasks = tasks;
        this.figures = List.copyOf(figures);
    }

    public void printTable(PrintWriter out) {
        out.printf(Locale.ROOT, "%,d tasks; %s%n", tasks, machine.summary());
        out.println(String.format(Locale.ROOT, "%-16s %7s %8s %11s %10s %11s %12s %12s %14s %15s",
                "variant", "workers", "wall s", "rows", "rows/s", "vs baseline", "peak heap MB", "live heap MB", "postgres CPU s",
                "index rebuild s"));
        for (MigrationBench.Figures f : figures) {
            out.println(String.format(Locale.ROOT, "%-16s %7d %8.1f %,11d %10s %11s %12.0f %12s %14s %15s",
                    f.variant(), f.workers(), f.seconds(), f.rows(),
                    Double.isNaN(f.rowsPerSecond()) || f.rows() == 0 ? "" : String.format(Locale.ROOT, "%,.0f", f.rowsPerSecond()),
                    String.format(Locale.ROOT, "%.2f", f.seconds() / baselineSeconds()),
                    f.peakHeapBytes() / (1024.0 * 1024),
                    f.liveHeapBytes() == 0 ? "" : String.format(Locale.ROOT, "%.0f", f.liveHeapBytes() / (1024.0 * 1024)),
                    Double.isNaN(f.postgresCpuSeconds()) ? "n/a"
                            : String.format(Locale.ROOT, "%.1f", f.postgresCpuSeconds()),
                    Double.isNaN(f.indexRebuildSeconds()) ? "" : String.format(Locale.ROOT, "%.1f", f.indexRebuildSeconds())));
        }
        out.flush();
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.set("machine", machine.toJson());
        root.put("tasks", tasks);
        ArrayNode results = root.putArray("results");
        for (MigrationBench.Figures f : figures) {
            ObjectNode r = results.addObject();
            r.put("variant", f.variant());
            r.put("workers", f.workers());
            r.put("seconds", round(f.seconds()));
            r.put("rows", f.rows());
            if (f.rows() > 0) {
                r.put("rows_per_second", round(f.rowsPerSecond()));
            }
            r.put("ratio_to_baseline", round(f.seconds() / baselineSeconds()));
            r.put("peak_heap_bytes", f.peakHeapBytes());
            if (f.liveHeapBytes() > 0) {
                r.put("live_heap_bytes", f.liveHeapBytes());
            }
            if (!Double.isNaN(f.postgresCpuSeconds())) {
                r.put("postgres_cpu_seconds", round(f.postgresCpuSeconds()));
            }
            if (!Double.isNaN(f.indexRebuildSeconds())) {
                r.put("index_rebuild_seconds", round(f.indexRebuildSeconds()));
            }
        }
        return root;
    }

    private double baselineSeconds() {
        return figures.stream().filter(f -> f.variant().equals("baseline")).findFirst()
                .map(MigrationBench.Figures::seconds).orElse(Double.NaN);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
