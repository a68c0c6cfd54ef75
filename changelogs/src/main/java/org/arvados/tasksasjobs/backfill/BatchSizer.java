package org.arvados.tasksasjobs.backfill;

import java.time.Duration;

/**
 * How many rows the next batch of one worker reads. Fixed, or tuned from the timings of the batches before it so
 * that a batch takes about {@link #TARGET}: long enough that round trips and commits cost nothing next to the rows,
 * short enough that a kill loses little, progress moves, and a run of huge manifests gets small batches by itself.
 * Confined to the worker that owns it.
 */
final class BatchSizer {

    static final Duration TARGET = Duration.ofSeconds(1);
    /** The largest batch anyone may ask for. */
    static final int MAX = 100_000;
    /** The tuned size stays within these. */
    static final int MIN_TUNED = 100;
    static final int MAX_TUNED = 20_000;

    private final boolean tuned;
    private int size;

    private BatchSizer(int size, boolean tuned) {
        this.size = size;
        this.tuned = tuned;
    }

    static BatchSizer fixed(int size) {
        return new BatchSizer(size, false);
    }

    static BatchSizer tuned(int firstSize) {
        return new BatchSizer(Math.max(MIN_TUNED, Math.min(MAX_TUNED, firstSize)), true);
    }

    static BatchSizer of(BackfillSettings settings) {
        return settings.tuneBatchSize() ? tuned(settings.batchSize()) : fixed(settings.batchSize());
    }

    int size() {
        return size;
    }

    /**
     * A batch of {@code rows} took {@code elapsed} from reading to commit. The next size aims at the target, moving
     * at most by half or double so one slow batch (a checkpoint, an autovacuum) does not swing it.
     */
    void observe(int rows, Duration elapsed) {
        if (!tuned || rows <= 0) {
            return;
        }
        double nanosPerRow = Math.max(1, elapsed.toNanos()) / (double) rows;
        double ideal = TARGET.toNanos() / nanosPerRow;
        double bounded = Math.max(size / 2.0, Math.min(size * 2.0, ideal));
        size = (int) Math.max(MIN_TUNED, Math.min(MAX_TUNED, Math.round(bounded)));
    }
}
