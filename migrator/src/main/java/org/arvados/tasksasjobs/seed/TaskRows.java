package org.arvados.tasksasjobs.seed;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.arvados.tasksasjobs.seed.Draws.Purpose;
import org.arvados.tasksasjobs.seed.Draws.Space;
import org.arvados.tasksasjobs.seed.JobPlan.Outcome;
import org.arvados.tasksasjobs.seed.JobPlan.Shape;
import org.arvados.tasksasjobs.seed.JobPlan.Times;
import org.arvados.tasksasjobs.seed.Plants.Plant;
import org.arvados.tasksasjobs.seed.Serialized.Format;

/**
 * Writes the {@code job_tasks} rows of each job as crunch-job made them (docs/arvados.md §6): each run's sequence-0 task
 * (qsequence 0, parameters {@code {}}), the level-1 tasks the last one created, one per input file, level-2 tasks
 * created by level-1 tasks, all in creation order with qsequence from one global counter; then the dirt the job hosts.
 */
final class TaskRows {

    /** Every column but the surrogate id. */
    static final String COLUMNS = "uuid, owner_uuid, modified_by_client_uuid, modified_by_user_uuid, modified_at, job_uuid,"
            + " sequence, parameters, output, progress, success, created_at, updated_at, created_by_job_task_uuid, qsequence,"
            + " started_at, finished_at";

    private static final long SECOND = 1_000_000L;
    private static final List<String> NON_ASCII_FILES = List.of("Köln_%d.fastq", "日本語_%d.fastq", "reads_🧬_%d.fastq");
    private static final List<String> PATTERN_OVERRIDES = List.of("chr2", "Köln", "日本語", ":bar");
    private static final Map<String, Object> EMPTY = Map.of();

    /** One task row; times in microseconds, {@link CopyRows#NO_TIME} when absent. */
    private record Task(String uuid, String jobUuid, int sequence, Map<String, Object> hash, String parameters, Format format,
                        String output, Outcome outcome, double progress, long created, long started, long finished,
                        String createdBy, long qsequence) {
    }

    /** When a task was created, started and finished. */
    private record Span(long created, long started, long finished) {
    }

    private final Draws draws;
    private final Plants plants;
    private final int jobs;
    private final CopyRows out;
    private final Kind.Tally tally;
    private final String client;
    private long nextTask;
    private long qsequence;

    TaskRows(Draws draws, Plants plants, int jobs, CopyRows out, Kind.Tally tally, String client) {
        this.draws = draws;
        this.plants = plants;
        this.jobs = jobs;
        this.out = out;
        this.tally = tally;
        this.client = client;
    }

    /** The highest qsequence written; the sequence must continue after it. */
    long maxQsequence() {
        return qsequence;
    }

    void write(JobPlan job) throws SQLException {
        String seq0 = writeOwn(job);
        if (job.badParameters() >= 0) {
            tally.add(Kind.UNPARSEABLE_PARENT_PARAMETERS, job.shape().tasks());
        }
        for (Plant plant : plants.at(job.index())) {
            writePlant(job, seq0, plant);
        }
    }

