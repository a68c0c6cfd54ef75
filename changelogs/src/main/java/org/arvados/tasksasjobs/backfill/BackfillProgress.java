package org.arvados.tasksasjobs.backfill;

import java.time.Duration;

/**
 * Where a run stands after a committed batch.
 *
 * @param runId        the checkpoint row of this run
 * @param done         rows of this run handled so far (migrated + quarantined), resumed runs included
 * @param total        rows this run covers (fixed when it started)
 * @param quarantined  of {@code done}, how many went to quarantine
 * @param batches      batches committed by this process
 * @param doneHere     rows handled by this process (what the rate is measured on)
 * @param elapsed      time this process has spent
 * @param changesApplied  captured job_tasks writes applied so far by this run's drain (online phase; else 0)
 * @param changesWaiting  captured writes not applied yet, as far as this run knows (online phase; else 0)
 */
public record BackfillProgress(long runId, long done, long total, long quarantined, long batches, long doneHere, Duration elapsed,
                               long changesApplied, long changesWaiting) {

    /** Progress of the walk, before any captured change is applied. */
    public BackfillProgress(long runId, long done, long total, long quarantined, long batches, long doneHere, Duration elapsed) {
        this(runId, done, total, quarantined, batches, doneHere, elapsed, 0, 0);
    }

    /** This progress after the drain applied {@code applied} captured changes, {@code waiting} still queued. */
    public BackfillProgress withChanges(long applied, long waiting, Duration elapsedNow) {
        return new BackfillProgress(runId, done, total, quarantined, batches, doneHere, elapsedNow, applied, waiting);
    }

    /** Rows per second handled by this process. */
    public double rate() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : doneHere / seconds;
    }

    /** Estimated time left at the current rate; null while there is no rate yet. */
    public Duration eta() {
        double rate = rate();
        if (rate <= 0) {
            return null;
        }
        return Duration.ofMillis((long) ((total - done) / rate * 1000));
    }

    public double fraction() {
        return total == 0 ? 1.0 : (double) done / total;
    }
}
