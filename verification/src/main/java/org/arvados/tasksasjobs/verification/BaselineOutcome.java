package org.arvados.tasksasjobs.verification;

import org.arvados.tasksasjobs.reuse.ReuseOutcome;

/**
 * One probe's outcome as a baseline keeps it.
 *
 * @param kind   {@code job} (a top-level job resubmitted as itself) or {@code probe} (a line of --probes)
 * @param seq    the job's id for {@code job}, the line's position for {@code probe}: both sides are walked in this order
 * @param noise  why the outcome is not stable (it changed with the order of candidates tied on created_at), or null
 */
public record BaselineOutcome(String kind, long seq, ReuseOutcome outcome, String noise) {

    public static final String JOB = "job";
    public static final String PROBE = "probe";

    public boolean noisy() {
        return noise != null;
    }
}
