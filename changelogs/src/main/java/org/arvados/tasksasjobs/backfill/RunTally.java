package org.arvados.tasksasjobs.backfill;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the workers of one run have committed, and the first failure among them. The workers report each committed
 * batch here; the listener hears about them one at a time, in commit order, whatever thread committed them.
 */
final class RunTally {

    private final BackfillListener listener;
    private final Checkpoints.Run run;
    private final long startNanos;
    private final Map<String, Long> byReason = new HashMap<>();
    private long done;
    private long quarantinedTotal;
    private long migratedHere;
    private long quarantinedHere;
    private long alreadyPresent;
    private long batches;
    private Exception failure;

    RunTally(BackfillListener listener, Checkpoints.Run run, long startNanos) {
        this.listener = listener;
        this.run = run;
        this.startNanos = startNanos;
        this.done = run.done();
        this.quarantinedTotal = run.quarantined();
    }

    synchronized void committed(int rows, int mapped, int inserted, List<QuarantineWriter.Entry> quarantined, int quarantinedNow) {
        batches++;
        migratedHere += inserted;
        alreadyPresent += mapped - inserted;
        quarantinedHere += quarantinedNow;
        for (QuarantineWriter.Entry e : quarantined) {
            byReason.merge(e.reason(), 1L, Long::sum);
        }
        done += rows;
        quarantinedTotal += quarantined.size();
        listener.batchCommitted(progress());
    }

    synchronized BackfillProgress progress() {
        return new BackfillProgress(run.runId(), done, run.total(), quarantinedTotal, batches, done - run.done(),
                Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /** Records the first failure; the other workers stop after the batch they are on. */
    synchronized void failed(Exception e) {
        if (failure == null) {
            failure = e;
        } else if (failure != e) {
            failure.addSuppressed(e);
        }
    }

    synchronized boolean stopped() {
        return failure != null;
    }

    synchronized Exception failure() {
        return failure;
    }

    synchronized long migratedHere() {
        return migratedHere;
    }

    synchronized long quarantinedHere() {
        return quarantinedHere;
    }

    synchronized long alreadyPresent() {
        return alreadyPresent;
    }

    synchronized Map<String, Long> byReason() {
        return Map.copyOf(byReason);
    }
}
