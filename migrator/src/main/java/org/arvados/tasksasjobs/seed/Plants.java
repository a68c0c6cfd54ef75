package org.arvados.tasksasjobs.seed;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a dirty seed plants its dirt: which jobs host which planted rows. Decided up front from the spec alone; the
 * schedule is small (about one planted row per 2,000 tasks of each kind), never the rows themselves.
 * Each kind is spread evenly over the jobs, each from its own offset; planted tasks never sit under a job whose own
 * script_parameters are planted unparseable, so every planted row has exactly one kind of dirt.
 */
final class Plants {

    /** The n-th planted row (or pair, for orphans) of a kind. */
    record Plant(Kind kind, int n) {
    }

    /** Unparseable serialized hashes, in turn: broken YAML, neither JSON nor YAML, broken JSON, not a hash, a YAML date. */
    static final List<String> UNPARSEABLE = List.of("--- [unclosed", "not a hash", "{\"a\":", "[1,2]", "---\nwhen: 2017-01-02\n");

    /** Task-level kinds, in the order they are written under a host. */
    static final List<Kind> TASK_KINDS = List.of(Kind.ORPHAN, Kind.NULL_JOB_UUID, Kind.UNPARSEABLE_PARAMETERS, Kind.NULL_UUID,
            Kind.MALFORMED_UUID, Kind.UUID_COLLISION, Kind.MISSING_CREATOR);

    private static final int TASKS_PER_PLANT = 2_000;
    private static final int JOBS_PER_PLANT = 500;

    private final Map<Integer, List<Plant>> byHost = new HashMap<>();
    private final Map<Integer, Integer> badParameters = new HashMap<>();
    private final EnumMap<Kind, Integer> planned = new EnumMap<>(Kind.class);

    Plants(SeedSpec spec) {
        if (!spec.dirty()) {
            return;
        }
        int jobs = spec.jobs();
        int badJobs = Math.max(3, jobs / JOBS_PER_PLANT);
        planned.put(Kind.UNPARSEABLE_SCRIPT_PARAMETERS, badJobs);
        Set<Integer> badHosts = new HashSet<>();
        for (int n = 0; n < badJobs; n++) {
            int host = host(Kind.UNPARSEABLE_SCRIPT_PARAMETERS, n, badJobs, jobs);
            badParameters.put(host, n);
            badHosts.add(host);
        }
        long perKind = Math.max(3, (long) jobs * spec.tasksPerJob() / TASKS_PER_PLANT);
        for (Kind kind : TASK_KINDS) {
            // A collision names a job of its own, so there can be no more of them than jobs.
            int count = (int) (kind == Kind.UUID_COLLISION ? Math.min(perKind, jobs) : perKind);
            planned.put(kind, count);
            for (int n = 0; n < count; n++) {
                int host = host(kind, n, count, jobs);
                while (badHosts.contains(host)) {
                    host = (host + 1) % jobs;
                }
                byHost.computeIfAbsent(host, k -> new ArrayList<>(2)).add(new Plant(kind, n));
            }
        }
    }

    /** The task-level plants written after job {@code job}'s own tasks, in a fixed order. */
    List<Plant> at(int job) {
        return byHost.getOrDefault(job, List.of());
    }

    /** The plant number when job {@code job}'s script_parameters are to be unparseable, else -1. */
    int badParametersAt(int job) {
        return badParameters.getOrDefault(job, -1);
    }

    int planned(Kind kind) {
        return planned.getOrDefault(kind, 0);
    }

    /** The job that the n-th uuid collision copies its tail from: distinct for every n (count is at most jobs). */
    static int collisionTarget(int n, int count, int jobs) {
        return (int) ((long) n * jobs / count);
    }

    /** Evenly spread, rotated by a per-kind offset so kinds do not pile onto the same jobs; distinct for count <= jobs. */
    private static int host(Kind kind, int n, int count, int jobs) {
        long spread = (2L * n + 1) * jobs / (2L * count);
        long offset = (long) jobs * (kind.ordinal() * 37 % 100) / 100;
        return (int) ((spread + offset) % jobs);
    }
}