    /** The job's own tasks; returns the uuid of its last run's sequence-0 task, or null when it has none. */
    private String writeOwn(JobPlan job) throws SQLException {
        Shape shape = job.shape();
        if (shape.tasks() == 0) {
            return null;
        }
        SplittableRandom r = draws.stream(Purpose.TASKS, job.index());
        Times t = job.times();
        long ws = t.windowStart();
        long length = t.windowEnd() - ws;
        for (int k = 0; k < shape.requeued(); k++) {
            writeSeq0(job, r, Outcome.FAILED, null, sequential(r, ws, ws + length / 2));
        }
        for (int k = 0; k < shape.retries(); k++) {
            long part = length / 10 / shape.retries();
            writeSeq0(job, r, Outcome.FAILED, null, sequential(r, ws + k * part, ws + (k + 1) * part));
        }
        if (shape.seq0() == null) {
            return null;
        }
        long b0 = ws + (shape.retries() > 0 ? length / 10 : length / 100);
        long b1 = b0 + length / 20;
        Span seq0Span = sequential(r, b0, b1);
        String seq0Output = shape.level1() == 0 && shape.seq0() == Outcome.DONE ? output(r, job, "output") : null;
        String seq0 = writeSeq0(job, r, shape.seq0(), seq0Output, seq0Span);

        int n1 = shape.level1();
        int n2 = shape.level2();
        long level1End = ws + (n2 > 0 ? length * 3 / 4 : length * 97 / 100);
        String[] creators = new String[n2];
        String[] creatorBases = new String[n2];
        long[] creatorFinished = new long[n2];
        for (int j = 0; j < n1; j++) {
            String file = Draws.chance(r, 0.03) ? String.format(Locale.ROOT, Draws.pick(r, NON_ASCII_FILES), j) : "file_" + j + ".fastq";
            String base = file.substring(0, file.length() - ".fastq".length());
            Map<String, Object> hash = new LinkedHashMap<>();
            hash.put("input", job.submission().input() + "/" + file);
            if (Draws.chance(r, 0.2)) {
                override(r, job, hash);
            }
            long created = seq0Span.started() + (seq0Span.finished() - seq0Span.started()) * (j + 1) / (n1 + 2);
            Span span = slot(r, created, b1, level1End, j, n1);
            Outcome outcome = shape.level1Outcome(j);
            String uuid = emit(job, r, hash, outcome == Outcome.DONE ? output(r, job, base) : null, outcome, span, seq0, 1);
            if (j < n2) {
                creators[j] = uuid;
                creatorBases[j] = base;
                creatorFinished[j] = span.finished();
            }
        }
        for (int k = 0; k < n2; k++) {
            Map<String, Object> hash = new LinkedHashMap<>();
            hash.put("input", Catalog.pdh(r) + "/" + creatorBases[k] + ".bam");
            hash.put("chunk", (long) k);
            Span span = slot(r, creatorFinished[k] - 1, level1End, ws + length * 97 / 100, k, n2);
            emit(job, r, hash, output(r, job, creatorBases[k] + "_sorted"), Outcome.DONE, span, creators[k], 2);
        }
        return seq0;
    }

    private String writeSeq0(JobPlan job, SplittableRandom r, Outcome outcome, String output, Span span) throws SQLException {
        // A few crunch-job versions created the first task without parameters: NULL, which Rails loads as {}.
        Map<String, Object> hash = Draws.chance(r, 0.03) ? null : EMPTY;
        return emit(job, r, hash, output, outcome, span, null, 0);
    }

    /** A task of {@code job} with parameters {@code hash} (null: NULL) in the row format of its time. */
    private String emit(JobPlan job, SplittableRandom r, Map<String, Object> hash, String output, Outcome outcome, Span span,
                        String createdBy, int sequence) throws SQLException {
        Format format = JobPlanner.format(r, job.yamlEra());
        String text = hash == null ? null : Serialized.write(hash, format);
        String uuid = newUuid();
        write(job, new Task(uuid, job.uuid(), sequence, hash, text, format, output, outcome, progress(r, outcome),
                span.created(), span.started(), span.finished(), createdBy, sequence == 0 ? 0 : ++qsequence));
        return uuid;
    }

    private void write(JobPlan job, Task task) throws SQLException {
        Outcome o = task.outcome();
        boolean began = o != Outcome.QUEUED;
        boolean ended = o == Outcome.DONE || o == Outcome.FAILED;
        long started = began ? task.started() : CopyRows.NO_TIME;
        long finished = ended ? task.finished() : CopyRows.NO_TIME;
        long modified = Math.max(task.created(), Math.max(began ? started : task.created(), ended ? finished : task.created()));
        Boolean success = o == Outcome.DONE ? Boolean.TRUE : o == Outcome.FAILED ? Boolean.FALSE : null;
        String output = o == Outcome.DONE ? task.output() : null;
        out.text(task.uuid()).text(job.owner()).text(client).text(job.owner()).time(modified)
                .text(task.jobUuid()).number(task.sequence()).text(task.parameters()).text(output)
                .real(task.progress()).bool(success).time(task.created()).time(modified)
                .text(task.createdBy()).number(task.qsequence()).time(started).time(finished);
        out.endRow();

        if (task.parameters() == null) {
            tally.add(Kind.NULL_PARAMETERS);
        } else if (task.hash() != null) {
            JobRows.countParameters(tally, task.hash(), task.format());
        }
        if (!JobRows.isAscii(task.parameters()) || !JobRows.isAscii(output)) {
            tally.add(Kind.NON_ASCII);
        }
        if (output != null && !output.startsWith(". ")) {
            tally.add(Kind.LOCATOR_OUTPUTS);
        } else if (output != null && output.getBytes(StandardCharsets.UTF_8).length > 255) {
            tally.add(Kind.LONG_OUTPUTS);
        }
    }

