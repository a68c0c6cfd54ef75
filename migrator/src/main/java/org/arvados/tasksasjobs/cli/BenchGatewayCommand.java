package org.arvados.tasksasjobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.arvados.tasksasjobs.backfill.BackfillListener;
import org.arvados.tasksasjobs.backfill.BackfillSettings;
import org.arvados.tasksasjobs.bench.AttackBenchReport;
import org.arvados.tasksasjobs.bench.Attackers;
import org.arvados.tasksasjobs.bench.GatewayBenchReport;
import org.arvados.tasksasjobs.bench.GatewayBenchmark;
import org.arvados.tasksasjobs.bench.LoadRunner;
import org.arvados.tasksasjobs.bench.Machine;
import org.arvados.tasksasjobs.bench.PermissionGraphSeed;
import org.arvados.tasksasjobs.bench.ScriptTraffic;
import org.arvados.tasksasjobs.changelog.BaselineSchema;
import org.arvados.tasksasjobs.changelog.Phase;
import org.arvados.tasksasjobs.gateway.Gateway;
import org.arvados.tasksasjobs.gateway.GatewaySettings;
import org.arvados.tasksasjobs.migration.Migrator;
import org.arvados.tasksasjobs.seed.SeedGenerator;
import org.arvados.tasksasjobs.seed.SeedSpec;
import org.arvados.tasksasjobs.yaml.SnakeYamlDecoder;
import org.postgresql.PGProperty;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench-gateway}: requests per second and p50/p99 latency of task get, create and update through the
 * gateway's job_tasks endpoint and through its jobs endpoint, in one run. Always on its own embedded PostgreSQL
 * (seeded, migrated): a benchmark writes thousands of tasks, which no real database should receive.
 */
@Command(name = "bench-gateway", sortOptions = false,
        description = {"Measures the gateway on loopback: task get, create and update through /arvados/v1/job_tasks"
                + " and the same through /arvados/v1/jobs, on one embedded PostgreSQL (seeded and migrated first),"
                + " in one run; prints requests/s, p50 and p99 latency and the job_tasks/jobs ratio."})
final class BenchGatewayCommand implements Callable<Integer> {

    private static final String BENCH_USER = "zzzzz-tpzed-benchuser000001";

    @Spec
    CommandSpec spec;

