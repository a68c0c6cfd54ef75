package org.arvados.tasksasjobs.seed;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.arvados.tasksasjobs.seed.Draws.Purpose;
import org.arvados.tasksasjobs.seed.Draws.Space;
import org.arvados.tasksasjobs.seed.JobPlan.Outcome;
import org.arvados.tasksasjobs.seed.JobPlan.Shape;
import org.arvados.tasksasjobs.seed.JobPlan.State;
import org.arvados.tasksasjobs.seed.JobPlan.Submission;
import org.arvados.tasksasjobs.seed.JobPlan.Times;
import org.arvados.tasksasjobs.seed.Serialized.Format;

/**
 * Decides each job of a seed (docs/arvados.md §6): created two years apart from first to last starting 2016-01-04, the
 * oldest with only the legacy running/success flags, the newest still queued or running; about 5% resubmit an
 * earlier job identically; YAML-era jobs (before March 2017) keep about 58% of their rows in YAML.
 */
final class JobPlanner {

    static final long BASE = micros(LocalDateTime.of(2016, 1, 4, 0, 0));
    static final long SPAN = 731L * 86_400_000_000L;
    /** Rows written before this were YAML (the server switched to JSON in March 2017). */
    static final long YAML_UNTIL = micros(LocalDateTime.of(2017, 3, 1, 0, 0));

    private static final long SECOND = 1_000_000L;
    private static final long MINUTE = 60 * SECOND;
    /** Tasks of one job run this many at a time. */
    static final int LANES = 4;

    private static final List<String> PATTERNS = List.of("GATTACA", "chr1", "TATA", ":foo", "Köln", "^chr[0-9]+");

    private final SeedSpec spec;
    private final Draws draws;
    private final Catalog catalog;
    private final Plants plants;

    JobPlanner(SeedSpec spec, Draws draws, Catalog catalog, Plants plants) {
        this.spec = spec;
        this.draws = draws;
        this.catalog = catalog;
        this.plants = plants;
    }

    String jobUuid(int i) {
        return Catalog.CLUSTER + "-8i9sb-" + draws.tail(Space.JOB, i);
    }

    JobPlan plan(int i) {
        int bad = plants.badParametersAt(i);
        double f = (double) i / spec.jobs();
        SplittableRandom rs = draws.stream(Purpose.STATE, i);
        boolean legacy = false;
        State state;
        if (bad >= 0) {
            state = State.COMPLETE; // so the bad parameters have tasks under them
        } else if (f < 0.08 && Draws.chance(rs, 0.7)) {
            legacy = true;
            state = Draws.chance(rs, 0.85) ? State.COMPLETE : State.FAILED;
        } else if (f >= 0.92) {
            double x = rs.nextDouble();
            state = x < 0.15 ? State.RUNNING : x < 0.27 ? State.QUEUED : x < 0.35 ? State.CANCELLED : x < 0.45 ? State.FAILED : State.COMPLETE;
        } else {
            double x = rs.nextDouble();
            state = x < 0.13 ? State.FAILED : x < 0.19 ? State.CANCELLED : State.COMPLETE;
        }
        boolean started = state != State.QUEUED && !(state == State.CANCELLED && Draws.chance(rs, 0.5));
        Boolean nondeterministic = legacy ? null : Draws.chance(rs, 0.04) ? Boolean.TRUE : Draws.chance(rs, 0.2) ? Boolean.FALSE : null;

        SplittableRandom rr = draws.stream(Purpose.REPEAT, i);
        int original = originalOf(i);
        boolean sameOwner = Draws.chance(rr, 0.5);
        boolean sameOutput = Draws.chance(rr, 0.75);
        Submission submission = submission(original >= 0 ? original : i);
        String owner = ownerOf(original >= 0 && sameOwner ? original : i);

        Shape shape = shape(i, state, started);
        Times times = times(i, state, started, shape);
        SplittableRandom ro = draws.stream(Purpose.OUTPUT, i);
        String ownOutput = Catalog.pdh(ro);
        String ownLog = Catalog.pdh(ro);
        String output = null;
        String log = null;
        if (state == State.COMPLETE) {
            output = Draws.chance(ro, 0.005) ? null : original >= 0 && sameOutput ? outputOf(original) : ownOutput;
            log = Draws.chance(ro, 0.01) ? null : ownLog;
        } else if (state == State.FAILED || (state == State.CANCELLED && started)) {
            log = ownLog;
        }
        boolean yamlEra = times.created() < YAML_UNTIL;
        Format format = format(draws.stream(Purpose.FORMAT, i), yamlEra);
        return new JobPlan(i, jobUuid(i), owner, Draws.pick(rs, catalog.clients), submission, state, legacy, times, shape,
                output, log, nondeterministic, original >= 0, yamlEra, format, bad);
    }

