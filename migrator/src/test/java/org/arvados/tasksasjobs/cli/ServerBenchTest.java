package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench --url} against the test server: not a timing test. Every variant, on both task orders, run as a
 * process of its own, must end with the same task-like jobs as migrate (digests compared by the bench and here), and
 * the report must carry what a reader needs to trust it (server settings, both yardstick timings).
 */
@ExtendWith(FreshDatabaseExtension.class)
class ServerBenchTest {

    @Test
    void everyVariantEndsWithTheRowsMigrateWrites(TestDatabase db, @TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");

        Cli.Run bench = run("bench", "--url", db.jdbcUrl(), "--tasks", "600", "--tasks-per-job", "6", "--json-file", json.toString());

        assertEquals(ExitCode.OK, bench.exitCode(), bench.err());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        long tasks = report.get("tasks").asLong();
        assertTrue(report.get("server").get("version").asText().startsWith("PostgreSQL"), report.toString());
        for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes", "shared_buffers", "max_wal_size",
                "checkpoint_timeout", "jit", "max_parallel_maintenance_workers")) {
            assertTrue(report.get("server").hasNonNull(setting), "the report names " + setting);
        }
        assertTrue(report.get("yardstick").get("before_seconds").asDouble() > 0, report.toString());
        assertTrue(report.get("yardstick").get("after_seconds").asDouble() > 0, report.toString());
        assertFalse(report.get("command").asText().matches("(?s).*password=(?!\\*\\*\\*).*"),
                "no password in the committed command: " + report.get("command"));

        List<String> seen = new ArrayList<>();
        Map<String, String> digestByOrder = new HashMap<>();
        for (JsonNode r : report.get("results")) {
            String order = r.get("order").asText();
            String variant = r.get("variant").asText();
            seen.add(order + " " + variant);
            assertTrue(r.get("seconds").asDouble() > 0, r.toString());
            if (!r.has("rows_digest")) {
                assertEquals("verify", variant, "only verify writes no rows of its own");
                continue;
            }
            assertTrue(r.get("same_rows_as_migrate").asBoolean(), "same task-like jobs as migrate: " + r);
            String digest = r.get("rows_digest").asText();
            assertEquals(digest, digestByOrder.computeIfAbsent(order, o -> digest), r.toString());
            if (!variant.equals("rerun")) {
                assertEquals(tasks, r.get("rows").asLong(), "every task carried: " + r);
                assertTrue(r.get("peak_heap_bytes").asLong() > 0, "the child's own heap, from its GC log: " + r);
            }
        }
        assertEquals(List.of("job migrate", "job verify", "job rerun", "job migrate-workers", "job migrate-deferred",
                "task-level migrate", "task-level migrate-workers", "task-level migrate-deferred"), seen);
        assertNotEquals(digestByOrder.get("job"), digestByOrder.get("task-level"),
                "the digest sees the rows: renumbered tasks give other legacy_task_id values");
        assertTrue(bench.out().contains("yardstick:") && bench.out().contains("settings: fsync="), bench.out());
    }

    @Test
    void roundsRunEveryVariantAgainAndSumUpEachByItsMedian(TestDatabase db, @TempDir Path dir) throws Exception {
        Path json = dir.resolve("rounds.json");

        Cli.Run bench = run("bench", "--url", db.jdbcUrl(), "--tasks", "300", "--tasks-per-job", "6", "--orders", "job",
                "--rounds", "2", "--json-file", json.toString());

        assertEquals(ExitCode.OK, bench.exitCode(), bench.err());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertTrue(report.get("command").asText().endsWith("--rounds 2"), report.get("command").asText());
        assertEquals(3, report.get("yardstick").get("timings_seconds").size(), "before the first round and after each");
        Map<String, List<Double>> secondsByVariant = new HashMap<>();
        for (JsonNode r : report.get("results")) {
            if (r.has("rows_digest")) {
                assertTrue(r.get("same_rows_as_migrate").asBoolean(), "every round writes the same rows: " + r);
            }
            secondsByVariant.computeIfAbsent(r.get("variant").asText(), v -> new ArrayList<>()).add(r.get("seconds").asDouble());
            assertEquals(secondsByVariant.get(r.get("variant").asText()).size(), r.get("round").asInt(), r.toString());
        }
        assertEquals(List.of("migrate", "verify", "rerun", "migrate-workers", "migrate-deferred"),
                report.get("summary").findValuesAsText("variant"));
        for (JsonNode m : report.get("summary")) {
            List<Double> seconds = secondsByVariant.get(m.get("variant").asText());
            assertEquals(2, m.get("runs").asInt(), m.toString());
            assertEquals((seconds.get(0) + seconds.get(1)) / 2, m.get("median_seconds").asDouble(), 0.002, m.toString());
            assertEquals(Math.min(seconds.get(0), seconds.get(1)), m.get("min_seconds").asDouble(), 0.001, m.toString());
            assertEquals(Math.max(seconds.get(0), seconds.get(1)), m.get("max_seconds").asDouble(), 0.001, m.toString());
        }
        assertTrue(bench.out().contains("median of the rounds"), bench.out());
    }

    @Test
    void theChildProcessesConnectTheWayTheBenchDoes() {
        // A socket directory from PGHOST is a connection property of the bench's own target; the children are given a
        // URL, so it must be in that URL, or they would quietly connect over TCP instead.
        ConnectionOptions options = picocli.CommandLine.populateCommand(new ConnectionOptions());
        DatabaseTarget target = options.open("test", java.util.Map.of("PGHOST", "/var/run/postgresql", "PGDATABASE", "postgres",
                "PGPASSWORD", "not-in-the-url"), "dba");
        String child = BenchServer.of(target).jdbcUrl("copy");
        assertTrue(child.startsWith("jdbc:postgresql://localhost:5432/copy?"), child);
        assertTrue(child.contains("socketFactoryArg=/var/run/postgresql/.s.PGSQL.5432"), child);
        assertFalse(child.contains("not-in-the-url"), "the password goes in the environment: " + child);
        assertEquals("not-in-the-url", BenchServer.of(target).childEnvironment().get("PGPASSWORD"));
    }

    @Test
    void refusesWhatItCannotMeasure(TestDatabase db) {
        Cli.Run variants = run("bench", "--url", db.jdbcUrl(), "--variants", "baseline,migrate");
        assertEquals(ExitCode.USAGE, variants.exitCode());
        assertTrue(variants.err().contains("--variants applies to the embedded bench"), variants.err());
        Cli.Run order = run("bench", "--url", db.jdbcUrl(), "--orders", "random");
        assertEquals(ExitCode.USAGE, order.exitCode());
        assertTrue(order.err().contains("unknown task order 'random'"), order.err());
        Cli.Run rounds = run("bench", "--url", db.jdbcUrl(), "--rounds", "0");
        assertEquals(ExitCode.USAGE, rounds.exitCode());
        assertTrue(rounds.err().contains("rounds must be between 1 and 9, not 0"), rounds.err());
        Cli.Run embedded = run("bench", "--tasks", "100", "--rounds", "2");
        assertEquals(ExitCode.USAGE, embedded.exitCode());
        assertTrue(embedded.err().contains("--rounds applies to --url or --server"), embedded.err());
    }
}
