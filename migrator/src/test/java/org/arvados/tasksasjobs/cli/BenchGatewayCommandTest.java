package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's plumbing on a tiny run: every operation on both endpoints measured and reported. */
@ExtendWith(FreshDatabaseExtension.class)
class BenchGatewayCommandTest {

    @Test
    void measuresEveryOperationOnBothEndpoints(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("gateway.json");

        Cli.Run bench = run("bench-gateway", "--seed-jobs", "10", "--requests", "12", "--warmup", "0",
                "--concurrency", "2", "--threads", "2", "--permission-links", "200", "--json-file", json.toString());

        assertEquals(ExitCode.OK, bench.exitCode(), bench.err());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertTrue(report.at("/machine/cores").asInt() > 0);
        assertTrue(report.at("/machine/postgres").asText().matches("\\d+.*"), report.toString());
        Set<String> measured = new HashSet<>();
        for (JsonNode result : report.get("results")) {
            measured.add(result.get("operation").asText() + " " + result.get("endpoint").asText());
            assertEquals(12, result.get("requests").asInt());
            assertTrue(result.get("requests_per_second").asDouble() > 0);
            assertTrue(result.get("p99_ms").asDouble() >= result.get("p50_ms").asDouble());
            assertEquals(result.get("endpoint").asText().equals("job_tasks"), result.has("ratio_to_jobs"));
        }
        assertEquals(Set.of("create job_tasks", "create jobs", "get job_tasks", "get jobs", "update job_tasks",
                "update jobs"), measured);
        assertTrue(bench.out().contains("p99 ms"), bench.out());
        // Measured again with the permission graph in the way: the same operations, every request answered.
        assertEquals(200, report.get("permission_links").asInt());
        Set<String> again = new HashSet<>();
        for (JsonNode result : report.get("results_with_permission_links")) {
            again.add(result.get("operation").asText() + " " + result.get("endpoint").asText());
            assertEquals(12, result.get("requests").asInt());
        }
        assertEquals(measured, again);
        assertTrue(bench.out().contains("With 200 permission links"), bench.out());
    }

    @Test
    void measuresOnTheServerGivenByUrlAndRefusesOneThatHoldsJobs(TestDatabase db) throws Exception {
        Cli.Run bench = run("bench-gateway", "--url", db.jdbcUrl(), "--seed-jobs", "5", "--requests", "4",
                "--warmup", "0", "--concurrency", "1", "--threads", "2", "--permission-links", "0");
        assertEquals(ExitCode.OK, bench.exitCode(), bench.err());
        assertTrue(bench.out().contains("p99 ms") && !bench.out().contains("With "), bench.out());
        assertTrue(bench.err().contains("connecting to the database"), bench.err());

        Cli.Run again = run("bench-gateway", "--url", db.jdbcUrl(), "--seed-jobs", "5", "--requests", "4");
        assertEquals(ExitCode.USAGE, again.exitCode(), again.err());
        assertTrue(again.err().contains("empty database"), again.err());
    }

    /**
     * The bounded load test of docs/operations.md "Under attack": script-like traffic keeps being answered, with no
     * error and a p99 within a few times its own, while slow-loris connections, oversized bodies and pathological
     * queries hit the same gateway; the attack gets only 4xx answers. Slow-loris connections that held request
     * threads would stall the traffic for the 10 s head deadline, far past the bound.
     */
    @Test
    void scriptTrafficIsAnsweredWhileTheGatewayIsAttacked(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("attack.json");

        Cli.Run bench = run("bench-gateway", "--attack", "--seed-jobs", "50", "--requests", "2000", "--warmup", "400",
                "--json-file", json.toString());

        assertEquals(ExitCode.OK, bench.exitCode(), bench.err());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals(0, report.at("/alone/errors").asInt(), bench.out());
        assertEquals(0, report.at("/under_attack/errors").asInt(), bench.out());
        assertEquals(2000, report.at("/under_attack/requests").asInt());
        assertEquals(200, report.at("/attack/slow_loris_connections").asInt());
        assertTrue(report.at("/attack/oversized_bodies").asInt() > 0, bench.out());
        assertEquals(0, report.at("/attack/oversized_read_whole").asInt(), bench.out());
        assertTrue(report.at("/attack/pathological_queries").asInt() > 0, bench.out());
        assertTrue(report.at("/attack/statuses/413").asInt() > 0, bench.out());
        assertEquals(0, report.at("/attack/server_errors").asInt(), bench.out());
        assertTrue(report.get("p99_ratio").asDouble() < 10, bench.out());
        assertTrue(bench.out().contains("under attack"), bench.out());
    }
}
