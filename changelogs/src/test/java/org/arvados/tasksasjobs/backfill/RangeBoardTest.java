package org.arvados.tasksasjobs.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Taking and splitting ranges between workers: real threads, no database (the splits' SQL is BackfillTest's). */
@Timeout(30)
class RangeBoardTest {

    private static final Checkpoints.Range FIRST = new Checkpoints.Range(1, 0, 0, 100, 0, false);
    private static final Checkpoints.Range SECOND = new Checkpoints.Range(1, 1, 100, 200, 100, false);

    private static final RangeBoard.Splitter NEVER = (range, after, rangeNo) -> fail("no split was due");

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void rangesAreTakenInOrderThenNothingWhenNoOneWalks() throws Exception {
        RangeBoard board = new RangeBoard(List.of(FIRST, SECOND), 2);

        RangeBoard.Walk first = board.take(NEVER);
        RangeBoard.Walk second = board.take(NEVER);
        assertSame(FIRST, first.range());
        assertSame(SECOND, second.range());
        board.walked(first);
        board.walked(second);
        assertNull(board.take(NEVER), "nothing waits and no worker walks");
    }

    @Test
    void aWorkerWithNothingLeftSplitsAWalkersRestAfterWhatItReadAtOnce() throws Exception {
        RangeBoard board = new RangeBoard(List.of(FIRST), 7);
        RangeBoard.Walk walking = board.take(NEVER);
        assertEquals(100, board.startRead(walking));
        board.endRead(walking, 40);
        List<String> asked = Collections.synchronizedList(new ArrayList<>());

        // the walker is not reading now (it may be inside a long INSERT): the split does not wait for it
        RangeBoard.Walk taken = board.take((range, after, rangeNo) -> {
            asked.add(range.rangeNo() + " after " + after + " as " + rangeNo);
            return Optional.of(cut(range, 70, rangeNo));
        });

        assertEquals(List.of("0 after 40 as 7"), asked);
        assertEquals(new Checkpoints.Range(1, 7, 70, 100, 70, false), taken.range());
        assertEquals(70, walking.range().upperBound());
        assertEquals(70, board.startRead(walking), "the walker reads up to the cut from now on");
    }

    @Test
    void aSplitNeverCutsWhatIsBeingRead() throws Exception {
        RangeBoard board = new RangeBoard(List.of(FIRST), 2);
        RangeBoard.Walk walking = takeAndRead(board, 40);
        board.startRead(walking); // reading the next batch
        List<Long> afters = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<RangeBoard.Walk> thief = takeOnAnotherThread(board, (range, after, rangeNo) -> {
            afters.add(after);
            return Optional.of(cut(range, 80, rangeNo));
        });
        awaitParked(board, 1); // the taker waits: the only walk is being read

        board.endRead(walking, 60);

        assertEquals(80, thief.get().range().lowerBound());
        assertEquals(List.of(60L), afters, "split after all the walker read, not after what it had read before");
    }

    @Test
    void aWalkerWaitsForASplitUnderWayBeforeItReads() throws Exception {
        RangeBoard board = new RangeBoard(List.of(FIRST), 2);
        RangeBoard.Walk walking = takeAndRead(board, 40);
        CountDownLatch splitting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<RangeBoard.Walk> thief = takeOnAnotherThread(board, (range, after, rangeNo) -> {
            splitting.countDown();
            await(release);
            return Optional.of(cut(range, 70, rangeNo));
        });
        splitting.await();

        CompletableFuture<Long> read = CompletableFuture.supplyAsync(() -> {
            try {
                return board.startRead(walking);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, threads);
        awaitParked(board, 1); // the read waits for the split under way
        release.countDown();

        assertEquals(70, read.get(), "the read waited for the split and got the new upper bound");
        assertEquals(70, thief.get().range().lowerBound());
    }

    @Test
    void tooLittleLeftIsTriedAgainOnlyAfterTheWalkerReadMoreAndTheLastWalkerEndsTheWait() throws Exception {
        RangeBoard board = new RangeBoard(List.of(FIRST), 2);
        RangeBoard.Walk walking = takeAndRead(board, 90);
        List<Long> afters = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch triedOnce = new CountDownLatch(1);
        CountDownLatch triedTwice = new CountDownLatch(2);
        CompletableFuture<RangeBoard.Walk> thief = takeOnAnotherThread(board, (range, after, rangeNo) -> {
            afters.add(after);
            triedOnce.countDown();
            triedTwice.countDown();
            return Optional.empty();
        });
        triedOnce.await();

        board.startRead(walking);
        board.endRead(walking, 95);
        triedTwice.await();
        board.walked(walking);

        assertNull(thief.get(), "the last walker is done: nothing is left to wait for");
        assertEquals(List.of(90L, 95L), afters);
    }

    @Test
    void closingWakesAWaitingWorkerWithNothing() throws Exception {
        RangeBoard board = new RangeBoard(List.of(FIRST, SECOND), 2);
        board.take(NEVER);
        board.take(NEVER); // neither has read: nothing to split yet
        CompletableFuture<RangeBoard.Walk> waiting = takeOnAnotherThread(board, NEVER);

        board.close();

        assertNull(waiting.get());
        assertNull(board.take(NEVER));
    }

    /** The board's next range, taken by a walker that has read up to {@code upTo}. */
    private static RangeBoard.Walk takeAndRead(RangeBoard board, long upTo) throws Exception {
        RangeBoard.Walk walk = board.take(NEVER);
        board.startRead(walk);
        board.endRead(walk, upTo);
        return walk;
    }

    /** {@code range} cut at {@code at}: what its walker keeps, and the rest as range {@code rangeNo}. */
    private static Checkpoints.Split cut(Checkpoints.Range range, long at, int rangeNo) {
        return new Checkpoints.Split(
                new Checkpoints.Range(range.runId(), range.rangeNo(), range.lowerBound(), at, range.lastTaskId(), false),
                new Checkpoints.Range(range.runId(), rangeNo, at, range.upperBound(), at, false));
    }

    private CompletableFuture<RangeBoard.Walk> takeOnAnotherThread(RangeBoard board, RangeBoard.Splitter splitter) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return board.take(splitter);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, threads);
    }

    /** Until {@code threads} threads wait on the board (a spin on its state, not a sleep); fails after 20 s. */
    private static void awaitParked(RangeBoard board, int threads) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (board.parked() < threads) {
            assertTrue(System.nanoTime() < deadline, "no thread ever waited on the board");
            Thread.onSpinWait();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
