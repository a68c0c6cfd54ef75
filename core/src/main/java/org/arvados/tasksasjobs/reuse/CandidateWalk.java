package org.arvados.tasksasjobs.reuse;

/**
 * The walk of docs/arvados.md §5 over one probe's candidates, fed in the server's order (Running, Queued, Complete;
 * oldest first within each). Candidates are already filtered: same submission, deterministic, Complete or an
 * in-progress job of the submitter. Pure; one instance per probe.
 */
final class CandidateWalk {

    static final String COMPLETE = "Complete";
    static final String RUNNING = "Running";

    private String inProgress;
    private String inProgressState;
    private final CompleteTwins<String> complete = new CompleteTwins<>();

    /** The next candidate in order. */
    void accept(String uuid, String state, String output, String log) {
        if (!COMPLETE.equals(state)) {
            if (inProgress == null) {
                // The first one seen: the oldest Running job, else the oldest Queued one.
                inProgress = uuid;
                inProgressState = state;
            }
            return;
        }
        complete.accept(uuid, output, log);
    }

    ReuseOutcome outcome(String probeId) {
        if (complete.outputsDiffer()) {
            return new ReuseOutcome(probeId, inProgress, ReuseRule.OUTPUTS_DIFFER);
        }
        if (complete.chosen() != null) {
            return new ReuseOutcome(probeId, complete.chosen(), ReuseRule.COMPLETE);
        }
        if (inProgress != null) {
            return new ReuseOutcome(probeId, inProgress, RUNNING.equals(inProgressState) ? ReuseRule.RUNNING : ReuseRule.QUEUED);
        }
        return new ReuseOutcome(probeId, null, ReuseRule.NONE);
    }
}
