package org.arvados.tasksasjobs.gateway.http;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.arvados.tasksasjobs.gateway.auth.Authenticator;
import org.arvados.tasksasjobs.gateway.tasks.JobTasksService;
import org.arvados.tasksasjobs.gateway.tasks.JobsService;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The gateway's HTTP(S) server: Jetty, with the handlers in the order a request meets them: the health check, the
 * discovery document, the gateway's own collections, then the upstream (or a 404) for every other path
 * (gateway/README.md, "Why Jetty").
 */
public final class GatewayServer implements AutoCloseable {

    /** Pending connections the kernel keeps, so a burst of task starts queues rather than being refused. */
    private static final int BACKLOG = 1024;

    /** Threads Jetty itself needs beside the request threads: the acceptor, the selector, spare. */
    private static final int JETTY_THREADS = 8;

    /**
     * The JDK sends TLS 1.3 session tickets unless the server's session timeout exceeds the longest ticket lifetime
     * (7 days, RFC 8446 §4.6.1); the Perl SDK's Crypt::SSLeay blocks forever on a ticket, so none may be sent.
     */
    static final int NO_TICKET_SESSION_TIMEOUT_SECONDS = 7 * 24 * 3600 + 1;

    private final Server server;
    private final ServerConnector connector;
    private final String bindAddress;

    private GatewayServer(Server server, ServerConnector connector, String bindAddress) {
        this.server = server;
        this.connector = connector;
        this.bindAddress = bindAddress;
    }

    /**
     * Binds and starts serving.
     *
     * @param uuidPrefix the cluster's uuid prefix, for the discovery document
     * @param errors where 500s' stack traces and outages go (stderr in production); never a token
     * @param accessLog takes the access log's lines, from many threads at once
     * @throws IOException when the address cannot be bound or the TLS files cannot be used (one-line message)
     */
    public static GatewayServer start(ServerOptions options, Authenticator authenticator, JobTasksService tasks,
            JobsService jobs, String uuidPrefix, Clock clock, PrintStream errors, Consumer<String> accessLog)
            throws IOException {
        ErrorBody errorBodies = new ErrorBody(clock);
        JsonBody bodies = new JsonBody(options.limits().maxBodyBytes());
        Map<String, Resource> resources = Map.of("job_tasks", Resource.of(tasks), "jobs", Resource.of(jobs));
        List<Handler> handlers = new ArrayList<>();
        handlers.add(new HealthHandler(options.managementToken(), errorBodies));
        handlers.add(new DiscoveryHandler(new DiscoveryDocument(List.of(ResourceSchema.JOB_TASK, ResourceSchema.JOB),
                uuidPrefix, options.upstream() != null), errorBodies));
        handlers.add(new ApiHandler(resources, authenticator, bodies, errorBodies, errors));
        handlers.add(options.upstream() == null ? new NotFoundHandler(errorBodies)
                : new UpstreamHandler(options.upstream()));
        return serve(options, new Handler.Sequence(handlers), errorBodies, clock, accessLog);
    }

    /** Starts a server in front of {@code handler}: for {@link #start} and for tests of one handler. */
    static GatewayServer serve(ServerOptions options, Handler handler, ErrorBody errorBodies, Clock clock,
            Consumer<String> accessLog) throws IOException {
        QueuedThreadPool pool = new QueuedThreadPool(options.threads() + JETTY_THREADS,
                Math.min(options.threads(), 4));
        pool.setName("tasks-as-jobs-gateway");
        // Requests in flight are waited for by the graceful handler below; by the time the pool stops, its threads
        // only wait on idle keep-alive connections, and waiting for those cost every stop a second.
        pool.setStopTimeout(100);
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector;
        if (options.secure()) {
            http.addCustomizer(secureCustomizer());
            connector = new ServerConnector(server, 1, 1,
                    new SslConnectionFactory(tls(options.tls()), "http/1.1"), new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        }
        connector.setHost(options.bindAddress());
        connector.setPort(options.port());
        connector.setAcceptQueueSize(BACKLOG);
        Limits limits = options.limits();
        connector.setIdleTimeout(limits.idleTimeout().toMillis()); // a kept-alive connection with no request
        connector.addEventListener(new ConnectionCap(limits.maxConnections()));
        ReadDeadlines deadlines = new ReadDeadlines(limits);
        connector.addEventListener(deadlines);
        server.addBean(deadlines);
        server.addConnector(connector);
        // On stop: refuse new requests (503) and let those in flight finish and get their answers.
        GracefulHandler graceful = new GracefulHandler(handler);
        graceful.setShutdownIdleTimeout(100); // idle keep-alive connections: closed at once, not after a second
        server.setHandler(graceful);
        server.setErrorHandler(new ArvadosErrorHandler(errorBodies));
        server.setRequestLog(new AccessLog(accessLog, clock));
        server.setStopTimeout(10_000);
        try {
            server.start();
        } catch (IOException e) {
            stopQuietly(server);
            throw e;
        } catch (Exception e) {
            stopQuietly(server);
            throw new IOException(e.getMessage(), e);
        }
        return new GatewayServer(server, connector, options.bindAddress());
    }

    private static SslContextFactory.Server tls(TlsFiles files) throws IOException {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(PemKeyStore.load(files));
        tls.setKeyStorePassword(new String(PemKeyStore.PASSWORD));
        tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        tls.setRenegotiationAllowed(false);
        tls.setSslSessionTimeout(NO_TICKET_SESSION_TIMEOUT_SECONDS);
        return tls;
    }

    private static SecureRequestCustomizer secureCustomizer() {
        SecureRequestCustomizer customizer = new SecureRequestCustomizer();
        // Clients reach a gateway by an address or a tunnel as often as by its certificate's name; with
        // ARVADOS_API_HOST_INSECURE they check no name either, so the server does not refuse them for it.
        customizer.setSniHostCheck(false);
        customizer.setSniRequired(false);
        return customizer;
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            // already failing to start: the start's failure is the one to report
        }
    }

    /** The bound port: the one asked for, or the one the system chose for port 0. */
    public int port() {
        return connector.getLocalPort();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(bindAddress, port());
    }

    /** Stops accepting and waits up to ten seconds for requests in flight to finish and be answered. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("gateway: the HTTP server did not stop cleanly: " + e.getMessage(), e);
        }
    }
}
