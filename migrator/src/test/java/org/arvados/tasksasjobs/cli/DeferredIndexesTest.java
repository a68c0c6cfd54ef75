package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.arvados.tasksasjobs.verification.CheckResult;
import org.arvados.tasksasjobs.verification.RoundTripCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** migrate --defer-indexes: the search and trigram indexes dropped for the backfill, and always rebuilt as they were. */
@ExtendWith(FreshDatabaseExtension.class)
class DeferredIndexesTest {

    private static final List<String> DEFERRED = List.of("jobs_search_index", "jobs_trgm_text_search_idx");

    @Test
    void deferredMigrateRebuildsTheIndexesWithIdenticalDefinitions(TestDatabase db) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "80", "--tasks-per-job", "10", "--dirty").exitCode());
        List<String> before = definitions(db);
        assertEquals(2, before.size(), before.toString());

        Cli.Run migrate = run("migrate", "--url", db.jdbcUrl(), "--defer-indexes", "--maintenance-work-mem", "64MB",
                "--batch-size", "200", "--json");

        assertEquals(ExitCode.OK, migrate.exitCode(), migrate.err());
        JsonNode summary = new ObjectMapper().readTree(migrate.out());
        assertTrue(summary.get("complete").asBoolean());
        assertEquals(DEFERRED, texts(summary.get("indexes_deferred")));
        assertEquals(DEFERRED, texts(summary.get("indexes_rebuilt")));
        assertTrue(summary.get("index_rebuild_seconds").asDouble() > 0, summary.toString());
        assertEquals(before, definitions(db));
        assertEquals(0, Sql.count(db, "SELECT count(*) FROM pg_class WHERE relname = 'tasks_as_jobs_deferred_index'"),
                "nothing left waiting, no table left behind");
        CheckResult roundTrip;
        try (Connection c = db.connect()) {
            roundTrip = new RoundTripCheck(c).run();
        }
        assertTrue(roundTrip.passed(), roundTrip.firstDifferences().toString());

        Cli.Run again = run("migrate", "--url", db.jdbcUrl(), "--defer-indexes");
        assertEquals(ExitCode.OK, again.exitCode(), again.err());
        assertTrue(again.out().contains("indexes rebuilt"), again.out());
        assertEquals(before, definitions(db));
    }

    @Test
    void withTwoWorkersBeforePostgres18TheTrigramIndexStaysAndIsMaintained(TestDatabase db) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "80", "--tasks-per-job", "10", "--dirty").exitCode());
        List<String> before = definitions(db);
        int major;
        try (Connection c = db.connect()) {
            major = c.getMetaData().getDatabaseMajorVersion();
        }
        String trigramOid = Sql.column(db, "SELECT 'jobs_trgm_text_search_idx'::regclass::oid::text").get(0);

        Cli.Run migrate = run("migrate", "--url", db.jdbcUrl(), "--defer-indexes", "--workers", "2", "--batch-size", "200", "--json");

        assertEquals(ExitCode.OK, migrate.exitCode(), migrate.err());
        JsonNode summary = new ObjectMapper().readTree(migrate.out());
        if (major < 18) {
            assertEquals(List.of("jobs_search_index"), texts(summary.get("indexes_deferred")));
            assertEquals(List.of("jobs_trgm_text_search_idx"), texts(summary.get("indexes_kept")));
            assertEquals(List.of("jobs_search_index"), texts(summary.get("indexes_rebuilt")));
            assertEquals(trigramOid, Sql.column(db, "SELECT 'jobs_trgm_text_search_idx'::regclass::oid::text").get(0),
                    "the same index, never dropped");
        } else {
            assertEquals(DEFERRED, texts(summary.get("indexes_deferred")));
        }
        assertEquals(before, definitions(db));
        assertTrue(summary.get("complete").asBoolean(), "every task carried or quarantined");
    }

    @Test
    void plainMigrateTellsTheRebuildTimeAsZeroAndTouchesNoIndex(TestDatabase db) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "10", "--tasks-per-job", "4").exitCode());
        List<String> before = definitions(db);

        Cli.Run migrate = run("migrate", "--url", db.jdbcUrl(), "--json");

        assertEquals(ExitCode.OK, migrate.exitCode(), migrate.err());
        JsonNode summary = new ObjectMapper().readTree(migrate.out());
        assertEquals(List.of(), texts(summary.get("indexes_rebuilt")));
        assertEquals(0.0, summary.get("index_rebuild_seconds").asDouble());
        assertEquals(before, definitions(db));
    }

    @Test
    void badMaintenanceWorkMemIsAUsageError(TestDatabase db) throws Exception {
        Cli.Run bad = run("migrate", "--url", db.jdbcUrl(), "--defer-indexes", "--maintenance-work-mem", "lots");
        assertEquals(ExitCode.USAGE, bad.exitCode());
        assertTrue(bad.err().contains("'lots'"), bad.err());
        Cli.Run alone = run("migrate", "--url", db.jdbcUrl(), "--maintenance-work-mem", "1GB");
        assertEquals(ExitCode.USAGE, alone.exitCode());
        assertTrue(alone.err().contains("--defer-indexes"), alone.err());
    }

    @Test
    void runKilledBetweenDropAndRebuildIsRepairedByAPlainMigrate(TestDatabase db) throws Exception {
        List<String> before = seedAndKillDeferredMigrate(db);

        Cli.Run status = run("status", "--url", db.jdbcUrl());
        assertTrue(status.out().contains("deferred indexes waiting: jobs_search_index, jobs_trgm_text_search_idx"), status.out());

        Cli.Run resumed = run("migrate", "--url", db.jdbcUrl());

        assertEquals(ExitCode.OK, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("resuming an interrupted run"), resumed.out());
        assertTrue(resumed.out().contains("indexes rebuilt: jobs_search_index, jobs_trgm_text_search_idx"), resumed.out());
        assertEquals(before, definitions(db));
        assertEquals(0, Sql.count(db, "SELECT count(*) FROM pg_class WHERE relname = 'tasks_as_jobs_deferred_index'"));
        assertEquals(0, Sql.count(db, "SELECT count(*) FROM job_tasks t WHERE NOT EXISTS (SELECT 1 FROM jobs j"
                + " WHERE j.legacy_task_uuid = t.uuid)"));
        assertTrue(!run("status", "--url", db.jdbcUrl()).out().contains("deferred indexes waiting"));
    }

    @Test
    void rollbackAfterAKilledDeferredRunRestoresTheIndexes(TestDatabase db) throws Exception {
        List<String> before = seedAndKillDeferredMigrate(db);

        Cli.Run rollback = run("rollback", "--url", db.jdbcUrl());

        assertEquals(ExitCode.OK, rollback.exitCode(), rollback.err());
        assertEquals(before, definitions(db));
        assertEquals(0, Sql.count(db, "SELECT count(*) FROM pg_class WHERE relname = 'tasks_as_jobs_deferred_index'"));
        assertEquals(0, Sql.count(db, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'jobs'"
                + " AND column_name = 'legacy_task_uuid'"));
    }

    /** Seeds, then kills a deferred migrate after its third batch; returns the indexes' definitions from before. */
    private static List<String> seedAndKillDeferredMigrate(TestDatabase db) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "100", "--tasks-per-job", "20").exitCode());
        List<String> before = definitions(db);
        Cli.Run killed;
        try (ChildMigrator child = ChildMigrator.start(Map.of(FaultInjection.VARIABLE, "halt-after-batch:3"), List.of(),
                "migrate", "--url", db.jdbcUrl(), "--batch-size", "250", "--defer-indexes")) {
            killed = child.finish();
        }
        assertEquals(137, killed.exitCode(), killed.out());
        assertEquals(List.of(), definitions(db), "dropped before the backfill");
        assertEquals(before, Sql.column(db, "SELECT definition FROM tasks_as_jobs_deferred_index ORDER BY name"),
                "every definition kept");
        return before;
    }

    private static List<String> definitions(TestDatabase db) throws Exception {
        return Sql.column(db, "SELECT pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
                + " WHERE x.indrelid = 'jobs'::regclass AND i.relname IN ('jobs_search_index', 'jobs_trgm_text_search_idx')"
                + " ORDER BY i.relname");
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
