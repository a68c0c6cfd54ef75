package org.arvados.tasksasjobs.gateway.http;

import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.arvados.tasksasjobs.gateway.Gateway;
import org.arvados.tasksasjobs.gateway.MigratedArvadosExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The limits a client meets (Limits): total deadlines for a request's head and body however the bytes trickle in,
 * the keep-alive idle timeout, the connection cap, the body cap; and that slow clients hold no request thread.
 * Deadlines are shortened to a second so the test is quick; the clients here pace their bytes, which is what is
 * under test, and every wait for the server is a blocking read with a timeout, never a sleep.
 */
@ExtendWith(MigratedArvadosExtension.class)
class GatewayLimitsTest {

    private static final Limits SHORT = Limits.DEFAULTS.withHeadTimeout(Duration.ofSeconds(1))
            .withBodyTimeout(Duration.ofSeconds(1)).withIdleTimeout(Duration.ofSeconds(30));

    private static final String LIST = "GET /arvados/v1/job_tasks HTTP/1.1\r\nHost: x\r\nAuthorization: OAuth2 "
            + ALICE_TOKEN + "\r\n\r\n";

    @Test
    void aHeadTricklingInIsCutAtItsTotalDeadlineThoughNoGapIsLong(TestDatabase db) throws Exception {
        try (Gateway gateway = Gateway.start(ArvadosJobs.settings(db).withLimits(SHORT));
             Socket socket = connect(gateway)) {
            OutputStream out = socket.getOutputStream();
            long start = System.nanoTime();
            byte[] head = "GET /arvados/v1/job_tasks HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                    .getBytes(StandardCharsets.US_ASCII);
            boolean cut = false;
            for (byte b : head) {
                try {
                    out.write(b);
                    out.flush();
                } catch (SocketException e) {
                    cut = true;
                    break;
                }
                if (closedWithin(socket, 100)) { // the client's pace: a byte every 100 ms, never idle for long
                    cut = true;
                    break;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(cut, "a head still arriving after " + seconds + " s was not cut");
            assertTrue(seconds >= 0.9 && seconds < 3, "cut after " + seconds + " s, deadline 1 s");
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAtTheHeadDeadline(TestDatabase db) throws Exception {
        try (Gateway gateway = Gateway.start(ArvadosJobs.settings(db).withLimits(SHORT));
             Socket socket = connect(gateway)) {
            long start = System.nanoTime();
            assertTrue(closedWithin(socket, 5_000), "a silent connection was kept");
            assertTrue((System.nanoTime() - start) / 1e9 >= 0.9);
        }
    }

    @Test
    void aKeptAliveConnectionWaitsForItsNextRequestUntilTheIdleTimeout(TestDatabase db) throws Exception {
        Limits idle = SHORT.withIdleTimeout(Duration.ofSeconds(2));
        try (Gateway gateway = Gateway.start(ArvadosJobs.settings(db).withLimits(idle));
             Socket socket = connect(gateway)) {
            assertEquals(200, exchange(socket, LIST));
            // Longer than the head deadline, shorter than the idle timeout: still open, and it answers.
            assertTrue(!closedWithin(socket, 1_500), "closed while kept alive");
            assertEquals(200, exchange(socket, LIST));
            long start = System.nanoTime();
            assertTrue(closedWithin(socket, 10_000), "an idle connection was kept past the idle timeout");
            assertTrue((System.nanoTime() - start) / 1e9 >= 1.5);
        }
    }

    @Test
    void aBodyTricklingInIsCutAtItsDeadlineAndHoldsNoThread(TestDatabase db) throws Exception {
        // Two request threads, six slow bodies: if a body held a thread, the list below would wait.
        try (Gateway gateway = Gateway.start(ArvadosJobs.settings(db).withThreads(2).withLimits(
                SHORT.withBodyTimeout(Duration.ofSeconds(3))))) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    Socket socket = connect(gateway);
                    slow.add(socket);
                    socket.getOutputStream().write(("POST /arvados/v1/job_tasks HTTP/1.1\r\nHost: x\r\nAuthorization:"
                            + " OAuth2 " + ALICE_TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: 1000"
                            + "\r\n\r\n{\"job_task\":").getBytes(StandardCharsets.US_ASCII));
                }
                long start = System.nanoTime();
                try (Socket client = connect(gateway)) {
                    assertEquals(200, exchange(client, LIST));
                }
                assertTrue((System.nanoTime() - start) / 1e9 < 2, "a list waited behind slow bodies");
                long cut = System.nanoTime();
                for (Socket socket : slow) {
                    assertTrue(closedWithin(socket, 10_000), "a body still arriving was not cut");
                }
                assertTrue((System.nanoTime() - cut) / 1e9 < 6);
            } finally {
                for (Socket socket : slow) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void connectionsPastTheCapAreClosedAtOnceAndTheCapFreesAsTheyClose(TestDatabase db) throws Exception {
        try (Gateway gateway = Gateway.start(ArvadosJobs.settings(db).withLimits(SHORT.withMaxConnections(3)
                .withHeadTimeout(Duration.ofSeconds(30))))) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket socket = connect(gateway);
                    held.add(socket);
                    assertEquals(200, exchange(socket, LIST)); // accepted and served: counted
                }
                try (Socket fourth = connect(gateway)) {
                    assertTrue(closedWithin(fourth, 5_000), "a fourth connection was kept");
                }
                held.remove(0).close();
                Socket again = null;
                // The server counts the close when it reads it; a new connection is served once it has.
                for (int attempt = 0; attempt < 50 && again == null; attempt++) {
                    Socket socket = connect(gateway);
                    if (!closedWithin(socket, 100)) {
                        again = socket;
                    } else {
                        socket.close();
                    }
                }
                assertTrue(again != null, "no connection was accepted after one closed");
                held.add(again);
                assertEquals(200, exchange(again, LIST));
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void bodiesOverTheCapAre413DeclaredOrChunked(TestDatabase db) throws Exception {
        try (Gateway gateway = Gateway.start(ArvadosJobs.settings(db).withLimits(SHORT.withMaxBodyBytes(2048)))) {
            try (Socket socket = connect(gateway)) {
                // Declared: answered from the headers, the body never sent.
                assertEquals(413, exchange(socket, "POST /arvados/v1/job_tasks HTTP/1.1\r\nHost: x\r\nAuthorization:"
                        + " OAuth2 " + ALICE_TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: 100000"
                        + "\r\n\r\n"));
            }
            try (Socket socket = connect(gateway)) {
                StringBuilder chunked = new StringBuilder("POST /arvados/v1/job_tasks HTTP/1.1\r\nHost: x\r\n"
                        + "Authorization: OAuth2 " + ALICE_TOKEN + "\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n");
                for (int i = 0; i < 5; i++) {
                    chunked.append("400\r\n").append("a".repeat(1024)).append("\r\n");
                }
                chunked.append("0\r\n\r\n");
                assertEquals(413, exchange(socket, chunked.toString()));
            }
            try (Socket socket = connect(gateway)) {
                // Without a token: 401, whatever the body.
                assertEquals(401, exchange(socket, "POST /arvados/v1/job_tasks HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n"));
            }
        }
    }

    private static Socket connect(Gateway gateway) throws IOException {
        Socket socket = new Socket("127.0.0.1", gateway.port());
        socket.setTcpNoDelay(true);
        return socket;
    }

    /**
     * Whether the server closed {@code socket} within {@code millis} (a blocking read that ends in end-of-stream or
     * a reset); false when the read times out with the socket still open. Bytes the server sends are skipped.
     */
    private static boolean closedWithin(Socket socket, int millis) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        InputStream in = socket.getInputStream();
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) left);
            try {
                if (in.read() < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (SocketException e) {
                return true; // reset
            }
        }
    }

    /** Sends a raw request and reads one response on a kept-alive connection; returns its status. */
    static int exchange(Socket socket, String request) throws IOException {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        String statusLine = line(in);
        int length = 0;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(header.substring(15).strip());
            }
        }
        in.readNBytes(length);
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    /** One line of a response head, without its CR LF. */
    static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed after \"" + line + "\"");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
