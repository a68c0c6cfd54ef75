package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arvados.tasksasjobs.mapping.CanonicalJson;
import org.arvados.tasksasjobs.mapping.ParametersDigest;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ExitCode;

/**
 * The real 2019 Arvados SDKs and the real {@code grep} crunch script, unchanged, against {@code serve} with TLS and
 * {@code --upstream} (gateway/README.md, "Running crunch scripts and crunch-job against the gateway"). A Perl
 * program calls what crunch-job called, in its order, through the Perl SDK: the first task, then every level, the
 * tasks of the next level listed a page at a time, each task saved back whole with its times and, on failure,
 * {@code success => 0}. The script itself reads its job and task and makes its child tasks through the Python SDK,
 * and its input collection through the upstream. Only ARVADOS_API_HOST points somewhere new.
 */
@ExtendWith(FreshDatabaseExtension.class)
class RealSdksCrunchJobTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "realsdktoken0123456789abcdefghijklmnopqrstuvwxyz01";
    private static final String USER = "zzzzz-tpzed-realsdkuser0001";
    private static final String GREP_JOB = "zzzzz-8i9sb-realsdkgrep0001";
    private static final String FAILING_JOB = "zzzzz-8i9sb-realsdkfail0001";
    private static final Pattern ADDRESS = Pattern.compile("at https://127\\.0\\.0\\.1:(\\d+)/");
    private static final String EMPTY_BLOCK = "d41d8cd98f00b204e9800998ecf8427e+0";
    private static final LocalDateTime T0 = LocalDateTime.of(2019, 8, 1, 12, 0);

    /** The input collection: three files in one block. */
    private static final Map<String, String> FILES = inputFiles();

    @TempDir
    Path dir;

    private final List<String> upstreamRequests = new CopyOnWriteArrayList<>();
    /** The collections the stand-in upstream serves, by portable data hash. */
    private final Map<String, String> manifests = new ConcurrentHashMap<>();
    private HttpServer upstream;
    private Thread serve;

    @AfterEach
    void stop() throws InterruptedException {
        if (serve != null) {
            serve.interrupt();
            serve.join();
        }
        if (upstream != null) {
            upstream.stop(0);
        }
    }

    @Test
    void grepRunsAsCrunchJobRanItAndItsTasksAreTaskLikeJobs(TestDatabase db) throws Exception {
        Cluster cluster = cluster(db);
        Path keep = cluster.keep();
        String input = cluster.input();
        Map<String, String> env = cluster.environment();

        // The job, as crunch-job ran it.
        JobRun ran = runJob(cluster, GREP_JOB);
        assertEquals(0, ran.summary().get("failed").asInt(), ran.output());
        JsonNode tasks = ran.summary().get("tasks");
        assertEquals(1 + FILES.size(), tasks.size(), ran.output());

        // Each file's task wrote what a local grep finds in that file.
        Map<String, String> outputs = new HashMap<>();
        for (JsonNode task : tasks) {
            assertTrue(task.get("success").asBoolean(), task.toString());
            if (task.get("sequence").asInt() == 1) {
                outputs.putAll(readOutput(keep, task.get("output").asText()));
            }
        }
        Map<String, String> expected = new LinkedHashMap<>();
        FILES.forEach((name, text) -> expected.put(name, localGrep(text, "b")));
        assertEquals(expected, outputs);

        // The input collection came from the upstream, its path kept as the SDK escaped it, the token passed on.
        assertTrue(upstreamRequests.stream().anyMatch(r -> r.startsWith("GET /arvados/v1/collections/"
                + input.replace("+", "%2B") + " OAuth2 " + TOKEN)), upstreamRequests.toString());

        // Read back through both SDKs: the same tasks, outputs and successes.
        List<JsonNode> expectedItems = new ArrayList<>();
        tasks.forEach(expectedItems::add);
        Peers.Result perl = Peers.run(List.of("perl", resource("list-tasks.pl").toString(), GREP_JOB), env, dir, 120);
        perl.requireSuccess("listing through the Perl SDK");
        Peers.Result python = Peers.run(List.of(Peers.PYTHON.toString(), resource("list-tasks.py").toString(),
                GREP_JOB), env, dir, 120);
        python.requireSuccess("listing through the Python SDK");
        assertEquals(sortedByUuid(expectedItems), sortedByUuid(JSON.readTree(perl.out())));
        assertEquals(sortedByUuid(expectedItems), sortedByUuid(JSON.readTree(python.out())));

        // In the database: child jobs of the grep job, carrying its parameters, one per task.
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement("""
                SELECT legacy_task_uuid, state, script, script_parameters FROM jobs
                WHERE parent_job_uuid = ? ORDER BY task_qsequence""")) {
            st.setString(1, GREP_JOB);
            int rows = 0;
            try (ResultSet r = st.executeQuery()) {
                while (r.next()) {
                    rows++;
                    assertTrue(r.getString(1).matches("zzzzz-ot0gb-[0-9a-z]{15}"), r.getString(1));
                    assertEquals("Complete", r.getString(2));
                    assertEquals("grep", r.getString(3));
                    JsonNode parameters = JSON.readTree(r.getString(4));
                    assertEquals("b", parameters.get("pattern").asText(), parameters.toString());
                    assertNotNull(parameters.get("input"), parameters.toString());
                }
            }
            assertEquals(1 + FILES.size(), rows);
        }
    }

    @Test
    void aTaskThatFailsIsRecordedAsFailed(TestDatabase db) throws Exception {
        Cluster cluster = cluster(db);

        // "(" is not a regular expression: every task of the file level dies in re.compile without saying how it went.
        JobRun ran = runJob(cluster, FAILING_JOB);
        assertEquals(FILES.size(), ran.summary().get("failed").asInt(), ran.output());

        List<String> states = Sql.column(db, "SELECT state || ' ' || coalesce(success::text, 'null') FROM jobs"
                + " WHERE parent_job_uuid = '" + FAILING_JOB + "' AND task_sequence = 1");
        assertEquals(List.of("Failed false", "Failed false", "Failed false"), states);
        assertEquals(List.of("Complete"), Sql.column(db, "SELECT state FROM jobs WHERE parent_job_uuid = '"
                + FAILING_JOB + "' AND task_sequence = 0"));
    }

    /** The SDKs, the local Keep store holding the input, the database and the gateway in front of it. */
    private record Cluster(Peers peers, Path keep, String input, Map<String, String> environment) {
    }

    /** What the crunch-job fixture printed last (its summary), and all it printed. */
    private record JobRun(JsonNode summary, String output) {
    }

    private Cluster cluster(TestDatabase db) throws Exception {
        Peers peers = Peers.require();
        Path keep = Files.createDirectories(dir.resolve("keep"));
        String input = storeCollection(keep);
        prepareDatabase(db, input);
        int port = startGateway(db, input);
        return new Cluster(peers, keep, input, clientEnvironment(peers, port, keep));
    }

    /** Runs the real grep script for {@code job} as crunch-job did, through the Perl SDK. */
    private JobRun runJob(Cluster cluster, String job) throws Exception {
        Path work = Files.createDirectories(dir.resolve("work-" + job));
        Peers.Result ran = Peers.run(List.of("perl", resource("run-job.pl").toString(), job,
                cluster.peers().script("grep").toString(), work.toString()), cluster.environment(), work, 300);
        ran.requireSuccess("crunch-job's calls through the Perl SDK");
        return new JobRun(JSON.readTree(ran.out().lines().reduce((a, b) -> b).orElseThrow()), ran.output());
    }

    private int startGateway(TestDatabase db, String input) throws Exception {
        upstream = standInUpstream(input);
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Peers.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                "/CN=localhost", "-keyout", key.toString(), "-out", cert.toString()), Map.of(), dir, 60)
                .requireSuccess("openssl req");
        Path tokens = Files.writeString(dir.resolve("tokens"), TOKEN + " " + USER + "\n");

        PipedInputStream printed = new PipedInputStream();
        PrintStream out = new PrintStream(new PipedOutputStream(printed), true, StandardCharsets.UTF_8);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicInteger exit = new AtomicInteger(-1);
        serve = new Thread(() -> exit.set(TasksAsJobs.execute(new String[] {"serve", "--url", db.jdbcUrl(),
                "--port", "0", "--tokens", tokens.toString(), "--tls-cert", cert.toString(), "--tls-key",
                key.toString(), "--upstream", "http://127.0.0.1:" + upstream.getAddress().getPort()}, out,
                new PrintStream(err, true))));
        serve.start();
        // The access log follows on the same stream: drain it so the gateway never blocks on a full pipe.
        BufferedReader lines = new BufferedReader(new InputStreamReader(printed, StandardCharsets.UTF_8));
        String started = lines.readLine();
        assertNotNull(started, err.toString());
        Matcher address = ADDRESS.matcher(started);
        assertTrue(address.find(), started + err);
        Thread drain = new Thread(() -> {
            try {
                lines.lines().forEach(line -> { });
            } catch (java.io.UncheckedIOException e) {
                // the serving thread ended: a piped stream reports that as a broken pipe
            }
        }, "access log");
        drain.setDaemon(true);
        drain.start();
        return Integer.parseInt(address.group(1));
    }

    private Map<String, String> clientEnvironment(Peers peers, int port, Path keep) throws Exception {
        Map<String, String> env = new HashMap<>(peers.environment(Files.createDirectories(dir.resolve("home"))));
        env.put("ARVADOS_API_HOST", "127.0.0.1:" + port);
        env.put("ARVADOS_API_TOKEN", TOKEN);
        env.put("ARVADOS_API_HOST_INSECURE", "1");
        env.put("KEEP_LOCAL_STORE", keep.toString());
        return env;
    }

    /** A migrated database holding two grep jobs of {@link #USER}: one that works, one whose pattern is broken. */
    private static void prepareDatabase(TestDatabase db, String input) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "2", "--tasks-per-job", "2")
                .exitCode());
        assertEquals(ExitCode.OK, run("migrate", "--url", db.jdbcUrl()).exitCode());
        try (Connection c = db.connect()) {
            insertGrepJob(c, GREP_JOB, Map.of("input", input, "pattern", "b"));
            insertGrepJob(c, FAILING_JOB, Map.of("input", input, "pattern", "("));
        }
    }

    private static void insertGrepJob(Connection c, String uuid, Map<String, Object> parameters) throws Exception {
        String canonical = CanonicalJson.write(parameters);
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO jobs (uuid, owner_uuid, modified_by_user_uuid, modified_at, created_at, updated_at,
                    script, script_version, supplied_script_version, repository, script_parameters,
                    script_parameters_digest, runtime_constraints, started_at, running, state, priority)
                VALUES (?, ?, ?, ?, ?, ?, 'grep', '6d1f7bb0c9e43a0c2f3b5d1e8a9c7b6d5e4f3a2b', 'master',
                    'arvados', ?, ?, '{}', ?, true, 'Running', 1)""")) {
            st.setString(1, uuid);
            st.setString(2, USER);
            st.setString(3, USER);
            st.setObject(4, T0);
            st.setObject(5, T0);
            st.setObject(6, T0);
            st.setString(7, canonical);
            st.setString(8, ParametersDigest.ofCanonical(canonical));
            st.setObject(9, T0);
            st.executeUpdate();
        }
    }

    /** Writes the input files' block into the local Keep store; returns the collection's portable data hash. */
    private String storeCollection(Path keep) throws Exception {
        StringBuilder block = new StringBuilder();
        StringBuilder tokens = new StringBuilder();
        for (Map.Entry<String, String> file : FILES.entrySet()) {
            tokens.append(' ').append(block.length()).append(':').append(file.getValue().length()).append(':')
                    .append(file.getKey());
            block.append(file.getValue());
        }
        byte[] data = block.toString().getBytes(StandardCharsets.UTF_8);
        Files.write(keep.resolve(md5(data)), data);
        String manifest = ". " + md5(data) + "+" + data.length + tokens + "\n";
        manifests.put(pdh(manifest), manifest);
        return pdh(manifest);
    }


    /** The upstream API server, as small as the test needs: collections/{pdh} and users/current. */
    private HttpServer standInUpstream(String input) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String rawPath = exchange.getRequestURI().getRawPath();
            upstreamRequests.add(exchange.getRequestMethod() + " " + rawPath + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            String collections = "/arvados/v1/collections/";
            if (rawPath.startsWith(collections)) {
                String pdh = URLDecoder.decode(rawPath.substring(collections.length()).replace("+", "%2B"),
                        StandardCharsets.UTF_8);
                String manifest = manifests.get(pdh);
                if (manifest != null) {
                    respond(exchange, 200, JSON.createObjectNode().put("kind", "arvados#collection")
                            .put("uuid", "zzzzz-4zz18-realsdkinput001").put("portable_data_hash", pdh)
                            .put("manifest_text", manifest).putNull("replication_desired")
                            .put("modified_at", "2019-08-01T12:00:00.000000000Z").toString());
                    return;
                }
            } else if (rawPath.equals("/arvados/v1/users/current")) {
                respond(exchange, 200, JSON.createObjectNode().put("kind", "arvados#user").put("uuid", USER)
                        .put("is_active", true).toString());
                return;
            }
            respond(exchange, 404, "{\"errors\":[\"Path not found\"],\"error_token\":\"0+0\"}");
        });
        server.start();
        return server;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** A task's output: the manifest it stored in Keep, and each file's text read from the blocks it names. */
    private static Map<String, String> readOutput(Path keep, String locator) throws Exception {
        String manifest = Files.readString(keep.resolve(locator.substring(0, 32)));
        Map<String, String> files = new HashMap<>();
        for (String stream : manifest.split("\n")) {
            String[] words = stream.split(" ");
            StringBuilder data = new StringBuilder();
            int i = 1;
            for (; i < words.length && words[i].matches("[0-9a-f]{32}\\+.*"); i++) {
                if (!words[i].startsWith(EMPTY_BLOCK)) { // the SDK writes no file for the empty block
                    data.append(Files.readString(keep.resolve(words[i].substring(0, 32))));
                }
            }
            for (; i < words.length; i++) {
                String[] segment = words[i].split(":", 3);
                int start = Integer.parseInt(segment[0]);
                files.put(segment[2], data.substring(start, start + Integer.parseInt(segment[1])));
            }
        }
        return files;
    }

    private static String localGrep(String text, String pattern) {
        StringBuilder out = new StringBuilder();
        text.lines().filter(line -> Pattern.compile(pattern).matcher(line).find())
                .forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }

    private static List<String> sortedByUuid(Iterable<JsonNode> items) {
        List<String> out = new ArrayList<>();
        items.forEach(item -> out.add(item.get("uuid").asText() + " " + item.get("sequence").asInt() + " "
                + item.get("success").asBoolean() + " " + item.path("output").asText("null")));
        out.sort(String::compareTo);
        return out;
    }

    private static Path resource(String name) throws Exception {
        return Path.of(RealSdksCrunchJobTest.class.getResource("/crunch/" + name).toURI());
    }

    private static Map<String, String> inputFiles() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("alpha.txt", "apple\nbanana\ncherry\n");
        files.put("beta.txt", "bread\nbutter\njam\n");
        files.put("gamma.txt", "oats\nrye\n");
        return files;
    }

    private static String pdh(String manifest) throws Exception {
        byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
        return md5(bytes) + "+" + bytes.length;
    }

    private static String md5(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }
}
