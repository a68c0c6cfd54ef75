package org.arvados.tasksasjobs.backfill;

import java.time.Duration;
import java.util.Map;

/**
 * What a backfill run did.
 *
 * @param runId             checkpoint row, or 0 when there was nothing to do
 * @param resumed           whether it continued a run that an earlier process left unfinished
 * @param migrated          task-like jobs written by this process
 * @param quarantined       quarantine rows written by this process, by reason code in {@code quarantinedByReason}
 * @param alreadyPresent    rows skipped because their task-like job already existed (idempotent re-writes)
 * @param totals            what the database holds now, over every run
 * @param elapsed           wall time of this process's run
 * @param changesApplied    captured job_tasks writes applied after the walk (online phase; 0 without it)
 * @param changesWaiting    captured writes still queued when the run ended (written during the drain; the next run
 *                          applies them)
 */
public record BackfillResult(long runId, boolean resumed, long migrated, long quarantined,
                             Map<String, Long> quarantinedByReason, long alreadyPresent, Totals totals, Duration elapsed,
                             long changesApplied, long changesWaiting) {

    public BackfillResult {
        quarantinedByReason = Map.copyOf(quarantinedByReason);
    }

    /** A run without the online phase: no captured changes. */
    public BackfillResult(long runId, boolean resumed, long migrated, long quarantined,
                          Map<String, Long> quarantinedByReason, long alreadyPresent, Totals totals, Duration elapsed) {
        this(runId, resumed, migrated, quarantined, quarantinedByReason, alreadyPresent, totals, elapsed, 0, 0);
    }

    public boolean nothingToDo() {
        return runId == 0;
    }

    public double rate() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : (migrated + quarantined) / seconds;
    }

    /**
     * Every task of job_tasks accounted for, counted in one pass.
     *
     * @param tasks        rows of job_tasks
     * @param carried      tasks that have their task-like job
     * @param quarantined  tasks that have a quarantine row
     * @param neither      tasks with neither (arrived after the run started; the next run picks them up)
     * @param both         tasks with both (never expected; a sign of tampering)
     */
    public record Totals(long tasks, long carried, long quarantined, long neither, long both) {
        /** Whether every task is exactly once a task-like job or a quarantine row. */
        public boolean complete() {
            return neither == 0 && both == 0;
        }
    }
}
