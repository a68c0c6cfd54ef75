package org.arvados.tasksasjobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The attack benchmark's figures: the authorised traffic alone and under attack (requests, errors, p50, p99), the
 * p99 ratio, and what the attack did and was answered. As a table for people, as JSON for CI.
 */
public record AttackBenchReport(Machine machine, int clients, ScriptTraffic.Result alone,
        ScriptTraffic.Result underAttack, Attackers.Counts attack) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The authorised traffic's p99 under attack over its p99 alone. */
    public double p99Ratio() {
        return underAttack.latencies().percentileMillis(99) / alone.latencies().percentileMillis(99);
    }

    public void printTable(PrintWriter out) {
        out.println("Gateway under attack, on loopback; " + machine.summary());
        out.println("Authorised traffic: " + clients + " script-like clients, each creating, reading, listing and"
                + " updating tasks in a loop");
        out.println(String.format(Locale.ROOT, "%-13s %9s %7s %9s %9s", "run", "requests", "errors", "p50 ms",
                "p99 ms"));
        row(out, "alone", alone);
        row(out, "under attack", underAttack);
        out.println(String.format(Locale.ROOT, "p99 under attack / alone: %.2f", p99Ratio()));
        out.println(String.format(Locale.ROOT, "Attack meanwhile: %d slow-loris connections (cut %d times and"
                + " reopened), %d oversized bodies (%d read whole), %d pathological queries; answers: %s;"
                + " %d answered 5xx", attack.slowLorisConnections(), attack.slowLorisCut(), attack.oversizedSent(),
                attack.oversizedReadWhole(), attack.pathologicalSent(), answers(attack.statuses()),
                attack.serverErrors()));
        if (underAttack.firstError() != null || alone.firstError() != null) {
            out.println("First error: " + (alone.firstError() != null ? alone.firstError() : underAttack.firstError()));
        }
        out.flush();
    }

    private static void row(PrintWriter out, String name, ScriptTraffic.Result result) {
        out.println(String.format(Locale.ROOT, "%-13s %9d %7d %9.2f %9.2f", name, result.latencies().requests(),
                result.errors(), result.latencies().percentileMillis(50), result.latencies().percentileMillis(99)));
    }

    private static String answers(Map<Integer, Long> statuses) {
        return statuses.entrySet().stream()
                .map(e -> (e.getKey() == 0 ? "closed before an answer" : Integer.toString(e.getKey())) + " x"
                        + e.getValue())
                .collect(Collectors.joining(", "));
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.set("machine", machine.toJson());
        root.put("clients", clients);
        root.set("alone", json(alone));
        root.set("under_attack", json(underAttack));
        root.put("p99_ratio", round(p99Ratio()));
        ObjectNode a = root.putObject("attack");
        a.put("slow_loris_connections", attack.slowLorisConnections());
        a.put("slow_loris_cut", attack.slowLorisCut());
        a.put("oversized_bodies", attack.oversizedSent());
        a.put("oversized_read_whole", attack.oversizedReadWhole());
        a.put("pathological_queries", attack.pathologicalSent());
        ObjectNode statuses = a.putObject("statuses");
        attack.statuses().forEach((status, count) -> statuses.put(status == 0 ? "closed" : status.toString(), count));
        a.put("server_errors", attack.serverErrors());
        return root;
    }

    private static ObjectNode json(ScriptTraffic.Result result) {
        ObjectNode r = JSON.createObjectNode();
        r.put("requests", result.latencies().requests());
        r.put("errors", result.errors());
        r.put("p50_ms", round(result.latencies().percentileMillis(50)));
        r.put("p99_ms", round(result.latencies().percentileMillis(99)));
        return r;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
