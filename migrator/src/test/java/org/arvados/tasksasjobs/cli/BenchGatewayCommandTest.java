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
                "--concurrency", "2", "--threads", "2", "--permission-links", "200", "--json", json.toString());

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
}
