package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migration benchmark's plumbing on a tiny run: every variant measured on the same data, and reported. */
class BenchCommandTest {

    @Test
    void measuresEveryVariantOnTheSameData(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");

        Cli.Run bench = run("bench", "--tasks", "400", "--tasks-per-job", "8", "--json-file", json.toString());

        assertEquals(ExitCode.OK, bench.exitCode(), bench.err());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        long tasks = report.get("tasks").asLong();
        assertTrue(tasks > 300 && tasks <= 400, "about the tasks asked for: " + tasks);
        List<String> variants = new ArrayList<>();
        for (JsonNode result : report.get("results")) {
            variants.add(result.get("variant").asText());
            assertTrue(result.get("seconds").asDouble() > 0, result.toString());
        }
        assertEquals(List.of("baseline", "migrate", "verify", "rerun", "migrate-workers", "migrate-deferred"), variants);
        JsonNode[] results = new JsonNode[6];
        for (int i = 0; i < results.length; i++) {
            results[i] = report.get("results").get(i);
        }
        assertEquals(tasks, results[0].get("rows").asLong(), "the yardstick writes every task");
        assertEquals(tasks, results[1].get("rows").asLong(), "migrate carries every task of a clean seed");
        assertEquals(1, results[1].get("workers").asInt());
        assertEquals(0, results[3].get("rows").asLong(), "a finished migration has nothing left");
        assertEquals(tasks, results[4].get("rows").asLong(), "two workers carry every task");
        assertEquals(2, results[4].get("workers").asInt());
        assertEquals(tasks, results[5].get("rows").asLong(), "the deferred migrate carries every task too");
        double rebuild = results[5].get("index_rebuild_seconds").asDouble();
        assertTrue(rebuild > 0 && rebuild < results[5].get("seconds").asDouble(), "the rebuild, part of the wall time: " + rebuild);
        assertTrue(!results[1].has("index_rebuild_seconds"), "only the deferred variant rebuilds");
        assertEquals(1.0, results[0].get("ratio_to_baseline").asDouble(), 1e-9);
        assertTrue(bench.out().contains("vs baseline"), bench.out());
        assertTrue(bench.out().contains("index rebuild s"), bench.out());
        assertTrue(bench.out().lines().anyMatch(l -> l.startsWith("migrate-deferred ")), bench.out());
    }

    @Test
    void runsTheVariantsAskedForAndRefusesUnknownOnes() {
        Cli.Run some = run("bench", "--tasks", "200", "--tasks-per-job", "8", "--variants", "baseline,migrate-workers", "--workers", "3");

        assertEquals(ExitCode.OK, some.exitCode(), some.err());
        assertTrue(some.out().lines().anyMatch(l -> l.matches("migrate-workers +3 .*")), some.out());
        assertTrue(some.out().lines().noneMatch(l -> l.startsWith("verify ")), some.out());
        Cli.Run unknown = run("bench", "--tasks", "200", "--variants", "baseline,fastest");
        assertEquals(ExitCode.USAGE, unknown.exitCode());
        assertTrue(unknown.err().contains("unknown bench variant 'fastest'"), unknown.err());
        Cli.Run noBaseline = run("bench", "--tasks", "200", "--variants", "migrate");
        assertEquals(ExitCode.USAGE, noBaseline.exitCode());
        assertTrue(noBaseline.err().contains("keep it"), noBaseline.err());
    }
}
