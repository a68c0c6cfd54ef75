package org.arvados.tasksasjobs.gateway;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.arvados.tasksasjobs.gateway.auth.Authenticator;
import org.arvados.tasksasjobs.gateway.auth.TokenSource;
import org.arvados.tasksasjobs.gateway.auth.TokenSources;
import org.arvados.tasksasjobs.gateway.http.GatewayServer;
import org.arvados.tasksasjobs.gateway.http.TlsFiles;
import org.arvados.tasksasjobs.gateway.tasks.JobTasksService;
import org.arvados.tasksasjobs.gateway.tasks.JobsService;

/**
 * The running gateway: a connection pool on the migrated database, a token source, the two services, and the
 * HTTP server in front of them. {@code tasks-as-jobs serve} starts one and closes it on exit; tests start one
 * per database. Everything is checked before the port is opened, so a gateway that starts can answer.
 */
public final class Gateway implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final GatewayServer server;
    private final String tokenSource;

    private Gateway(HikariDataSource dataSource, GatewayServer server, String tokenSource) {
        this.dataSource = dataSource;
        this.server = server;
        this.tokenSource = tokenSource;
    }

    /** Starts a gateway with the system clock, the access log on stdout and internal errors on stderr. */
    public static Gateway start(GatewaySettings settings) throws GatewayStartException {
        return start(settings, Clock.systemUTC(), System.err, System.out::println);
    }

    /** As {@link #start(GatewaySettings, Clock, PrintStream, PrintStream)}, with no access log. */
    public static Gateway start(GatewaySettings settings, Clock clock, PrintStream errors)
            throws GatewayStartException {
        return start(settings, clock, errors, line -> { });
    }

    /**
     * Starts a gateway.
     *
     * @param clock what "now" is for token expiry and the rows written
     * @param errors where internal errors (stack traces) and database outages are reported
     * @param accessLog takes the access log's lines, one per request, from many threads at once
     * @throws GatewayStartException with a one-line message: the database cannot be reached, there is no token
     *         source, or the address cannot be bound. Whether the database is migrated is the caller's to check
     *         ({@code tasks-as-jobs serve} reads changelogs' SchemaState)
     */
    public static Gateway start(GatewaySettings settings, Clock clock, PrintStream errors, Consumer<String> accessLog)
            throws GatewayStartException {
        HikariDataSource dataSource = pool(settings);
        try {
            TokenSource tokens = tokenSource(settings, dataSource, clock);
            JobTasksService tasks = new JobTasksService(dataSource, settings.yaml(), settings.inheritPolicy(), clock);
            JobsService jobs = new JobsService(dataSource, settings.yaml(), settings.inheritPolicy(), clock);
            String uuidPrefix = settings.uuidPrefix() != null ? settings.uuidPrefix() : ClusterPrefix.read(dataSource);
            if (settings.server().tls() != null) {
                requireReadable(settings.server().tls());
            }
            GatewayServer server;
            try {
                server = GatewayServer.start(settings.server(), new Authenticator(tokens), tasks, jobs,
                        uuidPrefix, clock, errors, accessLog);
            } catch (IOException e) {
                throw new GatewayStartException(e.getMessage() != null && e.getMessage().startsWith("--tls-")
                        ? e.getMessage()
                        : "cannot listen on " + settings.server().bindAddress() + ":" + settings.server().port() + ": " + e.getMessage(),
                        e);
            }
            return new Gateway(dataSource, server, settings.tokensFile() == null
                    ? "the database's api_client_authorizations and users tables"
                    : "the tokens file " + settings.tokensFile());
        } catch (GatewayStartException | RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /** The TLS files are read at start; a missing one is the operator's to fix, named before anything binds. */
    private static void requireReadable(TlsFiles tls) throws GatewayStartException {
        for (Path file : List.of(tls.certificateChain(), tls.privateKey())) {
            if (!Files.isReadable(file)) {
                throw new GatewayStartException((file.equals(tls.privateKey()) ? "--tls-key " : "--tls-cert ") + file
                        + ": no such readable file");
            }
        }
    }

    /** How long one statement of a request may run; longer is a 422 (http.ApiHandler). */
    public static final int STATEMENT_TIMEOUT_SECONDS = 30;

    /**
     * Every gateway session: a statement timeout, so no request holds a connection and a server backend for long,
     * and JIT off where the server has it (PostgreSQL 11+), since a query compiled by JIT ignored cancel and
     * timeout for minutes. One statement that works on every supported server version.
     */
    static final String SESSION_SETTINGS = "SELECT set_config('statement_timeout', '"
            + STATEMENT_TIMEOUT_SECONDS + "s', false), CASE WHEN current_setting('jit', true) IS NOT NULL"
            + " THEN set_config('jit', 'off', false) END";

    static HikariDataSource pool(GatewaySettings settings) throws GatewayStartException {
        HikariConfig config = new HikariConfig();
        config.setPoolName("tasks-as-jobs-gateway");
        config.setJdbcUrl(settings.jdbcUrl());
        if (settings.user() != null) {
            config.setUsername(settings.user());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        // One connection per request thread: a request never waits on the pool while a thread is free.
        config.setMaximumPoolSize(settings.server().threads());
        // A request that cannot get a connection within this time answers 503 rather than hanging the client.
        config.setConnectionTimeout(10_000);
        config.setConnectionInitSql(SESSION_SETTINGS);
        try {
            return new HikariDataSource(config); // connects once now: an unreachable database fails here
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new GatewayStartException("cannot connect to the database: " + firstLine(cause.getMessage()), e);
        }
    }

    private static TokenSource tokenSource(GatewaySettings settings, DataSource dataSource, Clock clock)
            throws GatewayStartException {
        try {
            return TokenSources.choose(dataSource, settings.tokensFile(), settings.yaml(), clock);
        } catch (IllegalArgumentException e) {
            throw new GatewayStartException(e.getMessage(), e);
        } catch (IOException e) {
            throw new GatewayStartException("cannot read the tokens file " + settings.tokensFile() + ": "
                    + e.getMessage(), e);
        } catch (SQLException e) {
            throw new GatewayStartException("cannot look for the token tables: " + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** The port the gateway listens on (the one chosen by the system when the settings said 0). */
    public int port() {
        return server.port();
    }

    public InetSocketAddress address() {
        return server.address();
    }

    /** Where tokens are looked up, for {@code serve}'s start-up line (names no token). */
    public String tokenSource() {
        return tokenSource;
    }

    /** Stops the server, then the pool: requests still running get their connections until they finish. */
    @Override
    public void close() {
        try {
            server.close();
        } finally {
            dataSource.close();
        }
    }
}
