package org.arvados.tasksasjobs.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.arvados.tasksasjobs.backfill.BackfillListener;
import org.arvados.tasksasjobs.backfill.BackfillSettings;
import org.arvados.tasksasjobs.changelog.BaselineSchema;
import org.arvados.tasksasjobs.changelog.MigrationChangelog;
import org.arvados.tasksasjobs.changelog.Phase;
import org.arvados.tasksasjobs.mapping.CanonicalJson;
import org.arvados.tasksasjobs.mapping.InheritPolicy;
import org.arvados.tasksasjobs.mapping.JobState;
import org.arvados.tasksasjobs.mapping.MappingOutcome;
import org.arvados.tasksasjobs.mapping.ParentJob;
import org.arvados.tasksasjobs.mapping.RandomUuidAllocator;
import org.arvados.tasksasjobs.mapping.SerializedHashReader;
import org.arvados.tasksasjobs.mapping.TaskJobMapping;
import org.arvados.tasksasjobs.mapping.TaskLikeJob;
import org.arvados.tasksasjobs.mapping.TaskRow;
import org.arvados.tasksasjobs.mapping.UuidMapping;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.PostgresServer;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.arvados.tasksasjobs.yaml.SnakeYamlDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract phase's PL/pgSQL mapping (what the job_tasks view's INSTEAD OF triggers run) equals compat-shim's
 * TaskJobMapping: for every task of a dirty seeded database that the SQL accepts, column by column; every task the
 * Java mapping quarantines is refused by the SQL too; and canonical JSON and Ruby floats agree on generated values.
 */
@ExtendWith(SqlMappingDifferentialTest.BaselineDatabases.class)
class SqlMappingDifferentialTest {

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

    private static final String TASKS = """
            SELECT t.*, p.uuid AS p_uuid, p.state AS p_state, p.running AS p_running, p.success AS p_success,
                   p.cancelled_at AS p_cancelled_at, p.script AS p_script, p.script_version AS p_script_version,
                   p.supplied_script_version AS p_supplied_script_version, p.repository AS p_repository,
                   p.docker_image_locator AS p_docker_image_locator, p.arvados_sdk_version AS p_arvados_sdk_version,
                   p.runtime_constraints AS p_runtime_constraints, p.nondeterministic AS p_nondeterministic,
                   p.log AS p_log, p.script_parameters AS p_script_parameters
            FROM job_tasks t LEFT JOIN jobs p ON p.uuid = t.job_uuid AND p.legacy_task_uuid IS NULL
            ORDER BY t.id
            """;

    private static final String SQL_MAPPING = """
            SELECT (tasks_as_jobs_task_like_job(t.uuid, t.owner_uuid, t.modified_by_client_uuid, t.modified_by_user_uuid,
                t.modified_at, t.job_uuid, t.sequence, t.parameters, t.output, t.progress, t.success, t.created_at,
                t.updated_at, t.created_by_job_task_uuid, t.qsequence, t.started_at, t.finished_at)).*
            FROM job_tasks t WHERE t.id = ?
            """;

    private final SerializedHashReader reader = new SerializedHashReader(new SnakeYamlDecoder());
    private final TaskJobMapping mapping = new TaskJobMapping(reader, InheritPolicy.ALL, new RandomUuidAllocator(new Random(5)));