    /** The serialized form of one row's hash: YAML-era rows are mostly still YAML, a few rows anywhere double-encoded. */
    static Format format(SplittableRandom r, boolean yamlEra) {
        double x = r.nextDouble();
        if (yamlEra) {
            return x < 0.012 ? Format.DOUBLE_ENCODED : x < 0.58 ? Format.YAML : Format.JSON;
        }
        return x < 0.004 ? Format.DOUBLE_ENCODED : Format.JSON;
    }

    /** The earliest job that job i resubmits identically, or -1 when it is an original submission. */
    int originalOf(int i) {
        int j = resubmits(i);
        if (j < 0) {
            return -1;
        }
        for (int k = resubmits(j); k >= 0; k = resubmits(k)) {
            j = k;
        }
        return j;
    }

    private int resubmits(int i) {
        SplittableRandom r = draws.stream(Purpose.REPEAT, -1L - i);
        if (i < 10 || !Draws.chance(r, 0.05)) {
            return -1;
        }
        return i - 1 - r.nextInt(Math.min(i, 50));
    }

    private String ownerOf(int i) {
        return Draws.pick(draws.stream(Purpose.SUBMISSION, -1L - i), catalog.users);
    }

    private String outputOf(int i) {
        return Catalog.pdh(draws.stream(Purpose.OUTPUT, i));
    }

    /** What job i submitted when it is an original submission. */
    Submission submission(int i) {
        SplittableRandom r = draws.stream(Purpose.SUBMISSION, i);
        Catalog.Script script = Draws.pick(r, catalog.scripts);
        int latest = Math.min(2, (int) (3L * i / spec.jobs()));
        int k = Draws.chance(r, 0.2) ? r.nextInt(latest + 1) : latest;
        String commit = script.commits().get(k);
        double v = r.nextDouble();
        String supplied = v < 0.6 ? "master" : v < 0.8 ? "v1." + k : commit;
        String image = Draws.chance(r, 0.7) ? Draws.pick(r, catalog.images) : null;
        String sdk = Draws.chance(r, 0.4) ? Draws.pick(r, catalog.sdkVersions) : null;
        Map<String, Object> parameters = new LinkedHashMap<>();
        String input = Catalog.pdh(r);
        switch (script.name()) {
            case "grep" -> {
                parameters.put("input", input);
                parameters.put("pattern", Draws.pick(r, PATTERNS));
            }
            case "run-command" -> {
                parameters.put("command", List.of("md5sum", "$(task.input)"));
                parameters.put("task.foreach", "input");
                parameters.put("input", input);
            }
            case "bwa-align" -> {
                parameters.put("reference", Draws.pick(r, catalog.references));
                parameters.put("input", input);
                parameters.put("an_integer", Draws.chance(r, 0.5) ? (Object) 1L : "1");
                if (Draws.chance(r, 0.3)) {
                    Map<String, Object> bwa = new LinkedHashMap<>();
                    bwa.put("threads", 4L);
                    bwa.put("mode", "mem");
                    parameters.put("bwa", bwa);
                }
            }
            case "count-lines" -> {
                parameters.put("input", input);
                parameters.put("an_integer", Draws.chance(r, 0.5) ? (Object) 2L : "2");
                if (Draws.chance(r, 0.1)) {
                    parameters.put("mode", ":fast");
                }
            }
            default -> parameters.put("input", input);
        }
        Map<String, Object> constraints = new LinkedHashMap<>();
        if (image != null) {
            constraints.put("docker_image", "arvados/jobs");
        }
        constraints.put("min_nodes", 1L);
        if (sdk != null) {
            constraints.put("arvados_sdk_version", "master");
        }
        if (Draws.chance(r, 0.3)) {
            constraints.put("max_tasks_per_node", (long) LANES);
        }
        return new Submission(script, commit, supplied, image, sdk, parameters, constraints);
    }

