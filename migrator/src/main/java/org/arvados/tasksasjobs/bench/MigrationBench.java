package org.arvados.tasksasjobs.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.arvados.tasksasjobs.backfill.BackfillListener;
import org.arvados.tasksasjobs.backfill.BackfillSettings;
import org.arvados.tasksasjobs.changelog.BaselineSchema;
import org.arvados.tasksasjobs.changelog.Phase;
import org.arvados.tasksasjobs.mapping.InheritPolicy;
import org.arvados.tasksasjobs.migration.DeferredIndexes;
import org.arvados.tasksasjobs.migration.Migrator;
import org.arvados.tasksasjobs.seed.SeedGenerator;
import org.arvados.tasksasjobs.seed.SeedSpec;
import org.arvados.tasksasjobs.seed.SeedSummary;
import org.arvados.tasksasjobs.verification.VerificationReport;
import org.arvados.tasksasjobs.verification.Verifier;
import org.arvados.tasksasjobs.yaml.SnakeYamlDecoder;

/**
 * The migration benchmark: one seeded database, copied (CREATE DATABASE ... TEMPLATE) for each variant so every
 * variant starts from the same bytes, measured in one run on one server:
 * <ul>
 *   <li>{@code baseline}: {@link BaselineInsert}, the yardstick;</li>
 *   <li>{@code migrate}: the backfill (exact mapping, batched, resumable), every index of the real schema maintained,
 *       one worker;</li>
 *   <li>{@code migrate-workers}: the same with {@code --workers N};</li>
 *   <li>{@code verify}: the verifier on the migrated copy (its baseline recorded, untimed, before migrating);</li>
 *   <li>{@code rerun}: migrate again on the finished copy (nothing to do);</li>
 *   <li>{@code migrate-deferred}: the backfill with {@code --defer-indexes --workers N} on a copy of its own: the search and
 *       trigram indexes dropped first and rebuilt after; the wall time includes the rebuild, reported apart too.</li>
 * </ul>
 * The expand phase (new columns and their indexes) runs untimed before baseline and migrate alike, so both time
 * the writing of task-like jobs and nothing else.
 */
public final class MigrationBench implements AutoCloseable {

    /**
     * What one variant did.
     *
     * @param workers             the backfill's connections (1 for the single-statement baseline and for verify)
     * @param peakHeapBytes       the most heap in use at any moment, garbage included
     * @param liveHeapBytes       the most heap still in use after a collection; 0 when none ran
     * @param indexRebuildSeconds the part of {@code seconds} spent rebuilding deferred indexes; NaN for a variant that
     *                            defers none
     */
    public record Figures(String variant, int workers, double seconds, long rows, long peakHeapBytes, long liveHeapBytes,
                          double postgresCpuSeconds,
                          double indexRebuildSeconds) {
        public double rowsPerSecond() {
            return seconds > 0 ? rows / seconds : Double.NaN;
        }

        Figures withIndexRebuild(double rebuildSeconds) {
            return new Figures(variant, workers, seconds, rows, peakHeapBytes, liveHeapBytes, postgresCpuSeconds, rebuildSeconds);
        }
    }

    private static final String TEMPLATE = "bench_seed";

    private final Function<String, String> jdbcUrl;
    private final PostgresCpu cpu;
    private final PrintWriter progress;
    private final HeapPeak heap = new HeapPeak();

    /**
     * @param jdbcUrl  the JDBC URL of a database of the benchmark's own server, by name
     * @param cpu      the server's CPU meter
     * @param progress where to say what is going on
     */
    public MigrationBench(Function<String, String> jdbcUrl, PostgresCpu cpu, PrintWriter progress) {
        this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        this.cpu = Objects.requireNonNull(cpu, "cpu");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** Seeds the template database once. */
    public SeedSummary seed(SeedSpec spec) throws Exception {
        try (Connection admin = connect("postgres"); Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + TEMPLATE);
            st.execute("CREATE DATABASE " + TEMPLATE);
        }
        say("seeding %,d jobs x %d tasks...", spec.jobs(), spec.tasksPerJob());
        try (Connection c = connect(TEMPLATE)) {
            BaselineSchema.apply(c);
            SeedSummary seeded = new SeedGenerator(spec).writeTo(c);
            try (Statement st = c.createStatement()) {
                st.execute("VACUUM ANALYZE jobs");
                st.execute("VACUUM ANALYZE job_tasks");
            }
            return seeded;
        }
    }

    /**
     * Which variants to run, and with how many workers the parallel ones write.
     *
     * @param variants the variant names to run ({@link #VARIANTS}); verify and rerun run on the first migrate variant's copy
     * @param workers  {@code --workers} of the parallel variants
     */
    public record Plan(java.util.Set<String> variants, int workers) {
        public Plan {
            variants = java.util.Set.copyOf(variants);
            for (String v : variants) {
                if (!VARIANTS.contains(v)) {
                    throw new IllegalArgumentException("unknown bench variant '" + v + "'; choose from " + String.join(", ", VARIANTS));
                }
            }
            if (!variants.contains("baseline")) {
                throw new IllegalArgumentException("the baseline variant is what every ratio is measured against: keep it");
            }
            if (workers < 1 || workers > BackfillSettings.MAX_WORKERS) {
                throw new IllegalArgumentException("workers must be between 1 and " + BackfillSettings.MAX_WORKERS + ", not " + workers);
            }
        }

