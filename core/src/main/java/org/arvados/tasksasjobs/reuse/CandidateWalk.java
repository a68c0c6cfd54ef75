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
    private String chosen;
    private String chosenOutput;
    private boolean outputsDiffer;

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
        if (outputsDiffer || output == null || log == null) {
            // Once two usable Complete jobs disagreed none may be taken; a job without output or log is not usable.
            return;
        }
        if (chosenOutput == null) {
            chosen = uuid;
            chosenOutput = output;
        } else if (!chosenOutput.equals(output)) {
            // Taking either would be an arbitrary choice between two answers: the server refuses to make it.
            outputsDiffer = true;
        }
    }

    ReuseOutcome outcome(String probeId) {
        if (outputsDiffer) {
            return new ReuseOutcome(probeId, inProgress, ReuseRule.OUTPUTS_DIFFER);
        }
        if (chosen != null) {
            return new ReuseOutcome(probeId, chosen, ReuseRule.COMPLETE);
        }
        if (inProgress != null) {
            return new ReuseOutcome(probeId, inProgress, RUNNING.equals(inProgressState) ? ReuseRule.RUNNING : ReuseRule.QUEUED);
        }
        return new ReuseOutcome(probeId, null, ReuseRule.NONE);
    }
}
