package org.arvados.tasksasjobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The gateway benchmark's figures as a table for people and as JSON for CI. Each job_tasks row carries its
 * ratio to the jobs row of the same operation (requests per second, job_tasks / jobs): what translating the
 * old API costs over serving task-like jobs directly.
 */
public final class GatewayBenchReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Machine machine;
    private final int concurrency;
    private final List<GatewayBenchmark.Figures> figures;
    private final int permissionLinks;
    private final List<GatewayBenchmark.Figures> withLinks;

    /**
     * @param figures the run without permission links (the user owns its jobs)
     * @param permissionLinks how many links the second run had
     * @param withLinks the run with them (the user reaches its jobs through the graph), or empty
     */
    public GatewayBenchReport(Machine machine, int concurrency, List<GatewayBenchmark.Figures> figures,
            int permissionLinks, List<GatewayBenchmark.Figures> withLinks) {
        this.machine = machine;
        this.concurrency = concurrency;
        this.figures = List.copyOf(figures);
        this.permissionLinks = permissionLinks;
        this.withLinks = List.copyOf(withLinks);
    }

    public void printTable(PrintWriter out) {
        out.println("Gateway on loopback, " + concurrency + " concurrent clients; " + machine.summary());
        printTable(out, "Without permission links (the user owns its jobs):", figures);
        if (!withLinks.isEmpty()) {
            printTable(out, String.format(Locale.ROOT, "With %,d permission links (the user reaches its jobs through"
                    + " a role group and nested projects):", permissionLinks), withLinks);
        }
        out.flush();
    }

    private void printTable(PrintWriter out, String heading, List<GatewayBenchmark.Figures> figures) {
        out.println(heading);
        out.println(String.format(Locale.ROOT, "%-9s %-10s %9s %10s %9s %9s %14s",
                "operation", "endpoint", "requests", "req/s", "p50 ms", "p99 ms", "vs jobs req/s"));
        for (GatewayBenchmark.Figures f : figures) {
            Double ratio = ratioToJobs(f, figures);
            out.println(String.format(Locale.ROOT, "%-9s %-10s %9d %10.1f %9.2f %9.2f %14s",
                    f.operation(), f.endpoint(), f.latencies().requests(), f.latencies().requestsPerSecond(),
                    f.latencies().percentileMillis(50), f.latencies().percentileMillis(99),
                    ratio == null ? "" : String.format(Locale.ROOT, "%.2f", ratio)));
        }
        out.flush();
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.set("machine", machine.toJson());
        root.put("concurrency", concurrency);
        results(root.putArray("results"), figures);
        if (!withLinks.isEmpty()) {
            root.put("permission_links", permissionLinks);
            results(root.putArray("results_with_permission_links"), withLinks);
        }
        return root;
    }

    private void results(ArrayNode results, List<GatewayBenchmark.Figures> figures) {
        for (GatewayBenchmark.Figures f : figures) {
            ObjectNode r = results.addObject();
            r.put("operation", f.operation());
            r.put("endpoint", f.endpoint());
            r.put("requests", f.latencies().requests());
            r.put("requests_per_second", round(f.latencies().requestsPerSecond()));
            r.put("p50_ms", round(f.latencies().percentileMillis(50)));
            r.put("p99_ms", round(f.latencies().percentileMillis(99)));
            Double ratio = ratioToJobs(f, figures);
            if (ratio != null) {
                r.put("ratio_to_jobs", round(ratio));
            }
        }
    }

    private static Double ratioToJobs(GatewayBenchmark.Figures f, List<GatewayBenchmark.Figures> figures) {
        if (!f.endpoint().equals(GatewayBenchmark.JOB_TASKS)) {
            return null;
        }
        for (GatewayBenchmark.Figures other : figures) {
            if (other.endpoint().equals(GatewayBenchmark.JOBS) && other.operation().equals(f.operation())) {
                return f.latencies().requestsPerSecond() / other.latencies().requestsPerSecond();
            }
        }
        return null;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