    /** A key of the parent's parameters that the task sets again for itself. */
    private static void override(SplittableRandom r, JobPlan job, Map<String, Object> hash) {
        switch (job.submission().script().name()) {
            case "grep" -> hash.put("pattern", Draws.pick(r, PATTERN_OVERRIDES));
            case "bwa-align", "count-lines" -> hash.put("an_integer", Draws.chance(r, 0.5) ? (Object) 3L : "3");
            default -> {
                // hash and run-command tasks take only their input
            }
        }
    }

    /** A finished task's output: mostly a one-file manifest, some long ones, some a bare block locator. */
    private static String output(SplittableRandom r, JobPlan job, String base) {
        double x = r.nextDouble();
        if (x < 0.05) {
            return Catalog.locator(r) + (Draws.chance(r, 0.5) ? "\n" : "");
        }
        if (x < 0.10) {
            return Catalog.longManifest(r, base);
        }
        String extension = switch (job.submission().script().name()) {
            case "hash", "run-command" -> ".md5";
            case "grep" -> ".txt";
            case "bwa-align" -> ".bam";
            default -> ".count";
        };
        return Catalog.manifest(r, base + extension);
    }

    private static double progress(SplittableRandom r, Outcome outcome) {
        return switch (outcome) {
            case DONE -> 1.0;
            case FAILED -> r.nextInt(20) / 20.0;
            case RUNNING -> (1 + r.nextInt(19)) / 20.0;
            case QUEUED -> 0.0;
        };
    }

    /** A task that has [a, b] to itself: created at its start, started soon after, finished near its end. */
    private static Span sequential(SplittableRandom r, long a, long b) {
        long tick = Math.max(1, (b - a) / 20);
        long created = a + r.nextLong(tick);
        long started = created + tick + r.nextLong(tick);
        long finished = b - r.nextLong(tick);
        return new Span(created, started, finished);
    }

    /** Task j of n sharing [a, b] over {@link JobPlanner#LANES} lanes, one row of lanes after another. */
    private static Span slot(SplittableRandom r, long created, long a, long b, int j, int n) {
        int rows = (n + JobPlanner.LANES - 1) / JobPlanner.LANES;
        long row = Math.max(2, (b - a) / rows);
        long started = Math.max(created + 1, a + (long) (j / JobPlanner.LANES) * row + r.nextLong(Math.max(1, row / 10)));
        long finished = started + row / 2 + r.nextLong(Math.max(1, row * 4 / 10));
        return new Span(created, started, finished);
    }

    private String newUuid() {
        return Catalog.CLUSTER + "-ot0gb-" + draws.tail(Space.TASK, nextTask++);
    }

    // ---- planted dirt ----

