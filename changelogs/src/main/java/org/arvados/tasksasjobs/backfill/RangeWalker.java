package org.arvados.tasksasjobs.backfill;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * One worker of a backfill run: walks one range of job_tasks ids at a time over its own connection, in keyset
 * batches, each committed with the range's checkpoint. The mapping runs off the connection's thread: while batch k
 * is mapped on {@code mapper}, the connection reads batch k+1; while k+1 is mapped, it writes k. The database is
 * never idle waiting for Java, and at most two batches are held.
 */
final class RangeWalker {

    private final Connection connection;
    private final BackfillSettings settings;
    private final RunTally tally;
    private final Executor mapper;
    private final TaskBatchReader reader;
    private final BatchMapper batchMapper;
    private final TaskLikeJobWriter writer;
    private final QuarantineWriter quarantine;
    private final Checkpoints checkpoints;
    private final Function<QuarantineWriter.Entry, RuntimeException> strictRefusal;

    RangeWalker(Connection connection, BatchMapper batchMapper, BackfillSettings settings, RunTally tally, Executor mapper,
                Function<QuarantineWriter.Entry, RuntimeException> strictRefusal) {
        this.connection = connection;
        this.settings = settings;
        this.tally = tally;
        this.mapper = mapper;
        this.batchMapper = batchMapper;
        this.strictRefusal = strictRefusal;
        this.reader = new TaskBatchReader(connection, BatchSizer.MAX, settings.maxBatchBytesPerWorker());
        this.writer = new TaskLikeJobWriter(connection);
        this.quarantine = new QuarantineWriter(connection);
        this.checkpoints = new Checkpoints(connection);
    }

    /**
     * Walks {@code walk} to its end, or until another worker failed (then after the batch in hand). Its upper bound is
     * read from {@code board} before each read: a worker with nothing left may have split off the rest meanwhile.
     */
    void walk(RangeBoard.Walk walk, RangeBoard board) throws SQLException, InterruptedException {
        Checkpoints.Range range = walk.range();
        BatchSizer sizer = BatchSizer.of(settings);
        long cycleStart = System.nanoTime();
        TaskBatch batch = read(walk, board, range.lastTaskId(), sizer.size());
        if (batch.isEmpty()) {
            checkpoints.advance(range, range.lastTaskId(), 0, 0, true);
            connection.commit();
            return;
        }
        CompletableFuture<BatchMapper.Mapped> mapping = mapAsync(batch, batchMapper.lookup(batch), Map.of());
        try {
            while (true) {
                TaskBatch next = read(walk, board, batch.lastId(), sizer.size());
                BatchMapper.Lookup nextLookup = next.isEmpty() ? null : batchMapper.lookup(next);
                BatchMapper.Mapped mapped = await(mapping);
                if (settings.strict() && !mapped.quarantined().isEmpty()) {
                    connection.rollback();
                    throw strictRefusal.apply(mapped.quarantined().get(0));
                }
                mapping = next.isEmpty() ? null : mapAsync(next, nextLookup, mapped.carried());
                int inserted = writer.insert(mapped.jobs());
                int quarantinedNow = quarantine.insert(mapped.quarantined());
                checkpoints.advance(range, batch.lastId(), mapped.jobs().size(), mapped.quarantined().size(), next.isEmpty());
                connection.commit();
                long now = System.nanoTime();
                sizer.observe(batch.rows().size(), Duration.ofNanos(now - cycleStart));
                tally.committed(batch.rows().size(), mapped.jobs().size(), inserted, mapped.quarantined(), quarantinedNow);
                if (next.isEmpty() || tally.stopped()) {
                    return;
                }
                BatchPause.take(settings.pause());
                cycleStart = System.nanoTime();
                batch = next;
            }
        } finally {
            if (mapping != null) {
                mapping.cancel(false);
            }
        }
    }

    /** The next batch after {@code after}, up to the range's upper bound as it stands on {@code board}. */
    private TaskBatch read(RangeBoard.Walk walk, RangeBoard board, long after, int size) throws SQLException, InterruptedException {
        long upper = board.startRead(walk);
        long readUpTo = after;
        try {
            TaskBatch batch = reader.next(after, upper, size);
            if (!batch.isEmpty()) {
                readUpTo = batch.lastId();
            }
            return batch;
        } finally {
            board.endRead(walk, readUpTo);
        }
    }

    /**
     * For {@link RangeBoard#take}: splits the rest of {@code range} after {@code after} (what its walker has read)
     * in this worker's own transaction, committed before the split-off half is walked.
     */
    Optional<Checkpoints.Split> split(Checkpoints.Range range, long after, int rangeNo) throws SQLException {
        try {
            Optional<Checkpoints.Split> split = checkpoints.split(range, after, rangeNo);
            connection.commit();
            return split;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException lost) {
                e.addSuppressed(lost); // the connection is gone; the split's own failure is the one to report
            }
            throw e;
        }
    }

    private CompletableFuture<BatchMapper.Mapped> mapAsync(TaskBatch batch, BatchMapper.Lookup lookup, Map<String, String> carriedBefore) {
        return CompletableFuture.supplyAsync(() -> batchMapper.map(batch, lookup, carriedBefore), mapper);
    }

    private static BatchMapper.Mapped await(CompletableFuture<BatchMapper.Mapped> mapping) {
        try {
            return mapping.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationRefusedException("the backfill was interrupted; committed batches are kept, run again to resume");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("mapping a batch failed: " + e.getCause(), e.getCause());
        }
    }
}