    @Test
    void sqlMappingEqualsTheJavaMappingForEveryTaskOfADirtySeedItAccepts(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            new SeedGenerator(new SeedSpec(200, 8, 11, true)).writeTo(c);
            installSqlMapping(c);
            int compared = 0;
            int refusedBoth = 0;
            int refusedBySqlOnly = 0;
            List<String> mismatches = new ArrayList<>();
            java.util.Map<String, Integer> reasons = new java.util.TreeMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(TASKS)) {
                while (rs.next()) {
                    TaskRow task = task(rs);
                    MappingOutcome java = mapping.map(task, parent(rs), null, uuid -> taken(c, uuid));
                    Object[] sql;
                    String refusal = null;
                    try {
                        sql = sqlMapping(c, task.id());
                    } catch (SQLException e) {
                        sql = null;
                        refusal = e.getMessage();
                    }
                    if (java instanceof MappingOutcome.Quarantined q) {
                        assertEquals(null, sql, "task " + task.id() + " is quarantined (" + q.reason() + ") by Java; SQL must refuse it");
                        refusedBoth++;
                        continue;
                    }
                    TaskLikeJob job = ((MappingOutcome.Mapped) java).job();
                    if (sql == null) {
                        assertTrue(refusal.contains("write this task through the tasks-as-jobs gateway"), refusal);
                        refusedBySqlOnly++;
                        reasons.merge(refusal.lines().findFirst().orElse("").replaceAll("task uuid \\S+|job \\S+", "…"), 1, Integer::sum);
                        continue;
                    }
                    compared++;
                    compare(task, job, sql, mismatches);
                }
            }
            assertEquals(List.of(), mismatches);
            assertTrue(compared > 500, "compared " + compared);
            assertTrue(refusedBoth > 0, "the dirty seed holds tasks both mappings refuse");
            // What the Java mapping carries and the SQL one refuses: only YAML-era parameters (the seed has many), which
            // no post-2017 writer sends; such a writer is told to use the gateway.
            assertTrue(refusedBySqlOnly > 0 && reasons.keySet().stream().allMatch(r -> r.contains("is YAML")), String.valueOf(reasons));
        }
    }

    @Test
    void canonicalJsonAndRubyFloatsAgreeOnGeneratedValues(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            installSqlMapping(c);
            List<String> texts = new ArrayList<>(List.of(
                    "{}",
                    "{\"an_integer\":\"1\",\"input\":\"fa7aeb5140e2848d39b416daeef4ffc5+45\"}",
                    "{\"z\":[[{\"b\":\"b\",\"a\":\"a\"}]]}",
                    "{\"é\":1,\"e\":2,\"\uE000\":3,\"\uD83D\uDE00\":4,\"E\":5,\"ä\":{\"y\":[],\"x\":{}}}",
                    "{\"s\":\"quote \\\" backslash \\\\ slash / \\b\\f\\n\\r\\t \\u0001 \\u001f \\u007f é \\u00e9 \\ud83d\\ude00\"}",
                    "{\"dup\":1,\"dup\":2,\"a\":{\"k\":1,\"k\":[3]}}",
                    "{ \"spaced\" : [ 1 , 2 ] , \"n\" : null , \"t\" : true , \"f\" : false }",
                    "{\"big\":123456789012345678901234567890,\"neg\":-0,\"e\":1E2,\"e2\":1e-2,\"f\":1.0,\"g\":-1.50}"));
            for (String number : List.of("0.1", "1e20", "1.5e-7", "-0.0", "123456789.125", "1e16", "1e15", "9007199254740993.0",
                    "5e-324", "1.7976931348623157e308", "0.0001", "0.001", "100.0", "1e-5", "2.5e-5", "1234567890123456.75",
                    "2.0e-4", "1e-4", "12345678901234567.0", "0.30000000000000004")) {
                texts.add("{\"v\":" + number + "}");
            }
            Random random = new Random(20261125);
            for (int i = 0; i < 3000; i++) {
                double d = switch (i % 3) {
                    case 0 -> Double.longBitsToDouble(random.nextLong());
                    case 1 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
                    default -> Math.round(random.nextDouble() * 1e6) / Math.pow(10, random.nextInt(8));
                };
                if (Double.isFinite(d)) {
                    texts.add("{\"v\":" + Double.toString(d) + ",\"w\":[" + random.nextLong() + "]}");
                }
            }
            List<String> mismatches = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT tasks_as_jobs_canonical_json(?::json)")) {
                for (String text : texts) {
                    String java = CanonicalJson.write(reader.read(text));
                    st.setString(1, text);
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        if (!java.equals(rs.getString(1))) {
                            mismatches.add(text + ": Java " + java + ", SQL " + rs.getString(1));
                        }
                    }
                }
            }
            assertEquals(List.of(), mismatches);
            assertTrue(texts.size() > 2500);
        }
    }

    /** Expand, then the contract's mapping functions alone (the contract itself needs a recorded verification). */
    private static void installSqlMapping(Connection c) throws Exception {
        MigrationChangelog changelog = new MigrationChangelog(c);
        changelog.update(List.of(Phase.EXPAND), BackfillSettings.defaults(), BackfillListener.NONE);
        String functions = changelog.plan(List.of(Phase.CONTRACT)).stream()
                .filter(p -> p.id().equals("contract-task-mapping-functions")).findFirst().orElseThrow().sql();
        try (Statement st = c.createStatement()) {
            st.execute(functions);
        }
    }

    private static Object[] sqlMapping(Connection c, long id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(SQL_MAPPING)) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                RecordComponent[] components = TaskLikeJob.class.getRecordComponents();
                Object[] values = new Object[components.length];
                for (int i = 0; i < components.length; i++) {
                    Class<?> type = components[i].getType();
                    values[i] = type == JobState.class ? rs.getString(i + 1)
                            : type == int.class ? (Object) rs.getObject(i + 1, Integer.class)
                            : rs.getObject(i + 1, type);
                }
                return values;
            }
        }
    }

    private static void compare(TaskRow task, TaskLikeJob job, Object[] sql, List<String> mismatches) throws Exception {
        RecordComponent[] components = TaskLikeJob.class.getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            Object java = components[i].getAccessor().invoke(job);
            if (java instanceof JobState state) {
                java = state.text();
            }
            String name = components[i].getName();
            if (name.equals("uuid") && !job.uuid().equals(UuidMapping.taskLikeJobUuid(task.uuid()))) {
                // A taken derived uuid: both sides draw a random one; only its shape and its freshness are comparable.
                assertNotEquals(UuidMapping.taskLikeJobUuid(task.uuid()), sql[i]);
                assertTrue(String.valueOf(sql[i]).matches(UuidMapping.clusterOf(task.uuid()) + "-8i9sb-[0-9a-z]{15}"), String.valueOf(sql[i]));
                continue;
            }
            if (!Objects.equals(java, sql[i])) {
                mismatches.add("task " + task.id() + " " + task.uuid() + ": " + name + ": Java " + java + ", SQL " + sql[i]);
            }
        }
    }

    private static boolean taken(Connection c, String uuid) {
        try (PreparedStatement st = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM jobs WHERE uuid = ?)")) {
            st.setString(1, uuid);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TaskRow task(ResultSet rs) throws SQLException {
        return new TaskRow(rs.getLong("id"), rs.getString("uuid"), rs.getString("owner_uuid"), rs.getString("modified_by_client_uuid"),
                rs.getString("modified_by_user_uuid"), rs.getObject("modified_at", LocalDateTime.class), rs.getString("job_uuid"),
                rs.getObject("sequence", Integer.class), rs.getString("parameters"), rs.getString("output"),
                rs.getObject("progress", Double.class), rs.getObject("success", Boolean.class),
                rs.getObject("created_at", LocalDateTime.class), rs.getObject("updated_at", LocalDateTime.class),
                rs.getString("created_by_job_task_uuid"), rs.getObject("qsequence", Long.class),
                rs.getObject("started_at", LocalDateTime.class), rs.getObject("finished_at", LocalDateTime.class));
    }

    private static ParentJob parent(ResultSet rs) throws SQLException {
        if (rs.getString("p_uuid") == null) {
            return null;
        }
        return new ParentJob(rs.getString("p_uuid"), rs.getString("p_state"), rs.getObject("p_running", Boolean.class),
                rs.getObject("p_success", Boolean.class), rs.getObject("p_cancelled_at", LocalDateTime.class),
                rs.getString("p_script"), rs.getString("p_script_version"), rs.getString("p_supplied_script_version"),
                rs.getString("p_repository"), rs.getString("p_docker_image_locator"), rs.getString("p_arvados_sdk_version"),
                rs.getString("p_runtime_constraints"), rs.getObject("p_nondeterministic", Boolean.class), rs.getString("p_log"),
                rs.getString("p_script_parameters"));
    }
}
