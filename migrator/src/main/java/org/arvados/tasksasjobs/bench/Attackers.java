package org.arvados.tasksasjobs.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a hostile or careless client throws at the gateway, all at once, on loopback, until closed: slow-loris
 * connections that send their request heads a byte at a time (and come back when cut), a stream of bodies far over
 * the size cap (declared, undeclared and without a token), and a stream of pathological queries (tens of thousands
 * of filters, JSON nested 10,000 deep, a million-digit limit, a 70,000-value in-list, a leading-wildcard like). Each
 * stream is one thread of raw sockets, since the point is bytes no HTTP client library would send.
 */
public final class Attackers implements AutoCloseable {

    /** What the attack did, and every status it was answered with. */
    public record Counts(int slowLorisConnections, long slowLorisCut, long oversizedSent, long oversizedReadWhole,
            long pathologicalSent, Map<Integer, Long> statuses) {

        /** Answers 500 and above: each one a failure of the gateway, not of the attacker. */
        public long serverErrors() {
            return statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue).sum();
        }
    }

    private static final int OVERSIZE = 64 << 20;
    private static final byte[] CHUNK = new byte[64 << 10];

    private final InetSocketAddress gateway;
    private final String token;
    private final int slowLorisConnections;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final LongAdder slowLorisCut = new LongAdder();
    private final LongAdder oversizedSent = new LongAdder();
    private final LongAdder oversizedReadWhole = new LongAdder();
    private final LongAdder pathologicalSent = new LongAdder();
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<String> pathological;

    /**
     * @param gateway the gateway's address (loopback)
     * @param token a valid token: a careless script's oversized bodies and queries carry one, which gets them past
     *              the 401 into the checks of the body and parameters
     * @param parent a job the token may read, named in the in-list and like queries
     */
    public Attackers(InetSocketAddress gateway, String token, String parent, int slowLorisConnections) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        if (!gateway.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the attack runs on loopback only, not against " + gateway);
        }
        this.token = Objects.requireNonNull(token, "token");
        this.slowLorisConnections = slowLorisConnections;
        this.pathological = pathologicalForms(parent);
    }

    /** Starts the three streams; they run until {@link #close()}. */
    public Attackers start() {
        threads.add(new Thread(this::slowLoris, "attack-slow-loris"));
        threads.add(new Thread(this::oversized, "attack-oversized"));
        threads.add(new Thread(this::pathological, "attack-pathological"));
        for (Thread thread : threads) {
            thread.setDaemon(true);
            thread.start();
        }
        return this;
    }

    public Counts counts() {
        Map<Integer, Long> seen = new TreeMap<>();
        statuses.forEach((status, count) -> seen.put(status, count.get()));
        return new Counts(slowLorisConnections, slowLorisCut.sum(), oversizedSent.sum(), oversizedReadWhole.sum(),
                pathologicalSent.sum(), seen);
    }

    /** Stops every stream and closes its sockets. */
    @Override
    public void close() throws InterruptedException {
        stopping.set(true);
        for (Thread thread : threads) {
            thread.join(30_000);
        }
    }

    private void slowLoris() {
        Socket[] sockets = new Socket[slowLorisConnections];
        byte[] head = ("GET /arvados/v1/job_tasks HTTP/1.1\r\nHost: x\r\nX-Slow: "
                + "a".repeat(4000)).getBytes(StandardCharsets.US_ASCII);
        int[] sent = new int[slowLorisConnections];
        try {
            while (!stopping.get()) {
                long cycle = System.nanoTime();
                for (int i = 0; i < sockets.length && !stopping.get(); i++) {
                    try {
                        if (sockets[i] == null) {
                            sockets[i] = new Socket();
                            sockets[i].connect(gateway, 5_000);
                            sent[i] = 0;
                        }
                        OutputStream out = sockets[i].getOutputStream();
                        out.write(head[sent[i]++ % head.length]);
                        out.flush();
                    } catch (IOException cut) {
                        closeQuietly(sockets[i]);
                        sockets[i] = null;
                        slowLorisCut.increment();
                    }
                }
                // A byte per connection every half second: never idle long, never done.
                long left = 500 - (System.nanoTime() - cycle) / 1_000_000;
                if (left > 0) {
                    Thread.sleep(left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (Socket socket : sockets) {
                closeQuietly(socket);
            }
        }
    }

    private void oversized() {
        for (int n = 0; !stopping.get(); n++) {
            boolean chunked = n % 3 == 2;
            boolean withToken = n % 3 != 1;
            try (Socket socket = new Socket()) {
                socket.connect(gateway, 5_000);
                socket.setSoTimeout(15_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /arvados/v1/job_tasks HTTP/1.1\r\nHost: x\r\n"
                        + (withToken ? "Authorization: OAuth2 " + token + "\r\n" : "")
                        + "Content-Type: application/json\r\n"
                        + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + OVERSIZE + "\r\n")
                        + "\r\n").getBytes(StandardCharsets.US_ASCII));
                oversizedSent.increment();
                long written = 0;
                try {
                    while (written < OVERSIZE && !stopping.get()) {
                        if (chunked) {
                            out.write((Integer.toHexString(CHUNK.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        }
                        out.write(CHUNK);
                        if (chunked) {
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                        written += CHUNK.length;
                    }
                    if (written >= OVERSIZE) {
                        oversizedReadWhole.increment(); // the gateway took it all: its cap did not hold
                    }
                } catch (IOException refused) {
                    // answered and closed before the body was all sent: what the cap is for
                }
                count(status(socket.getInputStream()));
            } catch (IOException e) {
                count(0); // no answer could be read: the connection was reset
            }
        }
    }

    private void pathological() {
        for (int n = 0; !stopping.get(); n++) {
            String form = pathological.get(n % pathological.size());
            byte[] body = form.getBytes(StandardCharsets.UTF_8);
            try (Socket socket = new Socket()) {
                socket.connect(gateway, 5_000);
                socket.setSoTimeout(60_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /arvados/v1/job_tasks HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: OAuth2 "
                        + token + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                        + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                pathologicalSent.increment();
                count(status(socket.getInputStream()));
            } catch (IOException e) {
                count(0);
            }
        }
    }

    /** The form bodies (read as a GET by {@code _method}) of the pathological queries, in the order sent. */
    private static List<String> pathologicalForms(String parent) {
        List<String> forms = new ArrayList<>();
        forms.add(list("filters", "[" + "[\"uuid\",\"=\",\"x\"],".repeat(30_000) + "[\"uuid\",\"=\",\"x\"]]"));
        forms.add(list("filters", "[".repeat(10_000) + "]".repeat(10_000)));
        forms.add("_method=GET&limit=" + "9".repeat(1_000_000));
        StringBuilder in = new StringBuilder("[\"" + parent + "\"");
        for (int i = 0; i < 70_000; i++) {
            in.append(String.format(",\"zzzzz-ot0gb-%015d\"", i));
        }
        forms.add(list("filters", "[[\"job_uuid\",\"in\"," + in + "]]]"));
        forms.add(list("filters", "[[\"parameters\",\"like\",\"%a%\"],[\"uuid\",\"ilike\",\"%Z%\"]]"));
        forms.add(list("order", "[" + "\"uuid\",".repeat(200) + "\"uuid\"]"));
        forms.add(list("filters", "[[\"uuid\",\"like\",\"abc\\\\\"]]"));
        return List.copyOf(forms);
    }

    private static String list(String parameter, String json) {
        return "_method=GET&" + parameter + "=" + URLEncoder.encode(json, StandardCharsets.UTF_8);
    }

    private void count(int status) {
        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
    }

    /** The status of the answer on {@code in}; 0 when none came. */
    private static int status(InputStream in) {
        try {
            byte[] line = new byte[12];
            int read = in.readNBytes(line, 0, line.length);
            String text = new String(line, 0, read, StandardCharsets.US_ASCII);
            return text.startsWith("HTTP/1.1 ") && read == 12 ? Integer.parseInt(text.substring(9, 12)) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing an attack socket: nothing to report
            }
        }
    }
}
