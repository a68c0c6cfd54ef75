package org.arvados.tasksasjobs.verification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.arvados.tasksasjobs.mapping.InheritPolicy;
import org.arvados.tasksasjobs.mapping.YamlDecoder;
import org.arvados.tasksasjobs.reuse.Probe;
import org.arvados.tasksasjobs.reuse.ProbeReader;
import org.arvados.tasksasjobs.reuse.ReuseEngine;
import org.arvados.tasksasjobs.reuse.ReuseOutcome;
import org.arvados.tasksasjobs.reuse.TieBreak;

/**
 * Proves a migration changed nothing it must not: records a baseline before (reuse outcomes of every top-level job
 * resubmitted as itself and of --probes, each evaluated twice with opposite orders of created_at ties, plus
 * checksums of the top-level jobs), and after the migration compares, then runs the row checks.
 */
public final class Verifier {

    static final int BATCH = 1000;
    private static final int FIRST = 20;

    private final Connection connection;
    private final YamlDecoder yaml;
    private final InheritPolicy policy;

    public Verifier(Connection connection, YamlDecoder yaml, InheritPolicy policy) {
        this.connection = connection;
        this.yaml = yaml;
        this.policy = policy;
    }

    /** What a recorded baseline holds. */
    public record BaselineSummary(long jobs, long probes, long noisy, List<String> noise, JobProbes.Scan skipped, Duration elapsed) { }

