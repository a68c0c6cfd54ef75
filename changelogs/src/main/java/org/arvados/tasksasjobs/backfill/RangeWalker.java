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
     * Walks {@code taken} to its end, or until another worker failed (then after the batch in hand). Between batches,
     * when a worker waits on {@code board} for something to walk, hands it the upper half of what is left.
     */
    void walk(Checkpoints.Range taken, RangeBoard board) throws SQLException {
        Checkpoints.Range range = taken;
        BatchSizer sizer = BatchSizer.of(settings);
        long cycleStart = System.nanoTime();
        TaskBatch batch = reader.next(range.lastTaskId(), range.upperBound(), sizer.size());
        if (batch.isEmpty()) {
            checkpoints.advance(range, range.lastTaskId(), 0, 0, true);
            connection.commit();
            return;
        }
        CompletableFuture<BatchMapper.Mapped> mapping = mapAsync(batch, batchMapper.lookup(batch), Map.of());
        try {
            while (true) {
                TaskBatch next = reader.next(batch.lastId(), range.upperBound(), sizer.size());
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
                if (board.splitWanted()) {
                    range = splitFor(board, range, next.lastId());
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

    /** Splits the rest of {@code range} after {@code after} (read already) for a waiting worker; returns what stays. */
    private Checkpoints.Range splitFor(RangeBoard board, Checkpoints.Range range, long after) throws SQLException {
        Optional<Checkpoints.Split> split;
        try {
            split = checkpoints.split(range, after, board.newRangeNo());
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            board.splitFailed();
            throw e;
        }
        if (split.isEmpty()) {
            board.splitFailed();
            return range;
        }
        board.offer(split.get().given());
        return split.get().kept();
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
