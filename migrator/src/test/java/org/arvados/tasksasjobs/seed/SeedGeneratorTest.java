package org.arvados.tasksasjobs.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.changelog.BaselineSchema;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.PostgresServer;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

@ExtendWith(SeedGeneratorTest.BaselineDatabases.class)
class SeedGeneratorTest {

    /** Fresh databases that already hold the empty Arvados baseline schema. */
    static final class BaselineDatabases extends FreshDatabaseExtension {
        @Override
        protected String template(PostgresServer server) {
            return server.template("arvados-baseline", db -> {
                try (Connection c = db.connect()) {
                    BaselineSchema.apply(c);
                }
            });
        }
    }

    /** A query per kind of dirt that finds exactly the planted rows. */
    private static final Map<String, String> DIRT = dirtQueries();

    @Test
    void sameSpecGivesByteIdenticalDatabases(TestDatabase first, TestDatabase second, TestDatabase other) throws Exception {
        SeedSpec spec = new SeedSpec(120, 8, 42, true);
        SeedSummary a = seed(first, spec);
        SeedSummary b = seed(second, spec);
        SeedSummary c = seed(other, new SeedSpec(120, 8, 43, true));

        assertEquals(a, b);
        assertEquals(fingerprint(first), fingerprint(second));
        assertNotEquals(fingerprint(first), fingerprint(other));
        assertNotEquals(a.planted(), c.planted());
    }

    @Test
    void writesAboutJobsTimesTasksPerJob(TestDatabase db) throws Exception {
        SeedSummary s = seed(db, new SeedSpec(400, 10, 1, false));
        try (Connection c = db.connect()) {
            assertEquals(400, s.jobs());
            assertEquals(400, count(c, "SELECT count(*) FROM jobs"));
            assertEquals(s.tasks(), count(c, "SELECT count(*) FROM job_tasks"));
            assertTrue(s.tasks() >= 0.85 * 400 * 10 && s.tasks() <= 1.1 * 400 * 10, "tasks: " + s.tasks());
        }
    }

    @Test
    void oneTaskPerJobIsTheSequenceZeroTaskAlone(TestDatabase db) throws Exception {
        SeedSummary s = seed(db, new SeedSpec(50, 1, 3, false));
        try (Connection c = db.connect()) {
            assertEquals(s.tasks(), count(c, "SELECT count(*) FROM job_tasks WHERE sequence = 0 AND qsequence = 0"));
        }
    }

    @Test
    void dirtySeedPlantsEveryKindFindably(TestDatabase db) throws Exception {
        SeedSummary s = seed(db, new SeedSpec(200, 10, 7, true));
        try (Connection c = db.connect()) {
            for (Map.Entry<String, String> dirt : DIRT.entrySet()) {
                long planted = s.planted(dirt.getKey());
                assertTrue(planted >= 3, dirt.getKey() + ": " + planted);
                assertEquals(planted, count(c, dirt.getValue()), dirt.getKey());
            }
        }
    }

    @Test
    void dirtScalesWithTheSeed(TestDatabase db) throws Exception {
        SeedSummary s = seed(db, new SeedSpec(2_000, 10, 7, true));
        assertEquals(10, s.planted("null_uuid"), "one per 2,000 tasks");
        assertEquals(20, s.planted("orphan"), "pairs");
        assertEquals(4, s.planted("unparseable_script_parameters"), "one per 500 jobs");
    }

    @Test
    void cleanSeedHasNoDirt(TestDatabase db) throws Exception {
        SeedSummary s = seed(db, new SeedSpec(300, 6, 11, false));
        try (Connection c = db.connect()) {
            for (Map.Entry<String, String> dirt : DIRT.entrySet()) {
                assertEquals(0, s.planted(dirt.getKey()), dirt.getKey());
                assertEquals(0, count(c, dirt.getValue()), dirt.getKey());
            }
            assertEquals(0, count(c, "SELECT count(*) FROM job_tasks t WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.uuid = t.job_uuid)"));
            assertEquals(0, count(c, "SELECT count(*) FROM jobs WHERE uuid !~ '^zzzzz-8i9sb-[0-9a-z]{15}$'"
                    + " OR owner_uuid !~ '^zzzzz-tpzed-[0-9a-z]{15}$' OR script_version !~ '^[0-9a-f]{40}$'"));
        }
    }