    private void writePlant(JobPlan host, String hostSeq0, Plant plant) throws SQLException {
        SplittableRandom r = draws.stream(Purpose.PLANT, ((long) plant.kind().ordinal() << 32) + plant.n());
        Times t = host.times();
        boolean active = t.windowStart() != CopyRows.NO_TIME;
        long a = active ? t.windowStart() + (t.windowEnd() - t.windowStart()) / 2 : t.created() + SECOND;
        long tick = Math.max(4, active ? (t.windowEnd() - t.windowStart()) / 20 : 60 * SECOND);
        long created = a + r.nextLong(tick);
        long started = created + 1 + r.nextLong(tick);
        Span span = new Span(created, started, started + 1 + r.nextLong(tick));
        Outcome outcome = active ? Outcome.DONE : Outcome.QUEUED;
        int n = plant.n();
        switch (plant.kind()) {
            case ORPHAN -> {
                // A job deleted long ago: its first task and one task that task created.
                String ghostJob = Catalog.CLUSTER + "-8i9sb-" + draws.tail(Space.GHOST_JOB, n);
                String first = newUuid();
                plain(host, r, first, ghostJob, 0, EMPTY, null, Outcome.DONE, span, null);
                plain(host, r, newUuid(), ghostJob, 1, input(host, n), Catalog.manifest(r, "extra_" + n + ".md5"),
                        Outcome.DONE, span, first);
                tally.add(Kind.ORPHAN, 2);
            }
            case NULL_JOB_UUID -> {
                plain(host, r, newUuid(), null, 0, EMPTY, null, Outcome.DONE, span, null);
                tally.add(Kind.NULL_JOB_UUID);
            }
            case UNPARSEABLE_PARAMETERS -> {
                String text = Plants.UNPARSEABLE.get(n % Plants.UNPARSEABLE.size());
                attached(host, hostSeq0, r, newUuid(), null, text, outcome, span);
                tally.add(Kind.UNPARSEABLE_PARAMETERS);
            }
            case NULL_UUID -> {
                attached(host, hostSeq0, r, null, input(host, n), null, outcome, span);
                tally.add(Kind.NULL_UUID);
            }
            case MALFORMED_UUID -> {
                attached(host, hostSeq0, r, malformedUuid(n), input(host, n), null, outcome, span);
                tally.add(Kind.MALFORMED_UUID);
            }
            case UUID_COLLISION -> {
                int target = Plants.collisionTarget(n, plants.planned(Kind.UUID_COLLISION), jobs);
                String uuid = Catalog.CLUSTER + "-ot0gb-" + draws.tail(Space.JOB, target);
                attached(host, hostSeq0, r, uuid, input(host, n), null, outcome, span);
                tally.add(Kind.UUID_COLLISION);
            }
            case MISSING_CREATOR -> {
                String creator = Catalog.CLUSTER + "-ot0gb-" + draws.tail(Space.GHOST_TASK, n);
                attached(host, creator, r, newUuid(), input(host, n), null, outcome, span);
                tally.add(Kind.MISSING_CREATOR);
            }
            default -> throw new IllegalStateException("not a task-level plant: " + plant.kind());
        }
    }

    /** A planted task under {@code host}, created by {@code createdBy} (level 1) or by nobody (level 0). */
    private void attached(JobPlan host, String createdBy, SplittableRandom r, String uuid, Map<String, Object> hash,
                          String unparseable, Outcome outcome, Span span) throws SQLException {
        int sequence = createdBy == null ? 0 : 1;
        Format format = JobPlanner.format(r, host.yamlEra());
        String text = unparseable != null ? unparseable : Serialized.write(hash, format);
        String output = outcome == Outcome.DONE ? Catalog.manifest(r, "extra.md5") : null;
        write(host, new Task(uuid, host.uuid(), sequence, hash, text, format, output, outcome, progress(r, outcome),
                span.created(), span.started(), span.finished(), createdBy, sequence == 0 ? 0 : ++qsequence));
    }

    private void plain(JobPlan host, SplittableRandom r, String uuid, String jobUuid, int sequence, Map<String, Object> hash,
                       String output, Outcome outcome, Span span, String createdBy) throws SQLException {
        Format format = JobPlanner.format(r, host.yamlEra());
        write(host, new Task(uuid, jobUuid, sequence, hash, Serialized.write(hash, format), format, output, outcome,
                progress(r, outcome), span.created(), span.started(), span.finished(), createdBy,
                sequence == 0 ? 0 : ++qsequence));
    }

    private static Map<String, Object> input(JobPlan host, int n) {
        Map<String, Object> hash = new LinkedHashMap<>();
        hash.put("input", host.submission().input() + "/extra_" + n + ".fastq");
        return hash;
    }

    /** Uuids that old test fixtures and hand edits left behind; each distinct, none matching the uuid pattern. */
    private String malformedUuid(int n) {
        String tail = draws.tail(Space.GHOST_TASK, (1L << 40) + n);
        return switch (n % 5) {
            case 0 -> Catalog.CLUSTER + "-ot0gb-short" + (n / 5 == 0 ? "" : Integer.toString(n / 5));
            case 1 -> (Catalog.CLUSTER + "-ot0gb-" + tail).toUpperCase(Locale.ROOT);
            case 2 -> Catalog.CLUSTER + "-ot0gb-" + tail.substring(0, 14);
            case 3 -> Catalog.CLUSTER + "_ot0gb_" + tail;
            default -> Catalog.CLUSTER + "-ot0gb-" + tail + "x";
        };
    }
}
