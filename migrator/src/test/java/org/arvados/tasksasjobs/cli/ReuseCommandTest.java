package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.changelog.BaselineSchema;
import org.arvados.tasksasjobs.mapping.CanonicalJson;
import org.arvados.tasksasjobs.mapping.ParametersDigest;
import org.arvados.tasksasjobs.mapping.SerializedHashReader;
import org.arvados.tasksasjobs.mapping.UnparseableHashException;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.arvados.tasksasjobs.yaml.SnakeYamlDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(FreshDatabaseExtension.class)
class ReuseCommandTest {

    private static final String OWNER = "zzzzz-tpzed-submitter000001";
    private static final String COMMIT = "a1f7b8a3e6e2c9d0b4e5f6a7b8c9d0e1f2a3b4c5";
    private static final String PARENT = "zzzzz-8i9sb-parentjob000001";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void answersEveryProbeInInputOrderOnADatabaseNotYetMigrated(TestDatabase db, @TempDir Path dir) throws Exception {
        try (Connection c = db.connect()) {
            BaselineSchema.apply(c);
            job(c, "zzzzz-8i9sb-complete000001", "Complete", "{\"input\":\"a\"}");
            job(c, "zzzzz-8i9sb-running0000001", "Running", "{\"input\":\"b\"}");
        }
        Path probes = write(dir, probe("p1", "{\"input\":\"a\"}"), "", probe("p2", "{\"input\":\"b\"}"),
                probe("p3", "{\"input\":\"c\"}"), taskProbe("t1", "{\"input\":\"a\"}"));

        Cli.Run r = run("reuse", "--url", db.jdbcUrl(), "--probes", probes.toString());

        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        assertEquals("", r.err());
        assertEquals(List.of(
                "{\"id\":\"p1\",\"reused\":\"zzzzz-8i9sb-complete000001\",\"rule\":\"complete\"}",
                "{\"id\":\"p2\",\"reused\":\"zzzzz-8i9sb-running0000001\",\"rule\":\"running\"}",
                "{\"id\":\"p3\",\"reused\":null,\"rule\":\"none\"}",
                "{\"id\":\"t1\",\"reused\":null,\"rule\":\"none\"}"), lines(r.out()));
    }

    @Test
    void aMalformedLineIsAUsageErrorThatNamesItBeforeAnyOutput(TestDatabase db, @TempDir Path dir) throws Exception {
        try (Connection c = db.connect()) {
            BaselineSchema.apply(c);
        }
        Path probes = write(dir, probe("p1", "{}"), "", probe("p3", "[\"not\", \"a hash\"]"), probe("p4", "{}"));

        Cli.Run r = run("reuse", "--url", db.jdbcUrl(), "--probes", probes.toString());

        assertEquals(ExitCode.USAGE, r.exitCode());
        assertEquals("", r.out());
        assertEquals("tasks-as-jobs: probes line 3: script_parameters must be an object, not an array", r.err().lines().findFirst().orElse(""));
    }

    @Test
    void aMissingProbesFileIsAUsageError(TestDatabase db, @TempDir Path dir) {
        Cli.Run r = run("reuse", "--url", db.jdbcUrl(), "--probes", dir.resolve("nope.jsonl").toString());

        assertEquals(ExitCode.USAGE, r.exitCode());
        assertTrue(r.err().startsWith("tasks-as-jobs: --probes " + dir.resolve("nope.jsonl") + ": no such file"), r.err());
    }

