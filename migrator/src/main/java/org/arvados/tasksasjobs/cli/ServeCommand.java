package org.arvados.tasksasjobs.cli;

import java.sql.Connection;
import java.sql.SQLException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.arvados.tasksasjobs.backfill.MigrationRefusedException;
import org.arvados.tasksasjobs.changelog.SchemaState;
import org.arvados.tasksasjobs.gateway.Gateway;
import org.arvados.tasksasjobs.gateway.GatewaySettings;
import org.arvados.tasksasjobs.gateway.GatewayStartException;
import org.arvados.tasksasjobs.gateway.http.Limits;
import org.arvados.tasksasjobs.gateway.http.ServerOptions;
import org.arvados.tasksasjobs.gateway.http.TlsFiles;
import org.arvados.tasksasjobs.gateway.http.Upstream;
import org.arvados.tasksasjobs.yaml.SnakeYamlDecoder;
import org.postgresql.PGProperty;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code serve}: the job_tasks gateway over a migrated database, until stopped (Ctrl-C, SIGTERM, or an interrupt
 * of the thread running it, which is how tests stop it).
 */
@Command(name = "serve", sortOptions = false,
        description = {"Serves /arvados/v1/job_tasks (the old API, translated to task-like jobs) and /arvados/v1/jobs"
                + " (task-like jobs included) over a migrated database, with the discovery document the Arvados SDKs"
                + " read, so crunch scripts and crunch-job run against it with only ARVADOS_API_HOST changed."
                + " With --upstream every other path (collections, users, ...) is forwarded to the real API server."
                + " Plain HTTP is served on loopback only; --tls-cert and --tls-key serve https anywhere.",
                "Tokens (Authorization: OAuth2 <token>) come from the database's api_client_authorizations and users"
                        + " tables, or from --tokens FILE: one '<token> <user uuid> [admin]' a line."})
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "TCP port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = GatewaySettings.LOOPBACK,
            description = "address to listen on (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "" + GatewaySettings.DEFAULT_THREADS,
            description = "request threads, one database connection each (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--tokens", paramLabel = "FILE",
            description = "read API tokens from FILE instead of the database's api_client_authorizations table")
    Path tokens;

    @Option(names = "--inherit-policy", paramLabel = "FILE",
            description = "the inherit policy the migration ran with (JSON {\"script\": [\"key\", ...]}; default: every"
                    + " parent key), so tasks created here are mapped as migrated ones were")
    Path inheritPolicy;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "serve https with this PEM certificate chain (server certificate first); needs --tls-key")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "the PEM private key of --tls-cert (unencrypted PKCS#8, RSA or EC)")
    Path tlsKey;

    @Option(names = "--upstream", paramLabel = "URL",
            description = "forward every path the gateway does not serve (collections, users, keep_services, logs,"
                    + " jobs/{uuid}/lock, ...) to this Arvados API server, e.g. https://api.example:443; without it"
                    + " such paths answer 404")
    String upstream;

    @Option(names = "--upstream-insecure",
            description = "accept the upstream's certificate unchecked (a self-signed test cluster), as"
                    + " ARVADOS_API_HOST_INSECURE does")
    boolean upstreamInsecure;

    @Option(names = "--management-token", paramLabel = "TOKEN", defaultValue = "${env:ARVADOS_MANAGEMENT_TOKEN}",
            description = "the token GET /_health/ping asks for (Authorization: Bearer TOKEN); default: the"
                    + " ARVADOS_MANAGEMENT_TOKEN environment variable, which keeps it out of `ps`. Without one the"
                    + " health check answers 404.")
    String managementToken;

    @Option(names = "--uuid-prefix", paramLabel = "PREFIX",
            description = "the cluster's uuid prefix for the discovery document (default: read from the database's"
                    + " system user)")
    String uuidPrefix;

    @Option(names = "--max-body", paramLabel = "SIZE", defaultValue = "16MB", converter = ByteSizeText.class,
            description = "the largest request body the gateway parses; above it the answer is 413, before the body is"
                    + " read when its length is declared (default: ${DEFAULT-VALUE}). Forwarded bodies are streamed.")
    long maxBody;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "1000",
            description = "client connections open at once; past it a new one is closed at once (default:"
                    + " ${DEFAULT-VALUE})")
    int maxConnections;

    @Option(names = "--head-timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationText.class,
            description = "a request's line and headers must all arrive within this, or the connection is closed"
                    + " (default: ${DEFAULT-VALUE})")
    Duration headTimeout;

    @Option(names = "--body-timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationText.class,
            description = "a request's body must all arrive within this once its headers did (default:"
                    + " ${DEFAULT-VALUE})")
    Duration bodyTimeout;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationText.class,
            description = "a kept-alive connection with no request for this long is closed (default: ${DEFAULT-VALUE})")
    Duration idleTimeout;

    @Option(names = "--allow-partial-migration",
            description = "Serve although no backfill has finished here (tasks not yet carried are invisible to scripts"
                    + " meanwhile); by default serve waits for a finished migrate.")
    boolean allowPartialMigration;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw MigratorException.usage("--port must be between 0 and 65535, not " + port);
        }
        if (threads < 1 || threads > 1000) {
            throw MigratorException.usage("--threads must be between 1 and 1000, not " + threads);
        }
        if (tokens != null && !Files.isReadable(tokens)) {
            throw MigratorException.usage("--tokens " + tokens + ": no such readable file");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw MigratorException.usage("--tls-cert and --tls-key go together");
        }
        if (upstreamInsecure && upstream == null) {
            throw MigratorException.usage("--upstream-insecure needs --upstream");
        }
        TlsFiles tls = tlsCert == null ? null : new TlsFiles(tlsCert, tlsKey);
        Upstream forwardTo;
        try {
            forwardTo = upstream == null ? null : Upstream.of(upstream, upstreamInsecure);
        } catch (IllegalArgumentException e) {
            throw MigratorException.usage(e.getMessage());
        }
        if (uuidPrefix != null && !uuidPrefix.matches("[a-z0-9]{5}")) {
            throw MigratorException.usage("--uuid-prefix is five lower-case letters or digits, not " + uuidPrefix);
        }
        ServerOptions server;
        try { // checked before any connection
            server = new ServerOptions(bind, port, threads, tls, forwardTo, managementToken,
                    new Limits(headTimeout, bodyTimeout, idleTimeout, maxConnections, maxBody));
        } catch (IllegalArgumentException e) {
            throw MigratorException.usage(e.getMessage().replaceFirst("^gateway: ", "serve: "));
        }
        PrintWriter out = spec.commandLine().getOut();
        try (DatabaseTarget target = connection.open("tasks-as-jobs serve")) {
            requireMigrated(target, allowPartialMigration);
            var properties = target.connectionProperties();
            GatewaySettings settings;
            try {
                settings = new GatewaySettings(target.jdbcUrl(), PGProperty.USER.getOrDefault(properties),
                        PGProperty.PASSWORD.getOrDefault(properties), server, tokens,
                        InheritPolicyFile.read(inheritPolicy), new SnakeYamlDecoder(), uuidPrefix);
            } catch (IllegalArgumentException e) {
                throw MigratorException.usage(e.getMessage().replaceFirst("^gateway: ", "serve: "));
            }
            Gateway gateway;
            try {
                gateway = Gateway.start(settings, Clock.systemUTC(), System.err, line -> {
                    synchronized (out) {
                        out.println(line);
                        out.flush();
                    }
                });
            } catch (GatewayStartException e) {
                throw MigratorException.failure("serve: " + e.getMessage(), e);
            }
            CountDownLatch stop = new CountDownLatch(1);
            // Any other way the JVM ends (SIGHUP, a System.exit elsewhere): still let requests in flight finish.
            Thread hook = new Thread(gateway::close, "tasks-as-jobs serve shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            boolean interrupted = false;
            try (TerminationSignals signals = TerminationSignals.onTermination(stop::countDown)) {
                out.printf("serving /arvados/v1/job_tasks and /arvados/v1/jobs of %s at %s://%s:%d/ (tokens from %s%s);"
                        + " Ctrl-C stops%n", target.describe(), tls == null ? "http" : "https",
                        bind.contains(":") ? "[" + bind + "]" : bind, gateway.port(),
                        tokens == null ? "the database" : tokens,
                        forwardTo == null ? "" : "; other paths forwarded to " + forwardTo.url());
                out.flush();
                stop.await();
            } catch (InterruptedException e) {
                interrupted = true; // stopped by the thread's owner, as tests stop it; kept set once stopped
            }
            out.println("stopping: no new requests; waiting for those in flight");
            out.flush();
            gateway.close(); // waits for requests in flight, which an interrupt set on this thread would cut short
            Runtime.getRuntime().removeShutdownHook(hook);
            out.println("gateway stopped");
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return ExitCode.OK;
        }
    }

    /**
     * The gateway serves tasks as task-like jobs: the expand phase must have run, and unless told otherwise a backfill
     * must have finished, or scripts would miss the tasks not carried yet.
     */
    private static void requireMigrated(DatabaseTarget target, boolean allowPartial) throws SQLException {
        try (Connection c = target.connect()) {
            SchemaState schema = SchemaState.read(c);
            String why = schema.whyNotArvados();
            if (why != null) {
                throw new MigrationRefusedException("serve: " + why);
            }
            if (!schema.expanded()) {
                throw new MigrationRefusedException("serve: this database is not migrated (jobs has no task-like job"
                        + " columns); run `tasks-as-jobs migrate` first");
            }
            if (!schema.backfilled() && !allowPartial) {
                throw new MigrationRefusedException("serve: no backfill has finished on this database, so some tasks are"
                        + " not task-like jobs yet and scripts would not see them; run `tasks-as-jobs migrate` to the end"
                        + " first, or pass --allow-partial-migration to serve what is there");
            }
        }
    }
}
