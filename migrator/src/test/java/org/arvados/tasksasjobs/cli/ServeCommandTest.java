package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(FreshDatabaseExtension.class)
class ServeCommandTest {

    private static final String TOKEN = "servetesttoken0123456789abcdefghijklmnopqrstuvwxyz";
    private static final Pattern ADDRESS = Pattern.compile("at http://127\\.0\\.0\\.1:(\\d+)/");

    @TempDir
    Path dir;

    @Test
    void servesTheMigratedDatabaseUntilStopped(TestDatabase db) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "20", "--tasks-per-job", "5").exitCode());
        assertEquals(ExitCode.OK, run("migrate", "--url", db.jdbcUrl()).exitCode());
        Path tokens = Files.writeString(dir.resolve("tokens"), TOKEN + " zzzzz-tpzed-000000000000000 admin\n");

        PipedInputStream printed = new PipedInputStream();
        PrintStream out = new PrintStream(new PipedOutputStream(printed), true, StandardCharsets.UTF_8);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread serve = new Thread(() -> exit.set(TasksAsJobs.execute(new String[] {"serve", "--url", db.jdbcUrl(),
                "--port", "0", "--tokens", tokens.toString(), "--threads", "2"}, out, new PrintStream(err, true))));
        serve.start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(printed, StandardCharsets.UTF_8));
        String started = lines.readLine();
        assertNotNull(started, err.toString());
        Matcher address = ADDRESS.matcher(started);
        assertTrue(address.find(), started);
        assertFalse(started.contains(TOKEN));

        HttpResponse<String> list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + address.group(1) + "/arvados/v1/job_tasks?limit=3"))
                .header("Authorization", "OAuth2 " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, list.statusCode(), list.body());
        JsonNode page = new ObjectMapper().readTree(list.body());
        assertEquals("arvados#jobTaskList", page.get("kind").asText());
        assertEquals(3, page.get("items").size());
        assertEquals(Sql.count(db, "SELECT count(*) FROM jobs WHERE parent_job_uuid IS NOT NULL"),
                page.get("items_available").asLong());

        // The access log: one line for the request, the user named, the token not.
        String logged = lines.readLine();
        assertTrue(logged.matches("\\S+ 127\\.0\\.0\\.1 GET /arvados/v1/job_tasks 200 \\d+ms zzzzz-tpzed-000000000000000"),
                logged);

        serve.interrupt();
        serve.join();
        assertEquals(ExitCode.OK, exit.get(), err.toString());
        assertEquals("stopping: no new requests; waiting for those in flight", lines.readLine());
        assertEquals("gateway stopped", lines.readLine());
    }

    @Test
    void refusesADatabaseThatIsNotMigrated(TestDatabase db) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "2", "--tasks-per-job", "2").exitCode());
        Path tokens = Files.writeString(dir.resolve("tokens"), TOKEN + " zzzzz-tpzed-000000000000000\n");

        Cli.Run serve = run("serve", "--url", db.jdbcUrl(), "--port", "0", "--tokens", tokens.toString());

        assertEquals(ExitCode.FAILURE, serve.exitCode());
        assertTrue(serve.err().contains("not migrated") && serve.err().contains("migrate"), serve.err());
        assertFalse(serve.err().contains("Exception"), serve.err());
    }

    @Test
    void refusesAnExpandedDatabaseWhoseBackfillHasNotFinishedUnlessAllowed(TestDatabase db) throws Exception {
        assertEquals(ExitCode.OK, run("seed", "--url", db.jdbcUrl(), "--jobs", "2", "--tasks-per-job", "2").exitCode());
        assertEquals(ExitCode.OK, run("migrate", "--url", db.jdbcUrl(), "--phases", "expand").exitCode());
        Path tokens = Files.writeString(dir.resolve("tokens"), TOKEN + " zzzzz-tpzed-000000000000000\n");

        Cli.Run serve = run("serve", "--url", db.jdbcUrl(), "--port", "0", "--tokens", tokens.toString());

        assertEquals(ExitCode.FAILURE, serve.exitCode());
        assertTrue(serve.err().contains("no backfill has finished") && serve.err().contains("--allow-partial-migration"),
                serve.err());
        // Told it may, it gets past the check (and then fails only on the port, which the test keeps taken).
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.Run allowed = run("serve", "--url", db.jdbcUrl(), "--port", Integer.toString(taken.getLocalPort()),
                    "--tokens", tokens.toString(), "--allow-partial-migration");
            assertEquals(ExitCode.FAILURE, allowed.exitCode());
            assertTrue(allowed.err().contains("cannot listen on"), allowed.err());
        }
    }

    @Test
    void checksItsOptionsBeforeTouchingTheDatabase() {
        Cli.Run port = run("serve", "--url", "jdbc:postgresql://127.0.0.1:1/none", "--port", "70000");
        assertEquals(ExitCode.USAGE, port.exitCode());
        assertTrue(port.err().contains("--port"), port.err());

        Cli.Run tokens = run("serve", "--url", "jdbc:postgresql://127.0.0.1:1/none", "--tokens", dir.resolve("missing").toString());
        assertEquals(ExitCode.USAGE, tokens.exitCode());
        assertTrue(tokens.err().contains("--tokens"), tokens.err());

        Cli.Run plain = run("serve", "--url", "jdbc:postgresql://127.0.0.1:1/none", "--bind", "0.0.0.0");
        assertEquals(ExitCode.USAGE, plain.exitCode());
        assertTrue(plain.err().contains("loopback only") && plain.err().contains("--tls-cert"), plain.err());

        Cli.Run halfTls = run("serve", "--url", "jdbc:postgresql://127.0.0.1:1/none", "--tls-cert", "x.pem");
        assertEquals(ExitCode.USAGE, halfTls.exitCode());
        assertTrue(halfTls.err().contains("--tls-key"), halfTls.err());

        Cli.Run upstream = run("serve", "--url", "jdbc:postgresql://127.0.0.1:1/none", "--upstream", "ftp://x/");
        assertEquals(ExitCode.USAGE, upstream.exitCode());
        assertTrue(upstream.err().contains("--upstream"), upstream.err());
    }
}
