package org.arvados.tasksasjobs.seed;

import java.util.Map;
import org.arvados.tasksasjobs.seed.Serialized.Format;

/**
 * Everything about one job that the jobs pass and the tasks pass both need; a pure function of the spec and the
 * job's index ({@link JobPlanner#plan(int)}), so neither pass keeps anything of the other in memory.
 *
 * @param badParameters the planted-dirt number when this job's script_parameters are written unparseable, else -1
 */
record JobPlan(int index, String uuid, String owner, String client, Submission submission, State state, boolean legacy,
               Times times, Shape shape, String output, String log, Boolean nondeterministic, boolean repeat,
               boolean yamlEra, Format format, int badParameters) {

    /** Job states, with the legacy flags Arvados keeps in step with each. */
    enum State {
        QUEUED("Queued", false, null), RUNNING("Running", true, null), COMPLETE("Complete", false, true),
        FAILED("Failed", false, false), CANCELLED("Cancelled", false, false);

        final String text;
        final boolean running;
        final Boolean success;

        State(String text, boolean running, Boolean success) {
            this.text = text;
            this.running = running;
            this.success = success;
        }
    }

    /** How a task ended, or where it is. */
    enum Outcome { DONE, FAILED, RUNNING, QUEUED }

    /** What was submitted: equal for a job and its repeated identical submissions. */
    record Submission(Catalog.Script script, String commit, String supplied, String image, String sdk,
                      Map<String, Object> parameters, Map<String, Object> runtimeConstraints) {

        String input() {
            return (String) parameters.get("input");
        }
    }

    /**
     * Microseconds since the epoch, {@link CopyRows#NO_TIME} when absent. Tasks run inside [windowStart, windowEnd]:
     * the job's run (started to finished, or to the last task event of a running job).
     */
    record Times(long created, long started, long finished, long cancelled, long modified, long windowStart, long windowEnd) {
    }

    /**
     * The tasks of the job: {@code retries} failed sequence-0 tasks of earlier runs, {@code requeued} the same for a job
     * that went back to the queue, then (when {@code seq0} is not null) the last run's sequence-0 task and the
     * {@code level1} tasks it created (the first {@code done} done, then {@code failed}, {@code running}, {@code todo}),
     * and {@code level2} done tasks, one created by each of the first level-1 tasks.
     */
    record Shape(int retries, int requeued, Outcome seq0, int level1, int level2, int done, int failed, int running, int todo) {

        int tasks() {
            return retries + requeued + (seq0 == null ? 0 : 1) + level1 + level2;
        }

        Outcome level1Outcome(int j) {
            if (j < done) {
                return Outcome.DONE;
            }
            if (j < done + failed) {
                return Outcome.FAILED;
            }
            return j < done + failed + running ? Outcome.RUNNING : Outcome.QUEUED;
        }

        /** crunch-job's {@code tasks_summary} of the last run, in the key order it wrote. */
        String summary() {
            int d = done + level2 + (seq0 == Outcome.DONE ? 1 : 0);
            int f = failed + (seq0 == Outcome.FAILED ? 1 : 0);
            int r = running + (seq0 == Outcome.RUNNING ? 1 : 0);
            int t = todo + (seq0 == Outcome.QUEUED ? 1 : 0);
            return "{\"failed\":" + f + ",\"todo\":" + t + ",\"running\":" + r + ",\"done\":" + d + "}";
        }
    }
}