    @Option(names = "--requests", paramLabel = "N", defaultValue = "2000",
            description = "measured requests per operation and endpoint (default: ${DEFAULT-VALUE})")
    int requests;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "500",
            description = "uncounted requests per operation and endpoint first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--concurrency", paramLabel = "C", defaultValue = "4",
            description = "concurrent clients, each waiting for its answer before the next request (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "8",
            description = "gateway request threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--seed-jobs", paramLabel = "N", defaultValue = "2000",
            description = "jobs seeded (10 tasks each) and migrated before measuring (default: ${DEFAULT-VALUE})")
    int seedJobs;

    @Option(names = "--permission-links", paramLabel = "N", defaultValue = "100000",
            description = "then measure again with N permission links (and N/2 groups) in the database, the"
                    + " benchmark's user reaching its jobs through a role group and nested projects rather than as"
                    + " their owner; 0 skips that run (default: ${DEFAULT-VALUE})")
    int permissionLinks;

    /**
     * Where to measure: by default an embedded server of its own (fsync off, deleted at exit); with --url a real
     * server, as a DBA runs one (an empty database, which the benchmark seeds).
     */
    @Mixin
    ConnectionOptions connection;

    @Mixin
    JsonOutput json;

    @Option(names = "--attack", description = "instead: script-like traffic (create, get, list, update a task) alone,"
            + " then while slow-loris connections, oversized bodies and pathological queries hit the same gateway;"
            + " prints both runs' p50/p99 and errors (docs/operations.md, \"Under attack\")")
    boolean attack;

    @Option(names = "--slow-loris", paramLabel = "N", defaultValue = "200",
            description = "with --attack: connections sending their heads a byte at a time (default: ${DEFAULT-VALUE})")
    int slowLoris;

    @Override
    public Integer call() throws Exception {
        if (requests < 1 || warmup < 0 || concurrency < 1 || threads < 1 || seedJobs < 1 || permissionLinks < 0
                || permissionLinks > 10_000_000 || slowLoris < 0 || slowLoris > 900) {
            throw MigratorException.usage("--requests, --concurrency, --threads and --seed-jobs must be at least 1,"
                    + " --warmup at least 0, --permission-links between 0 and 10000000, --slow-loris between 0 and 900"
                    + " (under the gateway's connection cap)");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.println("bench-gateway: " + (connection.given() ? "connecting to the database" : "starting an embedded"
                + " PostgreSQL (fsync off; give --url for a real server)") + ", seeding and migrating " + seedJobs
                + " jobs...");
        err.flush();
        Path tokens = Files.createTempFile("tasks-as-jobs-bench", ".tokens");
        try (DatabaseTarget target = connection.given() ? connection.open("tasks-as-jobs bench-gateway")
                : DatabaseTarget.embedded(EmbeddedDatabase.start(null), "tasks-as-jobs bench-gateway", 30);
             Connection c = target.connect()) {
            try {
                BaselineSchema.apply(c);
            } catch (BaselineSchema.BaselineRefusedException e) {
                throw MigratorException.usage("bench-gateway --url needs an empty database to seed: " + e.getMessage());
            }
            new SeedGenerator(new SeedSpec(seedJobs, 10, 1, false)).writeTo(c);
            new Migrator(c, BackfillListener.NONE).migrate(
                    new Migrator.Options(List.of(Phase.EXPAND, Phase.BACKFILL), BackfillSettings.defaults()));
            List<String> parents = parents(c);
            PermissionGraphSeed.createTables(c); // empty: the first run is the figure without links
            String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
            Files.writeString(tokens, token + " " + BENCH_USER + "\n");
            Machine machine = Machine.describe(c);
            var properties = target.connectionProperties();
            GatewaySettings settings = GatewaySettings.of(target.jdbcUrl(), PGProperty.USER.getOrDefault(properties),
                    PGProperty.PASSWORD.getOrDefault(properties), new SnakeYamlDecoder()).withThreads(threads)
                    .withTokensFile(tokens);
            // No access log: a line per measured request would be the benchmark's own overhead.
            try (Gateway gateway = Gateway.start(settings, java.time.Clock.systemUTC(), System.err)) {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                if (attack) {
                    AttackBenchReport report = underAttack(gateway, http, token, parents, machine, err);
                    report.printTable(json.textStream(out, err));
                    json.write(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report.toJson()), out);
                    return ExitCode.OK;
                }
                GatewayBenchmark benchmark = new GatewayBenchmark(URI.create("http://127.0.0.1:" + gateway.port() + "/"),
                        token, parents, new LoadRunner(http, concurrency));
                err.println("bench-gateway: measuring " + requests + " requests per operation and endpoint"
                        + " (after " + warmup + " to warm up)...");
                err.flush();
                List<GatewayBenchmark.Figures> plain = benchmark.run(warmup, requests);
                List<GatewayBenchmark.Figures> withLinks = List.of();
                if (permissionLinks > 0) {
                    err.println("bench-gateway: adding " + permissionLinks + " permission links, measuring again...");
                    err.flush();
                    PermissionGraphSeed.populate(c, permissionLinks, BENCH_USER, parents);
                    withLinks = benchmark.run(warmup, requests);
                }
                GatewayBenchReport report = new GatewayBenchReport(machine, concurrency, plain, permissionLinks,
                        withLinks);
                report.printTable(json.textStream(out, err));
                json.write(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report.toJson()), out);
            }
            return ExitCode.OK;
        } finally {
            Files.deleteIfExists(tokens);
        }
    }

    /**
     * The script-like traffic alone, then under attack. The attack gets a head start of a warm-up round, so every
     * slow-loris connection is open and the streams are running when the measured round starts.
     */
    private AttackBenchReport underAttack(Gateway gateway, HttpClient http, String token, List<String> parents,
            Machine machine, PrintWriter err) throws Exception {
        URI base = URI.create("http://127.0.0.1:" + gateway.port() + "/");
        ScriptTraffic traffic = new ScriptTraffic(http, base, token, parents, concurrency);
        int rounds = Math.max(1, requests / (4 * concurrency));
        int warmRounds = Math.max(1, warmup / (4 * concurrency));
        err.println("bench-gateway: script-like traffic alone, " + rounds * 4 * concurrency + " requests...");
        err.flush();
        traffic.run("warmup", warmRounds);
        ScriptTraffic.Result alone = traffic.run("alone", rounds);
        err.println("bench-gateway: the same under attack (" + slowLoris + " slow-loris connections, oversized"
                + " bodies, pathological queries)...");
        err.flush();
        Attackers attackers = new Attackers(new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port()),
                token, parents.get(0), slowLoris).start();
        try {
            traffic.run("attack-warmup", warmRounds);
            ScriptTraffic.Result underAttack = traffic.run("attack", rounds);
            return new AttackBenchReport(machine, concurrency, alone, underAttack, attackers.counts());
        } finally {
            attackers.close();
        }
    }

    /** Fifty top-level jobs, handed to the benchmark's user so that every request passes the ownership check. */
    private static List<String> parents(Connection c) throws Exception {
        List<String> parents = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("""
                UPDATE jobs SET owner_uuid = ?
                WHERE id IN (SELECT id FROM jobs WHERE parent_job_uuid IS NULL ORDER BY id LIMIT 50)
                RETURNING uuid
                """)) {
            st.setString(1, BENCH_USER);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    parents.add(rs.getString(1));
                }
            }
        }
        return parents;
    }
}