        public static Plan all(int workers) {
            return new Plan(java.util.Set.copyOf(VARIANTS), workers);
        }

        boolean has(String variant) {
            return variants.contains(variant);
        }
    }

    /** Every variant, in the order they run. */
    public static final List<String> VARIANTS = List.of("baseline", "migrate", "migrate-workers", "verify",
            "rerun", "migrate-deferred");

    /** The chosen variants in turn, on fresh copies of the seeded database. */
    public List<Figures> run(Plan plan) throws Exception {
        List<Figures> figures = new ArrayList<>();
        String baselineDb = copy("bench_baseline");
        try (Connection c = connect(baselineDb)) {
            expand(c);
            say("baseline: INSERT ... SELECT...");
            figures.add(measure("baseline", 1, () -> BaselineInsert.run(c)));
        }
        drop(baselineDb);

        boolean checked = false;
        BackfillSettings parallel = BackfillSettings.defaults().withWorkers(plan.workers());
        Map<String, BackfillSettings> migrates = new LinkedHashMap<>();
        migrates.put("migrate", BackfillSettings.defaults());
        migrates.put("migrate-workers", parallel);
        for (Map.Entry<String, BackfillSettings> m : migrates.entrySet()) {
            if (!plan.has(m.getKey())) {
                continue;
            }
            String label = m.getKey();
            BackfillSettings settings = m.getValue();
            boolean check = !checked && (plan.has("verify") || plan.has("rerun"));
            checked |= check;
            String db = copy("bench_migrate");
            Path verifyBaseline = Files.createTempFile("tasks-as-jobs-bench", ".jsonl");
            try (Connection c = connect(db)) {
                expand(c);
                Verifier verifier = new Verifier(c, new SnakeYamlDecoder(), InheritPolicy.ALL);
                if (check && plan.has("verify")) {
                    verifier.recordBaseline(verifyBaseline, null, db);
                }
                say("%s (%d worker%s): the backfill...", label, settings.workers(), settings.workers() == 1 ? "" : "s");
                figures.add(measure(label, settings.workers(), () -> backfill(c, db, settings).backfill().migrated()));
                if (check && plan.has("verify")) {
                    say("verify...");
                    figures.add(measure("verify", 1, () -> {
                        VerificationReport report = verifier.verify(verifyBaseline, null, db);
                        if (!report.passed()) {
                            throw new IllegalStateException("verify found differences after the benchmark's migrate");
                        }
                        return 0;
                    }));
                }
                if (check && plan.has("rerun")) {
                    say("migrate again (nothing left to do)...");
                    figures.add(measure("rerun", settings.workers(), () -> backfill(c, db, settings).backfill().migrated()));
                }
            } finally {
                Files.deleteIfExists(verifyBaseline);
            }
            drop(db);
        }

        if (plan.has("migrate-deferred")) {
            String deferred = copy("bench_migrate_deferred");
            try (Connection c = connect(deferred)) {
                expand(c);
                say("migrate-deferred (--defer-indexes, %d workers): drop, backfill, rebuild...", plan.workers());
                AtomicReference<Duration> rebuild = new AtomicReference<>(Duration.ZERO);
                Figures f = measure("migrate-deferred", plan.workers(), () -> {
                    Migrator.Outcome outcome = new Migrator(c, () -> connect(deferred), BackfillListener.NONE)
                            .migrate(new Migrator.Options(List.of(Phase.BACKFILL), parallel)
                                    .withDeferredIndexes(DeferredIndexes.DEFAULT_MAINTENANCE_WORK_MEM));
                    rebuild.set(outcome.indexRebuild());
                    return outcome.backfill().migrated();
                });
                figures.add(f.withIndexRebuild(rebuild.get().toNanos() / 1e9));
            }
            drop(deferred);
        }
        return figures;
    }

    private Migrator.Outcome backfill(Connection c, String database, BackfillSettings settings) throws Exception {
        return new Migrator(c, () -> connect(database), BackfillListener.NONE)
                .migrate(new Migrator.Options(List.of(Phase.BACKFILL), settings));
    }

    private static void expand(Connection c) throws Exception {
        new Migrator(c, BackfillListener.NONE)
                .migrate(new Migrator.Options(List.of(Phase.EXPAND), BackfillSettings.defaults()));
    }

    private Figures measure(String variant, int workers, Work work) throws Exception {
        System.gc();
        heap.reset();
        double cpuBefore = cpu.seconds();
        long start = System.nanoTime();
        long rows = work.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        Figures f = new Figures(variant, workers, seconds, rows, heap.bytes(), heap.liveBytes(), cpu.seconds() - cpuBefore,
                Double.NaN);
        say("%s: %.1f s", variant, seconds);
        return f;
    }

    private String copy(String name) throws SQLException {
        try (Connection admin = connect("postgres"); Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name);
            st.execute("CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
        }
        return name;
    }

    private void drop(String name) throws SQLException {
        try (Connection admin = connect("postgres"); Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name);
        }
    }

    private Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl.apply(database));
    }

    /** Stops the heap sampler. */
    @Override
    public void close() {
        heap.close();
    }

    private void say(String format, Object... args) {
        progress.println("bench: " + String.format(format, args));
        progress.flush();
    }

    @FunctionalInterface
    private interface Work {
        long run() throws Exception;
    }
}