    @Test
    void aDatabaseWithoutJobsIsAFailureSaidInOneLine(TestDatabase db, @TempDir Path dir) throws Exception {
        Path probes = write(dir, probe("p1", "{}"));

        Cli.Run r = run("reuse", "--url", db.jdbcUrl(), "--probes", probes.toString());

        assertEquals(ExitCode.FAILURE, r.exitCode());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("tasks-as-jobs: missing table: relation \"jobs\" does not exist"), r.err());
    }

    @Test
    void readsProbesFromStandardInputGivenADash(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            BaselineSchema.apply(c);
            job(c, "zzzzz-8i9sb-complete000001", "Complete", "{\"input\":\"a\"}");
        }
        InputStream stdin = System.in;
        Cli.Run r;
        try {
            System.setIn(new ByteArrayInputStream((probe("p1", "{\"input\":\"a\"}") + "\n" + probe("p2", "{}") + "\n")
                    .getBytes(StandardCharsets.UTF_8)));
            r = run("reuse", "--url", db.jdbcUrl(), "--probes", "-");
        } finally {
            System.setIn(stdin);
        }

        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        assertEquals(List.of("{\"id\":\"p1\",\"reused\":\"zzzzz-8i9sb-complete000001\",\"rule\":\"complete\"}",
                "{\"id\":\"p2\",\"reused\":null,\"rule\":\"none\"}"), lines(r.out()));
    }

    @Test
    void topLevelAnswersAreTheSameAfterMigrateAndTaskProbesThenReuseTaskLikeJobs(TestDatabase db, @TempDir Path dir)
            throws Exception {
        Cli.Run seed = run("seed", "--url", db.jdbcUrl(), "--jobs", "120", "--tasks-per-job", "4", "--seed", "11");
        assertEquals(ExitCode.OK, seed.exitCode(), seed.err());
        List<String> probes = jobsResubmitted(db);
        // A task probe: a task of a job that is alone in asking for its merged parameters, so its answer is known.
        TaskCase task = completeTaskWithUniqueParameters(db);
        probes.add(taskProbeUnder(task.parent(), "task", task.parameters()));
        Path file = write(dir, probes.toArray(String[]::new));

        Cli.Run before = run("reuse", "--url", db.jdbcUrl(), "--probes", file.toString());
        Cli.Run migrate = run("migrate", "--url", db.jdbcUrl());
        Cli.Run after = run("reuse", "--url", db.jdbcUrl(), "--probes", file.toString());

        assertEquals(ExitCode.OK, before.exitCode(), before.err());
        assertEquals(ExitCode.OK, migrate.exitCode(), migrate.err());
        assertEquals(ExitCode.OK, after.exitCode(), after.err());
        List<String> was = lines(before.out());
        List<String> now = lines(after.out());
        assertEquals(probes.size(), was.size());
        assertEquals(was.subList(0, was.size() - 1), now.subList(0, now.size() - 1), "top-level outcomes unchanged");
        assertTrue(was.stream().filter(l -> l.contains("\"rule\":\"complete\"")).count() > 50, before.out());
        assertEquals("{\"id\":\"task\",\"reused\":null,\"rule\":\"none\"}", was.get(was.size() - 1));
        String taskLikeJob = Sql.column(db, "SELECT uuid FROM jobs WHERE legacy_task_uuid = '" + task.uuid() + "'").get(0);
        assertEquals("{\"id\":\"task\",\"reused\":\"" + taskLikeJob + "\",\"rule\":\"complete\"}", now.get(now.size() - 1));
    }

    // -- helpers --------------------------------------------------------------------------------------------------------

    private record TaskCase(String uuid, String parent, String parameters) {
    }

    /** Every job with readable parameters, as a probe of itself. */
    private static List<String> jobsResubmitted(TestDatabase db) throws Exception {
        SerializedHashReader reader = new SerializedHashReader(new SnakeYamlDecoder());
        List<String> probes = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT uuid, repository, script, script_version, docker_image_locator, arvados_sdk_version, owner_uuid,
                       script_parameters
                FROM jobs ORDER BY id""")) {
            while (rs.next()) {
                String parameters;
                try {
                    parameters = CanonicalJson.write(reader.read(rs.getString("script_parameters")));
                } catch (UnparseableHashException e) {
                    continue;
                }
                ObjectNode probe = JSON.createObjectNode();
                probe.put("id", rs.getString("uuid"));
                probe.put("repository", rs.getString("repository"));
                probe.put("script", rs.getString("script"));
                probe.put("script_version", rs.getString("script_version"));
                probe.putRawValue("script_parameters", new RawValue(parameters));
                probe.put("docker_image_locator", rs.getString("docker_image_locator"));
                probe.put("arvados_sdk_version", rs.getString("arvados_sdk_version"));
                probe.put("owner_uuid", rs.getString("owner_uuid"));
                probe.putNull("parent_job_uuid");
                probes.add(JSON.writeValueAsString(probe));
            }
        }
        return probes;
    }

    /**
     * A successful task with JSON parameters, the only task whose parent's parameters overlaid with its own give its
     * digest, under a parent job that is deterministic and has a log, and whose output is manifest text.
     */
    private static TaskCase completeTaskWithUniqueParameters(TestDatabase db) throws Exception {
        SerializedHashReader reader = new SerializedHashReader(new SnakeYamlDecoder());
        record Fit(TaskCase task, String digest) {
        }
        List<Fit> fits = new ArrayList<>();
        Map<String, Integer> tasksByDigest = new HashMap<>();
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT t.uuid, t.job_uuid, t.parameters, t.success, t.output, p.script_parameters, p.log, p.nondeterministic
                FROM job_tasks t JOIN jobs p ON p.uuid = t.job_uuid
                ORDER BY t.id""")) {
            while (rs.next()) {
                String digest;
                try {
                    var merged = reader.read(rs.getString("script_parameters"));
                    merged.putAll(reader.read(rs.getString("parameters")));
                    digest = ParametersDigest.of(merged);
                } catch (UnparseableHashException e) {
                    continue;
                }
                tasksByDigest.merge(digest, 1, Integer::sum);
                String parameters = rs.getString("parameters");
                String output = rs.getString("output");
                if (Boolean.TRUE.equals(rs.getObject("success")) && parameters != null && parameters.startsWith("{")
                        && !parameters.equals("{}") && output != null && output.startsWith(". ") && rs.getString("log") != null
                        && !Boolean.TRUE.equals(rs.getObject("nondeterministic"))) {
                    fits.add(new Fit(new TaskCase(rs.getString("uuid"), rs.getString("job_uuid"), parameters), digest));
                }
            }
        }
        return fits.stream().filter(fit -> tasksByDigest.get(fit.digest()) == 1).map(Fit::task).findFirst()
                .orElseThrow(() -> new AssertionError("the seed has no task fit for the test among " + fits.size()));
    }

    private static void job(Connection c, String uuid, String state, String parameters) throws Exception {
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO jobs (uuid, owner_uuid, repository, script, script_version, script_parameters,
                    script_parameters_digest, docker_image_locator, state, running, success, output, log, created_at,
                    updated_at, modified_at)
                VALUES (?, ?, 'active/foo', 'hash', ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            boolean complete = "Complete".equals(state);
            LocalDateTime at = LocalDateTime.of(2016, 3, 1, 12, 0);
            st.setString(1, uuid);
            st.setString(2, OWNER);
            st.setString(3, COMMIT);
            st.setString(4, parameters);
            st.setString(5, ParametersDigest.of(new SerializedHashReader(new SnakeYamlDecoder()).read(parameters)));
            st.setString(6, state);
            st.setBoolean(7, "Running".equals(state));
            st.setObject(8, complete ? Boolean.TRUE : null);
            st.setString(9, complete ? "37b51d194a7513e45b56f6524f2d51f2+67" : null);
            st.setString(10, complete ? "d41d8cd98f00b204e9800998ecf8427e+0" : null);
            st.setObject(11, at);
            st.setObject(12, at);
            st.setObject(13, at);
            st.executeUpdate();
        }
    }

    private static String probe(String id, String parameters) {
        return "{\"id\":\"" + id + "\",\"repository\":\"active/foo\",\"script\":\"hash\",\"script_version\":\"" + COMMIT
                + "\",\"script_parameters\":" + parameters + ",\"docker_image_locator\":null,\"arvados_sdk_version\":null,"
                + "\"owner_uuid\":\"" + OWNER + "\",\"parent_job_uuid\":null}";
    }

    private static String taskProbe(String id, String parameters) {
        return taskProbeUnder(PARENT, id, parameters);
    }

    private static String taskProbeUnder(String parent, String id, String parameters) {
        return "{\"id\":\"" + id + "\",\"script_parameters\":" + parameters + ",\"owner_uuid\":\"" + OWNER
                + "\",\"parent_job_uuid\":\"" + parent + "\"}";
    }

    private static Path write(Path dir, String... lines) throws Exception {
        Path file = dir.resolve("probes.jsonl");
        Files.write(file, Arrays.asList(lines), StandardCharsets.UTF_8);
        return file;
    }

    private static List<String> lines(String out) {
        return out.lines().toList();
    }
}
