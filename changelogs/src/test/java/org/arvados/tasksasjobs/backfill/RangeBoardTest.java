package org.arvados.tasksasjobs.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The hand-over between workers: real threads, no database (the splits themselves are WorkersTest's). */
@Timeout(30)
class RangeBoardTest {

    private static final Checkpoints.Range FIRST = new Checkpoints.Range(1, 0, 0, 100, 0, false);
    private static final Checkpoints.Range SECOND = new Checkpoints.Range(1, 1, 100, 200, 100, false);
    private static final Checkpoints.Range SPLIT_OFF = new Checkpoints.Range(1, 2, 150, 200, 150, false);

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void rangesAreTakenInOrderThenNothingWhenNoOneWalks() throws Exception {
        RangeBoard board = new RangeBoard(List.of(FIRST, SECOND), 2);

        assertSame(FIRST, board.take());
        assertSame(SECOND, board.take());
        board.walked();
        board.walked();
        assertNull(board.take(), "nothing waits and no worker walks");
    }

    @Test
    void aWorkerWithNothingLeftGetsWhatAWalkerSplitsOffForIt() throws Exception {
        RangeBoard board = new RangeBoard(List.of(FIRST), 2);
        assertSame(FIRST, board.take());
        assertFalse(board.splitWanted(), "no one waits yet");

        CompletableFuture<Checkpoints.Range> waiting = takeOnAnotherThread(board);
        awaitSplitWanted(board);
        assertFalse(board.splitWanted(), "one split is promised for the one waiting worker");
        assertEquals(2, board.newRangeNo());
        assertEquals(3, board.newRangeNo(), "range numbers are never handed out twice");
        board.offer(SPLIT_OFF);

        assertSame(SPLIT_OFF, waiting.get());
        assertFalse(board.splitWanted());
    }

    @Test
    void aSplitThatDidNotHappenIsWantedAgainAndTheLastWalkerEndsTheWait() throws Exception {
        RangeBoard board = new RangeBoard(List.of(FIRST), 2);
        assertSame(FIRST, board.take());
        CompletableFuture<Checkpoints.Range> waiting = takeOnAnotherThread(board);
        awaitSplitWanted(board);
        board.splitFailed(); // too little was left
        assertTrue(board.splitWanted(), "still waiting, so a later batch may split");
        board.splitFailed();

        board.walked();

        assertNull(waiting.get(), "the last walker is done: nothing is left to wait for");
    }

    @Test
    void closingWakesAWaitingWorkerWithNothing() throws Exception {
        RangeBoard board = new RangeBoard(List.of(FIRST, SECOND), 2);
        assertSame(FIRST, board.take());
        assertSame(SECOND, board.take());
        CompletableFuture<Checkpoints.Range> waiting = takeOnAnotherThread(board);
        awaitSplitWanted(board);
        board.splitFailed();

        board.close();

        assertNull(waiting.get());
        assertFalse(board.splitWanted(), "a closed board wants nothing");
        assertNull(board.take());
    }

    private CompletableFuture<Checkpoints.Range> takeOnAnotherThread(RangeBoard board) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return board.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, threads);
    }

    /** Until the other thread waits in take(): splitWanted() turns true then (and promises a split). */
    private static void awaitSplitWanted(RangeBoard board) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!board.splitWanted()) {
            assertTrue(System.nanoTime() < deadline, "the other thread never waited");
            Thread.onSpinWait();
        }
    }
}
