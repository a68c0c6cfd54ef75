package org.arvados.tasksasjobs.backfill;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The ranges of a run and the workers walking them. A worker takes a range no one has taken; when none is left, it
 * does not stop or wait for a walker to finish its batch: it splits the rest of the range with the most ids left after
 * what its walker has read, at once, and walks the upper half. A walker may be inside a statement of seconds (the
 * INSERT that merges the trigram index's pending list); before this, the worker with nothing left waited for that
 * statement's commit while its core idled (docs/benchmarks.md, "Where the time goes").
 *
 * <p>A walker reads its range's upper bound here before each read ({@link #startRead}) and says how far it read
 * ({@link #endRead}); a split never happens while it reads, and never cuts below what it has read.
 */
final class RangeBoard {

    /** Cuts what {@code range} has left after {@code after} in two, committed; empty when too little is left. */
    @FunctionalInterface
    interface Splitter {
        Optional<Checkpoints.Split> split(Checkpoints.Range range, long after, int rangeNo) throws SQLException;
    }

    /** A range being walked: its bounds (the upper one lowered by splits) and how far its walker has read. */
    static final class Walk {
        private volatile Checkpoints.Range range;
        private long readUpTo;
        private boolean read;
        private boolean reading;
        private boolean splitting;
        /** What {@code readUpTo} was when a split found too little left; no split is tried again until it moves. */
        private long unsplittableAt = Long.MIN_VALUE;

        private Walk(Checkpoints.Range range) {
            this.range = range;
            this.readUpTo = range.lastTaskId();
        }

        /** The range as it stands now (its upper bound may have been lowered by a split). */
        Checkpoints.Range range() {
            return range;
        }
    }

    private final Deque<Checkpoints.Range> waiting;
    private final List<Walk> walking = new ArrayList<>();
    private int nextRangeNo;
    private int parked;
    private boolean closed;

    /**
     * @param ranges the run's unfinished ranges, taken in this order
     * @param nextRangeNo the first range number not used by the run yet
     */
    RangeBoard(Collection<Checkpoints.Range> ranges, int nextRangeNo) {
        this.waiting = new ArrayDeque<>(ranges);
        this.nextRangeNo = nextRangeNo;
    }

    /**
     * A range to walk: one no worker has taken, or else the upper half of what a walker has left, split off through
     * {@code splitter} (on the caller's thread and connection, outside this board's lock). Waits while every walker's
     * rest is too small to split or is being read. Null when nothing is left (no range waits and no one walks) or the
     * board is closed. The caller reports the walk's end with {@link #walked}.
     */
    Walk take(Splitter splitter) throws SQLException, InterruptedException {
        while (true) {
            Walk victim;
            Checkpoints.Range range;
            long after;
            int rangeNo;
            synchronized (this) {
                if (closed) {
                    return null;
                }
                Checkpoints.Range next = waiting.poll();
                if (next != null) {
                    return walk(next);
                }
                if (walking.isEmpty()) {
                    return null;
                }
                victim = victim();
                if (victim == null) {
                    park();
                    continue;
                }
                victim.splitting = true;
                range = victim.range;
                after = victim.readUpTo;
                rangeNo = nextRangeNo++;
            }
            Optional<Checkpoints.Split> split;
            try {
                split = splitter.split(range, after, rangeNo);
            } catch (SQLException | RuntimeException e) {
                synchronized (this) {
                    victim.splitting = false;
                    notifyAll();
                }
                throw e;
            }
            synchronized (this) {
                victim.splitting = false;
                notifyAll();
                if (split.isEmpty()) {
                    victim.unsplittableAt = after;
                    continue;
                }
                victim.range = split.get().kept();
                // registered together with the cut, so no other worker sees the board empty in between
                return closed ? null : walk(split.get().given());
            }
        }
    }

    /** The walk with the most ids left after what its walker read, that may be split now; null when none. */
    private Walk victim() {
        Walk best = null;
        long bestLeft = 0;
        for (Walk w : walking) {
            if (!w.read || w.reading || w.splitting || w.readUpTo == w.unsplittableAt) {
                continue;
            }
            long left = w.range.upperBound() - w.readUpTo;
            if (left > bestLeft) {
                best = w;
                bestLeft = left;
            }
        }
        return best;
    }

    private Walk walk(Checkpoints.Range range) {
        Walk w = new Walk(range);
        walking.add(w);
        return w;
    }

    /** The walker is about to read: returns its range's upper bound, and holds splits off until {@link #endRead}. */
    synchronized long startRead(Walk walk) throws InterruptedException {
        while (walk.splitting) {
            park();
        }
        walk.reading = true;
        return walk.range.upperBound();
    }

    /** The walker has read every id up to {@code readUpTo} (inclusive) of its range. */
    synchronized void endRead(Walk walk, long readUpTo) {
        walk.reading = false;
        walk.read = true;
        walk.readUpTo = Math.max(walk.readUpTo, readUpTo);
        notifyAll();
    }

    /** The worker is done with {@code walk} (walked to its end, or stopped). */
    synchronized void walked(Walk walk) {
        walk.reading = false;
        walking.remove(walk);
        notifyAll();
    }

    private void park() throws InterruptedException {
        parked++;
        try {
            wait();
        } finally {
            parked--;
        }
    }

    /** How many threads wait on this board now (for tests: a worker is known to wait before the next step). */
    synchronized int parked() {
        return parked;
    }

    /** Stops handing out ranges: a worker failed, the others finish the batch they are on and stop. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }
}