    public BaselineSummary recordBaseline(Path file, Path probesFile, String target) throws SQLException, IOException {
        long start = System.nanoTime();
        long[] counts = new long[3];
        List<String> noise = new ArrayList<>();
        JobChecksums checksums = JobChecksums.record(connection);
        try (BaselineFile.Writer writer = new BaselineFile.Writer(file, target)) {
            Evaluation evaluation = new Evaluation();
            IoConsumer<BaselineOutcome> write = o -> {
                writer.outcome(o);
                counts[o.kind().equals(BaselineOutcome.JOB) ? 0 : 1]++;
                if (o.noisy()) {
                    counts[2]++;
                    if (noise.size() < FIRST) {
                        noise.add(o.outcome().probeId() + ": " + o.noise());
                    }
                }
            };
            JobProbes.Scan scan = evaluation.jobs(write);
            evaluation.probes(probesFile, write);
            writer.jobs(checksums);
            return new BaselineSummary(counts[0], counts[1], counts[2], noise, scan, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** Compares the database now with a baseline and runs every check. */
    public VerificationReport verify(Path baselineFile, Path probesFile, String target) throws SQLException, IOException {
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        List<CheckResult> checks = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try (BaselineFile.Reader baseline = new BaselineFile.Reader(baselineFile)) {
            notes.add("baseline recorded " + baseline.recordedAt() + " on " + baseline.target());
            checks.add(reuseCheck(baseline, probesFile, notes));
            checks.add(baseline.jobs().compare(connection));
        }
        checks.add(new RoundTripCheck(connection).run());
        checks.add(new QuarantineCheck(connection).run());
        checks.add(new MappingConsistencyCheck(connection).run());
        checks.add(new ContractCheck(connection, policy).run());
        checks.add(taskReuseGained());
        VerificationReport report = new VerificationReport(target, startedAt, Duration.ofNanos(System.nanoTime() - start), checks, notes);
        notes.add(VerificationRecord.record(connection, report, baselineFile, policy));
        return new VerificationReport(target, startedAt, report.elapsed(), checks, notes);
    }

    /** Top-level reuse outcomes now against the baseline's, in the same order; noise on either side is not a difference. */
    private CheckResult reuseCheck(BaselineFile.Reader baseline, Path probesFile, List<String> notes) throws SQLException, IOException {
        long start = System.nanoTime();
        List<String> differences = new ArrayList<>();
        long[] n = new long[3]; // examined, differences, noisy
        IoConsumer<BaselineOutcome> compare = now -> {
            n[0]++;
            while (baseline.peek() != null && before(baseline.peek(), now)) {
                BaselineOutcome gone = baseline.take();
                n[1]++;
                add(differences, gone.outcome().probeId() + ": in the baseline (reused " + describe(gone.outcome())
                        + ") but no longer submitted: its job is gone");
            }
            BaselineOutcome then = baseline.peek();
            if (then == null || before(now, then)) {
                n[1]++;
                add(differences, now.outcome().probeId() + ": not in the baseline (a new job?); now reuses " + describe(now.outcome()));
                return;
            }
            baseline.take();
            if (then.noisy() || now.noisy()) {
                n[2]++;
                if (n[2] <= FIRST) {
                    notes.add("noise, not compared: " + now.outcome().probeId() + ": "
                            + (then.noisy() ? then.noise() : now.noise()));
                }
                return;
            }
            if (!then.outcome().sameAs(now.outcome())) {
                n[1]++;
                add(differences, now.outcome().probeId() + ": before reused " + describe(then.outcome())
                        + ", now " + describe(now.outcome()));
            }
        };
        Evaluation evaluation = new Evaluation();
        JobProbes.Scan scan = evaluation.jobs(compare);
        if (scan.unparseable() > 0) {
            // Arvados could not load these rows either: no submission can match them, before or after.
            notes.add(scan.unparseable() + " top-level jobs have unreadable script_parameters and were not probed, e.g. "
                    + String.join(", ", scan.examples()));
        }
        evaluation.probes(probesFile, compare);
        while (baseline.peek() != null) {
            BaselineOutcome gone = baseline.take();
            n[1]++;
            add(differences, gone.outcome().probeId() + ": in the baseline (reused " + describe(gone.outcome()) + ") but not submitted now");
        }
        if (n[2] > 0) {
            notes.add(n[2] + " probes had unstable outcomes (candidates tied on created_at) and were not compared");
        }
        return new CheckResult("top-level-reuse", "Every top-level job resubmitted as itself, and every --probes line, would"
                + " reuse the same job by the same rule as before the migration", n[1] == 0, n[0], n[1],
                List.copyOf(differences), Duration.ofNanos(System.nanoTime() - start));
    }

    /** Informational: how many migrated tasks, submitted again as tasks, would now reuse a task-like job. */
    private CheckResult taskReuseGained() throws SQLException {
        long start = System.nanoTime();
        ReuseEngine engine = new ReuseEngine(connection, yaml, policy, TieBreak.ASC);
        Map<String, long[]> byScript = new TreeMap<>(); // script -> tasks, reuse any, reuse another task's work
        long[] total = new long[3];
        JobProbes.forEachTaskLikeJob(connection, yaml, BATCH, batch -> {
            List<ReuseOutcome> outcomes = evaluate(engine, batch);
            Map<String, String> scripts = scripts(batch);
            Map<String, String> ownUuid = ownUuids(batch);
            for (int i = 0; i < batch.size(); i++) {
                ReuseOutcome o = outcomes.get(i);
                long[] s = byScript.computeIfAbsent(String.valueOf(scripts.get(batch.get(i).parentJobUuid())), k -> new long[3]);
                s[0]++;
                total[0]++;
                if (o.reused() != null) {
                    s[1]++;
                    total[1]++;
                    if (!o.reused().equals(ownUuid.get(batch.get(i).id()))) {
                        s[2]++;
                        total[2]++;
                    }
                }
            }
        });
        List<String> lines = new ArrayList<>();
        byScript.forEach((script, s) -> lines.add(String.format("%s: %,d tasks, %,d would reuse a task-like job, %,d of them another task's work",
                script, s[0], s[1], s[2])));
        return new CheckResult("task-reuse-gained", String.format("Task submissions that would now reuse a task-like job:"
                + " %,d of %,d (%,d another task's work)", total[1], total[0], total[2]), true, total[0], 0, lines,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** Evaluates probes twice, with opposite orders of created_at ties, and calls an outcome that changes noise. */
    private final class Evaluation {
        private final ReuseEngine asc = new ReuseEngine(connection, yaml, policy, TieBreak.ASC);
        private final ReuseEngine desc = new ReuseEngine(connection, yaml, policy, TieBreak.DESC);

        /** Streams every top-level job's outcome; returns what the scan skipped (jobs whose parameters cannot be read). */
        JobProbes.Scan jobs(IoConsumer<BaselineOutcome> sink) throws SQLException, IOException {
            try {
                return JobProbes.forEachTopLevelJob(connection, yaml, BATCH, batch -> {
                    Map<String, Long> ids = jobIds(batch);
                    try {
                        emit(BaselineOutcome.JOB, batch, i -> ids.get(batch.get(i).id()), sink);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }

        void probes(Path file, IoConsumer<BaselineOutcome> sink) throws SQLException, IOException {
            if (file == null) {
                return;
            }
            try (ProbeReader reader = ProbeReader.open(file)) {
                long seq = 0;
                for (List<Probe> batch = reader.nextBatch(BATCH); !batch.isEmpty(); batch = reader.nextBatch(BATCH)) {
                    long first = seq;
                    emit(BaselineOutcome.PROBE, batch, i -> first + i, sink);
                    seq += batch.size();
                }
            }
        }

        private void emit(String kind, List<Probe> batch, java.util.function.IntFunction<Long> seqOf, IoConsumer<BaselineOutcome> sink)
                throws SQLException, IOException {
            List<ReuseOutcome> a = evaluate(asc, batch);
            List<ReuseOutcome> b = evaluate(desc, batch);
            for (int i = 0; i < batch.size(); i++) {
                String noise = a.get(i).sameAs(b.get(i)) ? null
                        : "candidates tied on created_at: one order reuses " + describe(a.get(i)) + ", the other " + describe(b.get(i));
                sink.accept(new BaselineOutcome(kind, seqOf.apply(i), a.get(i), noise));
            }
        }
    }

    private static List<ReuseOutcome> evaluate(ReuseEngine engine, List<Probe> batch) throws SQLException {
        return engine.evaluate(batch);
    }

    private Map<String, Long> jobIds(List<Probe> batch) throws SQLException {
        Map<String, Long> ids = new HashMap<>();
        try (PreparedStatement st = connection.prepareStatement("SELECT uuid, id FROM jobs WHERE uuid = ANY(?)")) {
            st.setArray(1, connection.createArrayOf("varchar", batch.stream().map(Probe::id).toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    ids.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return ids;
    }

    private Map<String, String> scripts(List<Probe> batch) throws SQLException {
        Map<String, String> scripts = new HashMap<>();
        try (PreparedStatement st = connection.prepareStatement("SELECT uuid, script FROM jobs WHERE uuid = ANY(?)")) {
            st.setArray(1, connection.createArrayOf("varchar", batch.stream().map(Probe::parentJobUuid).distinct().toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    scripts.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return scripts;
    }

    private Map<String, String> ownUuids(List<Probe> batch) throws SQLException {
        Map<String, String> own = new HashMap<>();
        try (PreparedStatement st = connection.prepareStatement("SELECT legacy_task_uuid, uuid FROM jobs WHERE legacy_task_uuid = ANY(?)")) {
            st.setArray(1, connection.createArrayOf("varchar", batch.stream().map(Probe::id).toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    own.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return own;
    }

    /** Baseline and current outcomes are walked in (kind, seq) order: jobs by id, then probes by position. */
    private static boolean before(BaselineOutcome a, BaselineOutcome b) {
        int kind = Integer.compare(rank(a.kind()), rank(b.kind()));
        return kind != 0 ? kind < 0 : a.seq() < b.seq();
    }

    private static int rank(String kind) {
        return kind.equals(BaselineOutcome.JOB) ? 0 : 1;
    }

    private static String describe(ReuseOutcome o) {
        return (o.reused() == null ? "nothing" : o.reused()) + " (" + o.rule().code() + ")";
    }

    private static void add(List<String> differences, String line) {
        if (differences.size() < FIRST) {
            differences.add(line);
        }
    }

    @FunctionalInterface
    private interface IoConsumer<T> {
        void accept(T value) throws IOException, SQLException;
    }
}
