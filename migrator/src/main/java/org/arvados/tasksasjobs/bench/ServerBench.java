package org.arvados.tasksasjobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.arvados.tasksasjobs.changelog.BaselineSchema;
import org.arvados.tasksasjobs.seed.SeedGenerator;
import org.arvados.tasksasjobs.seed.SeedSpec;
import org.arvados.tasksasjobs.seed.SeedSummary;

/**
 * The migration measured as a DBA runs it: against an existing PostgreSQL server, the command line started as a
 * process of its own for every variant (JVM start-up, connection, expand and everything after the backfill included),
 * each variant on a fresh copy ({@code CREATE DATABASE ... TEMPLATE}) of the same seeded database. The yardstick
 * ({@link BaselineInsert}) is timed on copies of its own before and after the variants; their mean is what every
 * variant is divided by, and their spread says how far to trust a ratio. See docs/benchmarks.md.
 *
 * <p>The tasks are seeded once in job order (a job's tasks side by side, as the seed writes them) and, for the
 * {@link Order#LEVEL} runs, renumbered in task-level order: every sequence-0 task before every sequence-1 task, as
 * ids run on a cluster where many jobs fan out at once; a task's creator is then often in another worker's range.
 *
 * <p>Every migrate variant must end with the same task-like jobs: each run's rows are digested ({@link #rowsDigest})
 * and compared with the single-worker migrate of the same order.
 */
public final class ServerBench {

    /** Where the benchmark's databases live. */
    public interface Server {
        /** A JDBC URL for {@code database}, without a password (the child processes get it in their environment). */
        String jdbcUrl(String database);

        Connection connect(String database) throws SQLException;

        /** Environment for the command line's processes: the password, if any, as PGPASSWORD. */
        Map<String, String> childEnvironment();
    }

    /** How tasks are numbered in job_tasks. */
    public enum Order {
        JOB("job"), LEVEL("task-level");

        private final String label;