    private Shape shape(int i, State state, boolean started) {
        SplittableRandom r = draws.stream(Purpose.SHAPE, i);
        int k = spec.tasksPerJob() - 1;
        int fanOut = k == 0 ? 0 : Math.max(1, k + (k / 4 == 0 ? 0 : r.nextInt(-(k / 4), k / 4 + 1)));
        if (!started) {
            int requeued = state == State.QUEUED && Draws.chance(r, 0.3) ? 1 : 0;
            return new Shape(0, requeued, null, 0, 0, 0, 0, 0, 0);
        }
        int retries = Draws.chance(r, 0.08) ? (Draws.chance(r, 0.25) ? 2 : 1) : 0;
        if (fanOut == 0) {
            Outcome only = switch (state) {
                case COMPLETE -> Outcome.DONE;
                case FAILED -> Outcome.FAILED;
                default -> Outcome.RUNNING;
            };
            return new Shape(retries, 0, only, 0, 0, 0, 0, 0, 0);
        }
        switch (state) {
            case COMPLETE -> {
                int level2 = fanOut >= 3 && Draws.chance(r, 0.3) ? fanOut / 4 : 0;
                int level1 = fanOut - level2;
                return new Shape(retries, 0, Outcome.DONE, level1, level2, level1, 0, 0, 0);
            }
            case FAILED -> {
                if (Draws.chance(r, 0.2)) {
                    return new Shape(retries, 0, Outcome.FAILED, 0, 0, 0, 0, 0, 0);
                }
                int failed = 1 + r.nextInt(Math.min(3, fanOut));
                int done = r.nextInt(fanOut - failed + 1);
                return new Shape(retries, 0, Outcome.DONE, fanOut, 0, done, failed, 0, fanOut - done - failed);
            }
            default -> {
                int done = r.nextInt(fanOut + 1);
                int running = Math.min(fanOut - done, 1 + r.nextInt(LANES));
                return new Shape(retries, 0, Outcome.DONE, fanOut, 0, done, 0, running, fanOut - done - running);
            }
        }
    }

    private Times times(int i, State state, boolean started, Shape shape) {
        SplittableRandom r = draws.stream(Purpose.TIMES, i);
        long step = SPAN / spec.jobs();
        // Less than half a step of jitter keeps created_at strictly increasing with the index.
        long created = BASE + (long) i * step + r.nextLong(Math.max(1, Math.min(step / 2, 60 * MINUTE)));
        long queued = 5 * SECOND + r.nextLong(20 * MINUTE);
        int rows = (shape.level1() + LANES - 1) / LANES + (shape.level2() + LANES - 1) / LANES + shape.retries() + 1;
        long length = MINUTE + rows * (30 * SECOND + r.nextLong(570 * SECOND));
        long none = CopyRows.NO_TIME;
        if (!started) {
            if (state == State.CANCELLED) {
                long cancelled = created + queued;
                return new Times(created, none, cancelled, cancelled, cancelled, none, none);
            }
            if (shape.requeued() > 0) {
                long start = created + queued;
                long end = start + 10 * MINUTE;
                return new Times(created, none, none, none, end, start, end);
            }
            return new Times(created, none, none, none, created, none, none);
        }
        long start = created + queued;
        long end = start + length;
        return switch (state) {
            case RUNNING -> new Times(created, start, none, none, end, start, end);
            case CANCELLED -> new Times(created, start, end, end, end, start, end);
            default -> new Times(created, start, end, none, end + r.nextLong(2 * SECOND), start, end);
        };
    }

    static long micros(LocalDateTime t) {
        return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L;
    }
}
