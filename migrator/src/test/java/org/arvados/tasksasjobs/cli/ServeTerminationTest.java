package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} in a JVM of its own, stopped with SIGTERM as systemd stops it while scripts write: the request in
 * flight when the signal came gets its answer, the process exits 0, and every create that was answered 200 is in
 * the database; killed with SIGKILL instead, it loses no create it answered either.
 */
@ExtendWith(FreshDatabaseExtension.class)
class ServeTerminationTest {

    private static final String TOKEN = "servetesttoken0123456789abcdefghijklmnopqrstuvwxyz";
    private static final Pattern ADDRESS = Pattern.compile("at http://127\\.0\\.0\\.1:(\\d+)/");

    @TempDir
    Path dir;

    @Test
    void sigtermDuringWritesAnswersWhatIsInFlightExitsZeroAndLosesNothing(TestDatabase db) throws Exception {
        String job = migratedJob(db);
        try (ChildMigrator serve = serve(db)) {
            StringBuilder printed = new StringBuilder();
            int port = port(serve, printed);

            Writers writers = new Writers(port, job);
            assertTrue(writers.enoughWritten.await(2, TimeUnit.MINUTES), "no writes acknowledged");

            // A request in flight: its head and half its body sent when the signal comes.
            try (Socket inFlight = new Socket("127.0.0.1", port)) {
                inFlight.setSoTimeout(60_000);
                byte[] body = createBody(job, 1_000_000).getBytes(StandardCharsets.UTF_8);
                OutputStream out = inFlight.getOutputStream();
                out.write(("POST /arvados/v1/job_tasks HTTP/1.1\r\nHost: x\r\nAuthorization: OAuth2 " + TOKEN
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body, 0, body.length / 2);
                out.flush();
                // The head is read once the gateway answers a request sent after it on another connection.
                assertEquals(200, writers.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/arvados/v1/job_tasks?limit=1")).header("Authorization", "OAuth2 " + TOKEN).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());

                serve.terminate();
                assertTrue(serve.awaitLine("stopping", printed), printed.toString());
                out.write(body, body.length / 2, body.length - body.length / 2);
                out.flush();
                String answer = new String(readAnswer(inFlight.getInputStream()), StandardCharsets.UTF_8);
                assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
                Matcher uuid = Pattern.compile("\"uuid\":\"([a-z0-9-]+)\"").matcher(answer);
                assertTrue(uuid.find(), answer);
                writers.acknowledged.add(uuid.group(1));
            }

            Cli.Run end = serve.finish();
            writers.awaitStopped();
            assertEquals(ExitCode.OK, end.exitCode(), printed + end.out());
            assertTrue(end.out().contains("gateway stopped"), printed + end.out());
            assertTrue(writers.wrong.isEmpty(), writers.wrong.toString());
            assertEquals(writers.acknowledged.size(), stored(db, writers.acknowledged), "acknowledged creates missing");
        }
    }

    @Test
    void sigkillDuringWritesLosesNoAcknowledgedCreate(TestDatabase db) throws Exception {
        String job = migratedJob(db);
        try (ChildMigrator serve = serve(db)) {
            Writers writers = new Writers(port(serve, new StringBuilder()), job);
            assertTrue(writers.enoughWritten.await(2, TimeUnit.MINUTES), "no writes acknowledged");
            serve.kill(); // in the middle of the writers' creates: no hook, no graceful stop
            writers.awaitStopped();
            assertTrue(writers.wrong.isEmpty(), writers.wrong.toString());
            assertEquals(writers.acknowledged.size(), stored(db, writers.acknowledged), "acknowledged creates missing");
        }
    }

    /** Four scripts creating tasks in a loop until the gateway stops answering; what was answered 200 is kept. */
    private static final class Writers {
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final List<String> wrong = new ArrayList<>();
        final CountDownLatch enoughWritten = new CountDownLatch(40);
        final HttpClient client = HttpClient.newHttpClient();
        private final ExecutorService pool = Executors.newFixedThreadPool(4);
        private final AtomicInteger sequence = new AtomicInteger();

        Writers(int port, String job) {
            for (int w = 0; w < 4; w++) {
                pool.submit(() -> {
                    while (true) {
                        HttpResponse<String> created;
                        try {
                            created = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                    + "/arvados/v1/job_tasks")).header("Authorization", "OAuth2 " + TOKEN)
                                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                            createBody(job, sequence.incrementAndGet()))).build(),
                                    HttpResponse.BodyHandlers.ofString());
                        } catch (Exception gone) {
                            return null; // refused, closed or reset: the gateway has stopped
                        }
                        if (created.statusCode() == 200) {
                            Matcher uuid = Pattern.compile("\"uuid\":\"([a-z0-9-]+)\"").matcher(created.body());
                            assertTrue(uuid.find(), created.body());
                            acknowledged.add(uuid.group(1));
                            enoughWritten.countDown();
                        } else if (created.statusCode() != 503) { // 503: stopping, not acknowledged
                            synchronized (wrong) {
                                wrong.add(created.statusCode() + " " + created.body());
                            }
                        }
                    }
                });
            }
        }

        void awaitStopped() throws InterruptedException {
            pool.shutdown();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES), "writers still running");
        }
    }

    /** A seeded, migrated database; one of its jobs, under which the writers create tasks. */
    private static String migratedJob(TestDatabase db) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "5", "--tasks-per-job", "2").exitCode());
        assertEquals(ExitCode.OK, run("migrate", "--url", db.jdbcUrl()).exitCode());
        return Sql.column(db, "SELECT uuid FROM jobs WHERE parent_job_uuid IS NULL ORDER BY uuid LIMIT 1").get(0);
    }

    /** {@code serve} in a JVM of its own with a small heap, an admin token and four threads. */
    private ChildMigrator serve(TestDatabase db) throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), TOKEN + " zzzzz-tpzed-000000000000000 admin\n");
        return ChildMigrator.start(Map.of(), List.of("-Xmx256m"), "serve", "--url", db.jdbcUrl(), "--port", "0",
                "--tokens", tokens.toString(), "--threads", "4");
    }

    /** The port {@code serve} printed it listens on, once it did; what it printed is kept in {@code printed}. */
    private static int port(ChildMigrator serve, StringBuilder printed) throws Exception {
        assertTrue(serve.awaitLine("serving", printed), printed.toString());
        Matcher address = ADDRESS.matcher(printed);
        assertTrue(address.find(), printed.toString());
        return Integer.parseInt(address.group(1));
    }

    private static String createBody(String job, int n) {
        return "{\"job_task\": {\"job_uuid\": \"" + job + "\", \"sequence\": 1, \"parameters\": {\"n\": " + n
                + ", \"pad\": \"" + "x".repeat(2000) + "\"}}}";
    }

    /** The status line, headers and body of one answer on a connection the server closes or keeps. */
    private static byte[] readAnswer(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString().getBytes(StandardCharsets.ISO_8859_1);
            }
            head.append((char) b);
        }
        Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : in.readAllBytes();
        return (head + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }

    private static long stored(TestDatabase db, Set<String> uuids) throws Exception {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM jobs WHERE legacy_task_uuid = ANY(?)")) {
            Array array = c.createArrayOf("text", uuids.toArray());
            s.setArray(1, array);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
