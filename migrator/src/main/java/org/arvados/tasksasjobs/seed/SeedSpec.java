package org.arvados.tasksasjobs.seed;

/**
 * What to seed: {@code jobs} top-level jobs with about {@code tasksPerJob} tasks each, drawn from {@code seed}
 * (the same spec always gives byte-identical rows), and with {@code dirty} the rows an old database also holds that
 * a migration must quarantine or work around (see {@link SeedSummary}).
 */
public record SeedSpec(int jobs, int tasksPerJob, long seed, boolean dirty) {

    /** Far beyond anything useful; keeps every derived count inside an int and every timestamp apart. */
    public static final int MAX_JOBS = 50_000_000;
    public static final int MAX_TASKS_PER_JOB = 100_000;
    /** A dirty seed plants at least three rows of each kind and keeps the jobs with bad parameters a minority. */
    public static final int MIN_DIRTY_JOBS = 10;

    public SeedSpec {
        if (jobs < 1 || jobs > MAX_JOBS) {
            throw new IllegalArgumentException("jobs must be between 1 and " + MAX_JOBS + ", not " + jobs);
        }
        if (tasksPerJob < 1 || tasksPerJob > MAX_TASKS_PER_JOB) {
            throw new IllegalArgumentException("tasks per job must be between 1 and " + MAX_TASKS_PER_JOB + ", not " + tasksPerJob);
        }
        if ((long) jobs * tasksPerJob > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("jobs times tasks per job must stay below " + Integer.MAX_VALUE + ", not "
                    + (long) jobs * tasksPerJob);
        }
        if (dirty && jobs < MIN_DIRTY_JOBS) {
            throw new IllegalArgumentException("a dirty seed needs at least " + MIN_DIRTY_JOBS + " jobs, not " + jobs);
        }
    }
}