        Order(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** {@code job} or {@code task-level}. */
        public static Order of(String label) {
            for (Order o : values()) {
                if (o.label.equals(label)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("unknown task order '" + label + "'; choose job or task-level");
        }
    }

    /**
     * @param workers {@code --workers} of the parallel variants
     * @param orders  the task orders to run the migrate variants on
     * @param maxHeap the child JVM's -Xmx, e.g. 256m: the heap a user gives it
     * @param rounds  how many times every variant runs, each time on a fresh copy; the rounds are interleaved (every
     *                variant once, then again), so a drift of the machine touches each variant alike
     */
    public record Plan(int workers, Set<Order> orders, String maxHeap, int rounds) {
        /** The most rounds a run may ask for: each costs every variant's time again. */
        public static final int MAX_ROUNDS = 9;

        public Plan {
            orders = Set.copyOf(orders);
            if (orders.isEmpty()) {
                throw new IllegalArgumentException("choose at least one task order");
            }
            if (workers < 2) {
                throw new IllegalArgumentException("the parallel variants need at least 2 workers, not " + workers);
            }
            if (rounds < 1 || rounds > MAX_ROUNDS) {
                throw new IllegalArgumentException("rounds must be between 1 and " + MAX_ROUNDS + ", not " + rounds);
            }
            Objects.requireNonNull(maxHeap, "maxHeap");
        }
    }

    /**
     * One variant's run.
     *
     * @param round               which round of the run (from 1)
     * @param seconds             wall time of the child process, or of the yardstick's statement
     * @param indexRebuildSeconds part of {@code seconds} rebuilding deferred indexes; NaN where none were
     * @param peakHeapBytes       the most heap in use before any collection of the child (its GC log); 0 when none ran
     * @param liveHeapBytes       the most heap left after a collection
     * @param rowsDigest          md5 over every task-like job (all columns but id), in legacy task uuid order
     */
    public record Run(String variant, Order order, int round, int workers, double seconds, long rows,
                      double indexRebuildSeconds, long peakHeapBytes, long liveHeapBytes, String rowsDigest) {
    }

    /** The yardstick's timings: before the first round and after each one. */
    public record Yardstick(List<Double> seconds) {
        public Yardstick {
            seconds = List.copyOf(seconds);
            if (seconds.size() < 2) {
                throw new IllegalArgumentException("the yardstick is timed before and after the variants");
            }
        }

        public double before() {
            return seconds.get(0);
        }

        public double after() {
            return seconds.get(seconds.size() - 1);
        }

        public double mean() {
            return seconds.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        }

        /** The largest timing less the smallest, over the mean. */
        public double spread() {
            double max = seconds.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            double min = seconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            return (max - min) / mean();
        }
    }

    /** What a benchmark run found. */
    public record Outcome(long tasks, Yardstick yardstick, List<Run> runs, Map<String, String> settings) {
    }

    /** The server settings that decide how fast a write-heavy job runs, printed with every report. */
    public static final List<String> SETTINGS = List.of("fsync", "synchronous_commit", "full_page_writes", "shared_buffers",
            "max_wal_size", "checkpoint_timeout", "jit", "max_parallel_maintenance_workers", "maintenance_work_mem",
            "work_mem", "wal_compression", "autovacuum");

    private static final String PREFIX = "tasks_as_jobs_bench_";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Server server;
    private final CommandLineProcess cli;
    private final PrintWriter progress;

    public ServerBench(Server server, CommandLineProcess cli, PrintWriter progress) {
        this.server = Objects.requireNonNull(server, "server");
        this.cli = Objects.requireNonNull(cli, "cli");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** Seeds the job-order template and, when {@code plan} runs that order, derives the task-level one from it. */
    public SeedSummary seed(SeedSpec spec, Plan plan) throws Exception {
        String jobOrder = template(Order.JOB);
        recreate(jobOrder, null);
        say("seeding %,d jobs x %d tasks into %s...", spec.jobs(), spec.tasksPerJob(), jobOrder);
        SeedSummary seeded;
        try (Connection c = server.connect(jobOrder)) {
            BaselineSchema.apply(c);
            seeded = new SeedGenerator(spec).writeTo(c);
            vacuum(c);
        }
        if (!plan.orders().contains(Order.LEVEL)) {
            return seeded;
        }
        String levels = template(Order.LEVEL);
        recreate(levels, jobOrder);
        say("renumbering the tasks of %s in task-level order...", levels);
        try (Connection c = server.connect(levels)) {
            renumberByLevel(c);
            vacuum(c);
        }
        return seeded;
    }

    /**
     * The yardstick, then in each round the variants on each order (verify and a rerun on the job order's migrate) and
     * the yardstick again.
     */
    public Outcome run(Plan plan, long tasks) throws Exception {
        Map<String, String> settings = settings();
        List<Run> runs = new ArrayList<>();
        List<Double> yardstick = new ArrayList<>();
        yardstick.add(yardstick(plan));
        for (int round = 1; round <= plan.rounds(); round++) {
            if (plan.rounds() > 1) {
                say("round %d of %d", round, plan.rounds());
            }
            for (Order order : Order.values()) {
                if (plan.orders().contains(order)) {
                    runs.addAll(migrateVariants(order, plan, round));
                }
            }
            yardstick.add(yardstick(plan));
        }
        return new Outcome(tasks, new Yardstick(yardstick), runs, settings);
    }

    /** Drops every database this benchmark made. */
    public void dropAll() throws SQLException {
        for (Order o : Order.values()) {
            drop(template(o));
        }
        drop(PREFIX + "run");
    }

    private List<Run> migrateVariants(Order order, Plan plan, int round) throws Exception {
        List<Run> runs = new ArrayList<>();
        String workers = Integer.toString(plan.workers());
        String db = PREFIX + "run";

        // migrate, then verify and a rerun on its result (job order only: they read the same rows either way).
        recreate(db, template(order));
        Path baseline = Files.createTempFile("tasks-as-jobs-bench", ".jsonl");
        try {
            boolean more = order == Order.JOB;
            if (more) {
                cli.run(plan.maxHeap(), server.childEnvironment(), "verify", "--url", server.jdbcUrl(db),
                        "--record-baseline", baseline.toString()).requireSuccess("verify --record-baseline");
            }
            Run migrate = migrate("migrate", order, round, 1, db, plan);
            runs.add(migrate);
            if (more) {
                say("%s order: verify...", order.label());
                CommandLineProcess.Result verify = cli.run(plan.maxHeap(), server.childEnvironment(), "verify", "--url",
                        server.jdbcUrl(db), "--baseline", baseline.toString()).requireSuccess("verify");
                runs.add(new Run("verify", order, round, 1, verify.seconds(), tasks(db), Double.NaN, verify.peakHeapBytes(),
                        verify.liveHeapBytes(), null));
                say("%s order: migrate again (nothing to do)...", order.label());
                CommandLineProcess.Result rerun = cli.run(plan.maxHeap(), server.childEnvironment(), "migrate", "--url",
                        server.jdbcUrl(db), "--json").requireSuccess("migrate (again)");
                runs.add(new Run("rerun", order, round, 1, rerun.seconds(), migrated(rerun), Double.NaN, rerun.peakHeapBytes(),
                        rerun.liveHeapBytes(), rowsDigest(db)));
            }
        } finally {
            Files.deleteIfExists(baseline);
        }

        recreate(db, template(order));
        runs.add(migrate("migrate-workers", order, round, plan.workers(), db, plan, "--workers", workers));
        recreate(db, template(order));
        runs.add(migrate("migrate-deferred", order, round, plan.workers(), db, plan, "--defer-indexes", "--workers", workers));
        drop(db);
        return runs;
    }

    private Run migrate(String variant, Order order, int round, int workers, String db, Plan plan, String... options) throws Exception {
        say("%s order: %s%s...", order.label(), variant, options.length == 0 ? "" : " " + String.join(" ", options));
        List<String> args = new ArrayList<>(List.of("migrate", "--url", server.jdbcUrl(db), "--json"));
        args.addAll(List.of(options));
        CommandLineProcess.Result r = cli.run(plan.maxHeap(), server.childEnvironment(), args.toArray(String[]::new))
                .requireSuccess(variant);
        JsonNode json = lastJson(r);
        double rebuild = json.path("indexes_rebuilt").isEmpty() ? Double.NaN : json.get("index_rebuild_seconds").asDouble();
        say("%s order: %s: %.1f s", order.label(), variant, r.seconds());
        return new Run(variant, order, round, workers, r.seconds(), migrated(r), rebuild, r.peakHeapBytes(), r.liveHeapBytes(),
                rowsDigest(db));
    }

    /** The yardstick on a fresh, expanded copy of the job-order seed; returns its statement's wall time. */
    private double yardstick(Plan plan) throws Exception {
        String db = PREFIX + "run";
        recreate(db, template(Order.JOB));
        cli.run(plan.maxHeap(), server.childEnvironment(), "migrate", "--url", server.jdbcUrl(db), "--phases", "expand")
                .requireSuccess("migrate --phases expand (before the yardstick)");
        say("yardstick: one INSERT ... SELECT...");
        double seconds;
        try (Connection c = server.connect(db)) {
            checkpoint(c);
            long start = System.nanoTime();
            BaselineInsert.run(c);
            seconds = (System.nanoTime() - start) / 1e9;
        }
        drop(db);
        say("yardstick: %.1f s", seconds);
        return seconds;
    }

    /**
     * md5 over every task-like job with all its columns but the surrogate id, in legacy task uuid order, and over
     * the quarantine (task ids and reasons): two runs that wrote the same rows give the same digest.
     */
    String rowsDigest(String db) throws SQLException {
        try (Connection c = server.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     SELECT md5(coalesce((SELECT string_agg(md5((to_jsonb(j) - 'id')::text), '' ORDER BY j.legacy_task_uuid)
                                          FROM jobs j WHERE j.legacy_task_uuid IS NOT NULL), '')
                                || coalesce((SELECT string_agg(q.task_id || ':' || q.reason, ',' ORDER BY q.task_id)
                                             FROM job_tasks_quarantine q), ''))
                     """)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private long tasks(String db) throws SQLException {
        try (Connection c = server.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM job_tasks")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Map<String, String> settings() throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        try (Connection c = server.connect(template(Order.JOB)); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT version()")) {
                rs.next();
                values.put("version", rs.getString(1));
            }
            for (String name : SETTINGS) {
                try (ResultSet rs = st.executeQuery("SELECT current_setting('" + name + "', true)")) {
                    rs.next();
                    values.put(name, rs.getString(1));
                }
            }
        }
        return values;
    }

    /** A CHECKPOINT where the role may (pg_checkpoint or superuser), so no run pays for the one before's dirty pages. */
    private static void checkpoint(Connection c) {
        try (Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
        } catch (SQLException e) {
            // Without the privilege the runs simply take their chances alike; copies are made fresh either way.
        }
    }

    /** Renumbers job_tasks by (sequence, id): ids in the order a cluster running many jobs at once hands them out. */
    private static void renumberByLevel(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("""
                    DO $renumber$
                    DECLARE cols text;
                    BEGIN
                        SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols
                        FROM pg_attribute WHERE attrelid = 'job_tasks'::regclass AND attnum > 0 AND NOT attisdropped
                          AND attname <> 'id';
                        CREATE TEMPORARY TABLE by_level AS SELECT * FROM job_tasks ORDER BY sequence, id;
                        TRUNCATE job_tasks;
                        PERFORM setval('job_tasks_id_seq', 1, false);
                        EXECUTE format('INSERT INTO job_tasks (%s) SELECT %s FROM by_level ORDER BY sequence, id', cols, cols);
                        DROP TABLE by_level;
                    END
                    $renumber$
                    """);
        }
    }

    private static void vacuum(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("VACUUM ANALYZE jobs");
            st.execute("VACUUM ANALYZE job_tasks");
        }
    }

    private static long migrated(CommandLineProcess.Result r) throws IOException {
        JsonNode backfill = lastJson(r).get("backfill");
        return backfill == null ? 0 : backfill.get("migrated").asLong();
    }

    /** migrate --json prints one JSON object on its standard output. */
    private static JsonNode lastJson(CommandLineProcess.Result r) throws IOException {
        String out = r.stdout().strip();
        int start = out.lastIndexOf("\n{");
        return JSON.readTree(start < 0 ? out : out.substring(start + 1));
    }

    private static String template(Order order) {
        return PREFIX + (order == Order.JOB ? "seed" : "seed_levels");
    }

    private void recreate(String db, String template) throws SQLException {
        drop(db);
        try (Connection admin = server.connect(null); Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + db + (template == null ? " TEMPLATE template0" : " TEMPLATE " + template));
        }
    }

    private void drop(String db) throws SQLException {
        try (Connection admin = server.connect(null); Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + db);
        }
    }

    private void say(String format, Object... args) {
        progress.println("bench: " + String.format(format, args));
        progress.flush();
    }
}
