package org.arvados.tasksasjobs.gateway.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.arvados.tasksasjobs.gateway.auth.Authenticator;
import org.arvados.tasksasjobs.gateway.tasks.JobTasksService;
import org.arvados.tasksasjobs.gateway.tasks.JobsService;

/**
 * The gateway's HTTP side on the JDK's own server ({@code jdk.httpserver}): no dependency to keep up, and ample
 * for gateway traffic on loopback. Requests run on a fixed pool of {@code threads} threads, the same number as
 * database connections, so a burst queues in the server instead of waiting on the connection pool.
 */
public final class GatewayServer implements AutoCloseable {

    /** The largest request body read: far above any real task, small enough to keep a bad client from hurting. */
    public static final long MAX_BODY_BYTES = 64L * 1024 * 1024;

    /** Connections the kernel queues before the server accepts them: a benchmark's burst, not the default 50. */
    private static final int BACKLOG = 1024;

    private final HttpServer server;
    private final ExecutorService workers;

    private GatewayServer(HttpServer server, ExecutorService workers) {
        this.server = server;
        this.workers = workers;
    }

    /**
     * Binds {@code bindAddress:port} (port 0: any free one) and starts serving {@code /arvados/v1/job_tasks} and
     * {@code /arvados/v1/jobs}.
     *
     * @param errors where 500s' stack traces and outages go (stderr in production); never a token
     * @throws IOException when the address cannot be bound
     */
    private static final String NODELAY = "sun.net.httpserver.nodelay";

    public static GatewayServer start(String bindAddress, int port, int threads, Authenticator authenticator,
            JobTasksService tasks, JobsService jobs, Clock clock, PrintStream errors) throws IOException {
        disableNagle();
        HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), BACKLOG);
        ExecutorService workers = Executors.newFixedThreadPool(threads, new Named("tasks-as-jobs-gateway-"));
        server.setExecutor(workers);
        // HttpServer.create has bound the port; nothing below can fail short of a bug, so no unbinding path.
        server.createContext("/", new ApiHandler(
                Map.of("job_tasks", Resource.of(tasks), "jobs", Resource.of(jobs)),
                authenticator, new JsonBody(MAX_BODY_BYTES), new ErrorBody(clock), errors));
        server.start();
        return new GatewayServer(server, workers);
    }

    /** The bound port: the one asked for, or the one the system chose for port 0. */
    public int port() {
        return server.getAddress().getPort();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * Stops accepting, closes connections, and waits up to ten seconds for running requests to finish their
     * database work (their answers are lost with the connections; clients retry).
     */
    @Override
    public void close() {
        server.stop(0);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Worker threads named for thread dumps. */
    private static final class Named implements ThreadFactory {
        private final String prefix;
        private final AtomicInteger next = new AtomicInteger(1);

        Named(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable task) {
            return new Thread(task, prefix + next.getAndIncrement());
        }
    }

    /**
     * The JDK server writes a response's headers and its body as two packets; with Nagle's algorithm on, the body
     * waits for the client's delayed ACK of the headers, about 40 ms on Linux, so every request took 44 ms on
     * loopback whatever it did. The server's only switch is this property, read once when its configuration class
     * loads, so it is set before the first server is created (unless the operator set it either way).
     */
    private static void disableNagle() {
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
    }
}
