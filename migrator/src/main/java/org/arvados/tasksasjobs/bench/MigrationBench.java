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
import java.util.List;
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
 *   <li>{@code migrate}: the backfill (exact mapping, batched, resumable), every index of the real schema maintained;</li>
 *   <li>{@code verify}: the verifier on the migrated copy (its baseline recorded, untimed, before migrating);</li>
 *   <li>{@code rerun}: migrate again on the finished copy (nothing to do);</li>
 *   <li>{@code migrate-deferred}: the backfill with {@code --defer-indexes} on a copy of its own: the search and
 *       trigram indexes dropped first and rebuilt after; the wall time includes the rebuild, reported apart too.</li>
 * </ul>
 * The expand phase (new columns and their indexes) runs untimed before baseline and migrate alike, so both time
 * the writing of task-like jobs and nothing else.
 */
public final class MigrationBench {

    /**
     * What one variant did.
     *
     * @param indexRebuildSeconds the part of {@code seconds} spent rebuilding deferred indexes; NaN for a variant that
     *                            defers none
     */
    public record Figures(String variant, double seconds, long rows, long peakHeapBytes, double postgresCpuSeconds,
                          double indexRebuildSeconds) {
        public double rowsPerSecond() {
            return seconds > 0 ? rows / seconds : Double.NaN;
        }

        Figures withIndexRebuild(double rebuildSeconds) {
            return new Figures(variant, seconds, rows, peakHeapBytes, postgresCpuSeconds, rebuildSeconds);
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

    /** Every variant in turn, on fresh copies of the seeded database. */
    public List<Figures> run() throws Exception {
        List<Figures> figures = new ArrayList<>();
        String baselineDb = copy("bench_baseline");
        try (Connection c = connect(baselineDb)) {
            expand(c);
            say("baseline: INSERT ... SELECT...");
            figures.add(measure("baseline", () -> BaselineInsert.run(c)));
        }
        drop(baselineDb);

        String migrated = copy("bench_migrate");
        Path verifyBaseline = Files.createTempFile("tasks-as-jobs-bench", ".jsonl");
        try (Connection c = connect(migrated)) {
            expand(c);
            Verifier verifier = new Verifier(c, new SnakeYamlDecoder(), InheritPolicy.ALL);
            verifier.recordBaseline(verifyBaseline, null, migrated);
            say("migrate: the backfill...");
            figures.add(measure("migrate", () -> backfill(c).backfill().migrated()));
            say("verify...");
            figures.add(measure("verify", () -> {
                VerificationReport report = verifier.verify(verifyBaseline, null, migrated);
                if (!report.passed()) {
                    throw new IllegalStateException("verify found differences after the benchmark's migrate");
                }
                return 0;
            }));
            say("migrate again (nothing left to do)...");
            figures.add(measure("rerun", () -> backfill(c).backfill().migrated()));
        } finally {
            Files.deleteIfExists(verifyBaseline);
        }
        drop(migrated);

        String deferred = copy("bench_migrate_deferred");
        try (Connection c = connect(deferred)) {
            expand(c);
            say("migrate --defer-indexes: drop, backfill, rebuild...");
            AtomicReference<Duration> rebuild = new AtomicReference<>(Duration.ZERO);
            Figures f = measure("migrate-deferred", () -> {
                Migrator.Outcome outcome = new Migrator(c, BackfillListener.NONE).migrate(backfillOptions()
                        .withDeferredIndexes(DeferredIndexes.DEFAULT_MAINTENANCE_WORK_MEM));
                rebuild.set(outcome.indexRebuild());
                return outcome.backfill().migrated();
            });
            figures.add(f.withIndexRebuild(rebuild.get().toNanos() / 1e9));
        }
        drop(deferred);
        return figures;
    }

    private Migrator.Outcome backfill(Connection c) throws Exception {
        return new Migrator(c, BackfillListener.NONE).migrate(backfillOptions());
    }

    private static Migrator.Options backfillOptions() {
        return new Migrator.Options(List.of(Phase.BACKFILL), BackfillSettings.defaults(), false);
    }

    private static void expand(Connection c) throws Exception {
        new Migrator(c, BackfillListener.NONE)
                .migrate(new Migrator.Options(List.of(Phase.EXPAND), BackfillSettings.defaults(), false));
    }

    private Figures measure(String variant, Work work) throws Exception {
        System.gc();
        heap.reset();
        double cpuBefore = cpu.seconds();
        long start = System.nanoTime();
        long rows = work.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        Figures f = new Figures(variant, seconds, rows, heap.bytes(), cpu.seconds() - cpuBefore, Double.NaN);
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

    private void say(String format, Object... args) {
        progress.println("bench: " + String.format(format, args));
        progress.flush();
    }

    @FunctionalInterface
    private interface Work {
        long run() throws Exception;
    }
}