    @Test
    void everySerializedHashParsesAndJobDigestsMatchTheirParameters(TestDatabase db) throws Exception {
        seed(db, new SeedSpec(300, 5, 5, false));
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            int jobs = 0;
            try (ResultSet rs = st.executeQuery("SELECT script_parameters, script_parameters_digest, runtime_constraints FROM jobs")) {
                while (rs.next()) {
                    Map<String, Object> parameters = load(rs.getString(1));
                    assertEquals(Serialized.digest(parameters), rs.getString(2), rs.getString(1));
                    load(rs.getString(3));
                    jobs++;
                }
            }
            assertEquals(300, jobs);
            try (ResultSet rs = st.executeQuery("SELECT parameters FROM job_tasks")) {
                while (rs.next()) {
                    load(rs.getString(1));
                }
            }
        }
    }

    @Test
    void aboutAThirdOfSerializedRowsAreYaml(TestDatabase db) throws Exception {
        SeedSummary s = seed(db, new SeedSpec(400, 10, 2, false));
        try (Connection c = db.connect()) {
            String rows = "(SELECT parameters AS text FROM job_tasks UNION ALL SELECT script_parameters FROM jobs) r";
            long yaml = count(c, "SELECT count(*) FROM " + rows + " WHERE text LIKE '---%'");
            long all = count(c, "SELECT count(text) FROM " + rows);
            assertEquals(s.planted("yaml_rows"), yaml);
            assertTrue(yaml > 0.25 * all && yaml < 0.42 * all, yaml + " of " + all);
            assertEquals(s.planted("double_encoded"), count(c, "SELECT count(*) FROM " + rows + " WHERE text LIKE '--- ''{%' OR text = '--- \"{}\"\n'"));
            assertTrue(s.planted("double_encoded") > 0);
            assertEquals(s.planted("null_parameters"), count(c, "SELECT count(*) FROM job_tasks WHERE parameters IS NULL"));
            assertTrue(count(c, "SELECT count(*) FROM job_tasks WHERE parameters = '--- {}\n'") > 0);
            assertTrue(count(c, "SELECT count(*) FROM " + rows + " WHERE text LIKE '%\":foo\"%'") > 0, "Ruby symbols");
            assertTrue(count(c, "SELECT count(*) FROM " + rows + " WHERE text LIKE '%an_integer: ''%'") > 0, "quoted numbers");
        }
    }

    @Test
    void nonAsciiTextIsStoredAsItsUtf8(TestDatabase db) throws Exception {
        SeedSummary s = seed(db, new SeedSpec(400, 10, 2, false));
        try (Connection c = db.connect()) {
            long rows = count(c, "SELECT count(*) FROM job_tasks WHERE octet_length(parameters) <> char_length(parameters)"
                    + " OR octet_length(output) <> char_length(output)")
                    + count(c, "SELECT count(*) FROM jobs WHERE octet_length(script_parameters) <> char_length(script_parameters)");
            assertEquals(s.planted("non_ascii"), rows);
            for (String text : List.of("Köln", "日本語", "🧬")) {
                assertTrue(count(c, "SELECT count(*) FROM job_tasks WHERE position(convert_from('\\x" + hex(text)
                        + "'::bytea, 'UTF8') IN parameters) > 0") > 0, text);
            }
        }
    }

    @Test
    void outputsAreManifestsLongManifestsOrBareLocators(TestDatabase db) throws Exception {
        SeedSummary s = seed(db, new SeedSpec(400, 10, 2, false));
        try (Connection c = db.connect()) {
            assertEquals(s.planted("locator_outputs"), count(c, "SELECT count(*) FROM job_tasks WHERE output ~ '^[0-9a-f]{32}(\\+\\S+)*\\n?$'"));
            assertEquals(s.planted("long_outputs"), count(c, "SELECT count(*) FROM job_tasks WHERE octet_length(output) > 255"));
            assertTrue(s.planted("locator_outputs") > 0 && s.planted("long_outputs") > 0);
            assertEquals(0, count(c, "SELECT count(*) FROM job_tasks WHERE output IS NOT NULL AND output !~ '^[0-9a-f]{32}'"
                    + " AND output !~ '^\\. [0-9a-f]{32}\\+[0-9]+ .*\\n$'"));
            assertEquals(0, count(c, "SELECT count(*) FROM job_tasks WHERE output IS NOT NULL AND success IS NOT TRUE"));
            assertEquals(0, count(c, "SELECT count(*) FROM jobs WHERE output !~ '^[0-9a-f]{32}\\+[0-9]+$' OR log !~ '^[0-9a-f]{32}\\+[0-9]+$'"));
        }
    }

    @Test
    void jobStatesKeepTheLegacyFlagsInStep(TestDatabase db) throws Exception {
        SeedSummary s = seed(db, new SeedSpec(600, 3, 9, false));
        try (Connection c = db.connect()) {
            assertEquals(0, count(c, "SELECT count(*) FROM jobs WHERE"
                    + " (state = 'Complete' AND (running OR success IS NOT TRUE OR finished_at IS NULL))"
                    + " OR (state = 'Failed' AND (running OR success IS NOT FALSE OR finished_at IS NULL))"
                    + " OR (state = 'Cancelled' AND (running OR success IS NOT FALSE OR cancelled_at IS NULL OR cancelled_by_user_uuid IS NULL))"
                    + " OR (state = 'Running' AND (NOT running OR success IS NOT NULL OR started_at IS NULL OR finished_at IS NOT NULL))"
                    + " OR (state = 'Queued' AND (running OR success IS NOT NULL OR started_at IS NOT NULL))"
                    + " OR (state IS NULL AND (running OR success IS NULL OR finished_at IS NULL))"
                    + " OR priority <> 0"));
            for (String state : List.of("Complete", "Failed", "Cancelled", "Running", "Queued")) {
                assertTrue(count(c, "SELECT count(*) FROM jobs WHERE state = '" + state + "'") > 0, state);
            }
            assertEquals(s.planted("legacy_state_jobs"), count(c, "SELECT count(*) FROM jobs WHERE state IS NULL"));
            assertTrue(s.planted("legacy_state_jobs") > 0);
            assertTrue(count(c, "SELECT count(*) FROM jobs WHERE nondeterministic") > 0);
            assertTrue(count(c, "SELECT count(*) FROM jobs WHERE docker_image_locator IS NULL") > 0);
            assertTrue(count(c, "SELECT count(*) FROM jobs WHERE arvados_sdk_version ~ '^[0-9a-f]{40}$'") > 0);
            assertEquals(0, count(c, "SELECT count(*) FROM jobs WHERE (started_at IS NOT NULL) <> (tasks_summary IS NOT NULL)"));
        }
    }

    @Test
    void timestampsAreConsistent(TestDatabase db) throws Exception {
        seed(db, new SeedSpec(300, 12, 4, true));
        try (Connection c = db.connect()) {
            assertEquals(0, count(c, "SELECT count(*) FROM jobs WHERE started_at < created_at OR finished_at < started_at"
                    + " OR cancelled_at < created_at OR modified_at <> updated_at OR modified_at < created_at"
                    + " OR modified_at < finished_at"));
            assertEquals(0, count(c, "SELECT count(*) FROM job_tasks WHERE started_at < created_at OR finished_at < started_at"
                    + " OR (finished_at IS NOT NULL AND started_at IS NULL) OR modified_at <> updated_at OR modified_at < created_at"
                    + " OR modified_at < started_at OR modified_at < finished_at"));
            assertEquals(0, count(c, "SELECT count(*) FROM job_tasks t JOIN jobs j ON j.uuid = t.job_uuid"
                    + " WHERE t.finished_at > j.finished_at OR t.started_at < j.created_at"));
            assertEquals(0, count(c, "SELECT count(*) FROM (SELECT created_at <= lag(created_at) OVER (ORDER BY id) AS back FROM jobs) x"
                    + " WHERE back"));
            assertTrue(count(c, "SELECT count(*) FROM job_tasks WHERE extract(microseconds FROM created_at)::bigint % 1000 <> 0") > 0,
                    "microsecond precision");
            assertTrue(count(c, "SELECT count(*) FROM jobs WHERE created_at < '2016-01-04' OR created_at > '2018-01-05'") == 0);
        }
    }

    @Test
    void tasksFanOutAsCrunchJobMadeThem(TestDatabase db) throws Exception {
        SeedSummary s = seed(db, new SeedSpec(400, 10, 6, false));
        try (Connection c = db.connect()) {
            assertEquals(0, count(c, "SELECT count(*) FROM job_tasks WHERE sequence = 0 AND (qsequence <> 0 OR created_by_job_task_uuid IS NOT NULL)"));
            assertEquals(0, count(c, "SELECT count(*) FROM job_tasks WHERE sequence > 0 AND (qsequence <= 0 OR created_by_job_task_uuid IS NULL)"));
            assertEquals(0, count(c, "SELECT count(*) FROM job_tasks t JOIN job_tasks p ON p.uuid = t.created_by_job_task_uuid"
                    + " WHERE p.sequence <> t.sequence - 1 OR p.job_uuid <> t.job_uuid OR p.success IS NOT TRUE"));
            assertEquals(0, count(c, "SELECT count(*) FROM (SELECT qsequence <= lag(qsequence) OVER (ORDER BY id) AS back"
                    + " FROM job_tasks WHERE sequence > 0) x WHERE back"));
            assertEquals(count(c, "SELECT max(qsequence) FROM job_tasks"), count(c, "SELECT last_value FROM job_tasks_qsequence_seq"));
            assertTrue(count(c, "SELECT count(*) FROM job_tasks WHERE sequence = 2") > 0, "level-2 tasks");
            assertTrue(count(c, "SELECT count(*) FROM job_tasks WHERE parameters LIKE '%pattern%'") > 0, "overriding parent keys");
            long retried = count(c, "SELECT count(*) FROM (SELECT job_uuid FROM job_tasks WHERE sequence = 0"
                    + " GROUP BY job_uuid HAVING count(*) > 1) r");
            assertTrue(retried > 0);
            assertEquals(s.planted("retried_jobs"), count(c, "SELECT count(*) FROM (SELECT job_uuid FROM job_tasks WHERE sequence = 0"
                    + " GROUP BY job_uuid HAVING count(*) > 1) r"));
            assertTrue(count(c, "SELECT count(*) FROM job_tasks t JOIN jobs j ON j.uuid = t.job_uuid"
                    + " WHERE j.state = 'Running' AND t.success IS NULL AND t.started_at IS NULL") > 0, "queued tasks of running jobs");
            assertTrue(count(c, "SELECT count(*) FROM job_tasks t JOIN jobs j ON j.uuid = t.job_uuid"
                    + " WHERE j.state = 'Running' AND t.success IS NULL AND t.started_at IS NOT NULL") > 0, "running tasks");
            assertTrue(count(c, "SELECT count(*) FROM job_tasks t JOIN jobs j ON j.uuid = t.job_uuid"
                    + " WHERE j.state = 'Cancelled' AND t.success IS NULL") > 0, "unfinished tasks of cancelled jobs");
            assertTrue(count(c, "SELECT count(*) FROM job_tasks t JOIN jobs j ON j.uuid = t.job_uuid"
                    + " WHERE j.state = 'Failed' AND t.success = false") > 0, "failed tasks of failed jobs");
            assertEquals(0, count(c, "SELECT count(*) FROM job_tasks WHERE (success AND progress <> 1.0) OR progress < 0 OR progress > 1"));
        }
    }

    @Test
    void someJobsAreIdenticalResubmissionsOfEarlierOnes(TestDatabase db) throws Exception {
        SeedSummary s = seed(db, new SeedSpec(1_000, 2, 8, false));
        try (Connection c = db.connect()) {
            String groups = " FROM jobs a JOIN jobs b ON a.id < b.id AND a.repository = b.repository AND a.script = b.script"
                    + " AND a.script_version = b.script_version AND a.script_parameters_digest = b.script_parameters_digest"
                    + " AND a.docker_image_locator IS NOT DISTINCT FROM b.docker_image_locator"
                    + " AND a.arvados_sdk_version IS NOT DISTINCT FROM b.arvados_sdk_version"
                    + " WHERE a.state = 'Complete' AND b.state = 'Complete'";
            assertTrue(s.planted("repeated_submissions") >= 30, "about 5%: " + s.planted("repeated_submissions"));
            assertTrue(count(c, "SELECT count(*)" + groups + " AND a.output = b.output") > 0, "equal outputs");
            assertTrue(count(c, "SELECT count(*)" + groups + " AND a.output <> b.output") > 0, "differing outputs");
        }
    }

    @Test
    void refusesTablesThatAlreadyHoldRows(TestDatabase db) throws Exception {
        seed(db, new SeedSpec(10, 2, 1, false));
        try (Connection c = db.connect()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new SeedGenerator(new SeedSpec(10, 2, 1, false)).writeTo(c));
            assertTrue(e.getMessage().startsWith("refusing to seed"), e.getMessage());
            assertTrue(c.getAutoCommit());
            assertEquals(10, count(c, "SELECT count(*) FROM jobs"));
        }
    }

    private static SeedSummary seed(TestDatabase db, SeedSpec spec) throws SQLException {
        try (Connection c = db.connect()) {
            SeedSummary summary = new SeedGenerator(spec).writeTo(c);
            assertTrue(c.getAutoCommit());
            return summary;
        }
    }

    private static String fingerprint(TestDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT md5(string_agg(j::text, E'\\n' ORDER BY id)) FROM jobs j)"
                     + " || (SELECT md5(string_agg(t::text, E'\\n' ORDER BY id)) FROM job_tasks t)"
                     + " || (SELECT last_value FROM job_tasks_qsequence_seq)")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Map<String, String> dirtQueries() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("orphan", "SELECT count(*) FROM job_tasks t WHERE t.job_uuid IS NOT NULL"
                + " AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.uuid = t.job_uuid)");
        q.put("null_job_uuid", "SELECT count(*) FROM job_tasks WHERE job_uuid IS NULL");
        List<String> bad = new ArrayList<>();
        for (String text : Plants.UNPARSEABLE) {
            bad.add("'" + text.replace("'", "''") + "'");
        }
        q.put("unparseable_parameters", "SELECT count(*) FROM job_tasks WHERE parameters IN (" + String.join(", ", bad) + ")");
        q.put("null_uuid", "SELECT count(*) FROM job_tasks WHERE uuid IS NULL");
        q.put("malformed_uuid", "SELECT count(*) FROM job_tasks WHERE uuid !~ '^[0-9a-z]{5}-[0-9a-z]{5}-[0-9a-z]{15}$'");
        q.put("unparseable_script_parameters", "SELECT count(*) FROM jobs WHERE script_parameters IN (" + String.join(", ", bad) + ")");
        q.put("unparseable_parent_parameters", "SELECT count(*) FROM job_tasks t JOIN jobs j ON j.uuid = t.job_uuid"
                + " WHERE j.script_parameters_digest IS NULL");
        q.put("uuid_collision", "SELECT count(*) FROM job_tasks t JOIN jobs j"
                + " ON j.uuid = regexp_replace(t.uuid, '^([0-9a-z]{5})-ot0gb-', '\\1-8i9sb-')");
        q.put("missing_creator", "SELECT count(*) FROM job_tasks t WHERE created_by_job_task_uuid IS NOT NULL"
                + " AND NOT EXISTS (SELECT 1 FROM job_tasks c WHERE c.uuid = t.created_by_job_task_uuid)");
        return q;
    }

    /** Reads a serialized hash the way the Rails model did (docs/arvados.md §3); fails on anything else. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(String text) throws Exception {
        if (text == null) {
            return Map.of();
        }
        Object value;
        if (text.startsWith("{")) {
            value = new ObjectMapper().readValue(text, Object.class);
        } else if (text.startsWith("---")) {
            value = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
            if (value instanceof String json) {
                value = new ObjectMapper().readValue(json, Object.class);
            }
        } else {
            throw new AssertionError("neither JSON nor YAML: " + text);
        }
        assertTrue(value instanceof Map, text);
        return (Map<String, Object>) longs(value);
    }

    /** Integers as Long, the one number type {@link Serialized} knows. */
    private static Object longs(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put((String) k, longs(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            return l.stream().map(SeedGeneratorTest::longs).toList();
        }
        if (value instanceof Integer i) {
            return i.longValue();
        }
        assertTrue(value instanceof String || value instanceof Long || value instanceof Boolean, "unexpected " + value);
        return value;
    }

    private static String hex(String text) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
