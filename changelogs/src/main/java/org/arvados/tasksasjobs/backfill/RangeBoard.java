package org.arvados.tasksasjobs.backfill;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;

/**
 * The ranges of a run that no worker has taken yet, and the workers waiting for one. A worker whose ranges are all
 * walked does not stop while another still walks: it waits here, and a walking worker that sees it waiting hands it
 * the upper half of what its own range has left ({@link RangeWalker}). Without this the run's last seconds had one
 * worker while the other core idled (docs/benchmarks.md, "Where the time goes").
 */
final class RangeBoard {

    private final Deque<Checkpoints.Range> waiting;
    private int nextRangeNo;
    private int walking;
    private int hungry;
    private int splitsPromised;
    private boolean closed;

    /**
     * @param ranges the run's unfinished ranges, walked in this order
     * @param nextRangeNo the first range number not used by the run yet
     */
    RangeBoard(Collection<Checkpoints.Range> ranges, int nextRangeNo) {
        this.waiting = new ArrayDeque<>(ranges);
        this.nextRangeNo = nextRangeNo;
    }

    /**
     * A range to walk: a waiting one, or else one split off for this worker once a walker sees it waiting. Null when
     * nothing is left to walk (no range waits and no worker walks) or the board is closed. A worker that got a range
     * calls {@link #walked()} when it is done with it.
     */
    synchronized Checkpoints.Range take() throws InterruptedException {
        while (!closed) {
            Checkpoints.Range range = waiting.poll();
            if (range != null) {
                walking++;
                return range;
            }
            if (walking == 0) {
                return null;
            }
            hungry++;
            try {
                wait();
            } finally {
                hungry--;
            }
        }
        return null;
    }

    /** The worker is done with the range it took (walked to its end, or stopped). */
    synchronized void walked() {
        walking--;
        notifyAll();
    }

    /**
     * Whether a walker should split its rest for a waiting worker; true promises a {@link #offer} or a
     * {@link #splitFailed()}, so two walkers do not both split for one waiting worker.
     */
    synchronized boolean splitWanted() {
        if (closed || hungry <= splitsPromised + waiting.size()) {
            return false;
        }
        splitsPromised++;
        return true;
    }

    /** A number for a range split off now; never one the run has used. */
    synchronized int newRangeNo() {
        return nextRangeNo++;
    }

    /** Hands a range split off (and committed) to a waiting worker. */
    synchronized void offer(Checkpoints.Range range) {
        splitsPromised--;
        waiting.add(range);
        notifyAll();
    }

    /** The promised split did not happen (too little left to be worth it). */
    synchronized void splitFailed() {
        splitsPromised--;
    }

    /** Stops handing out ranges: a worker failed, the others finish the batch they are on and stop. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }
}
