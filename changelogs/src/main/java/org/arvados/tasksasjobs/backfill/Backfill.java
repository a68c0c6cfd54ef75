package org.arvados.tasksasjobs.backfill;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.arvados.tasksasjobs.changelog.SchemaState;
import org.arvados.tasksasjobs.mapping.TaskJobMapping;

/**
 * The backfill: walks job_tasks in keyset batches up to a bound fixed when the run starts, maps each row with
 * {@link TaskJobMapping}, and commits each batch together with its checkpoint. The run's ids are split into ranges,
 * one per worker ({@link RangeWalker}), each on its own connection. Killed at any point, the next run resumes every
 * range after its last committed batch; every task ends up exactly once, as a task-like job or a quarantine row.
 */
public final class Backfill {

    private final Connection connection;
    private final ConnectionSource moreConnections;
    private final TaskJobMapping mapping;
    private final BackfillSettings settings;
    private final BackfillListener listener;

    /** A backfill of one worker on {@code connection}, whatever {@link BackfillSettings#workers()} says. */
    public Backfill(Connection connection, TaskJobMapping mapping, BackfillSettings settings, BackfillListener listener) {
        this(connection, null, mapping, settings, listener);
    }

    /**
     * @param connection      the run's connection: it holds the migrators' lock, keeps the checkpoints, and is worker 1
     * @param moreConnections where workers 2..N get their connections; null for one worker
     * @param mapping         the mapping, shared by the workers (it is immutable)
     */
    public Backfill(Connection connection, ConnectionSource moreConnections, TaskJobMapping mapping, BackfillSettings settings,
                    BackfillListener listener) {
        this.connection = connection;
        this.moreConnections = moreConnections;
        this.mapping = mapping;
        this.settings = settings;
        this.listener = listener;
    }

    public BackfillResult run() throws SQLException {
        long startNanos = System.nanoTime();
        boolean autoCommit = connection.getAutoCommit();
        MigrationLock lock = MigrationLock.acquire(connection);
        BackfillResult result;
        WriteSession session = null;
        try {
            connection.setAutoCommit(false);
            session = WriteSession.apply(connection);
            result = runLocked(startNanos, session);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            restoreQuietly(session);
            releaseQuietly(lock, autoCommit);
            throw e;
        }
        connection.setAutoCommit(autoCommit);
        lock.close();
        return result;
    }

    /** {@code session} is restored before the walk's last commit, which then flushes every batch before it. */
    private BackfillResult runLocked(long startNanos, WriteSession session) throws SQLException {
        Checkpoints checkpoints = new Checkpoints(connection);
        Optional<Checkpoints.Run> unfinished = checkpoints.unfinished();
        boolean resumed = unfinished.isPresent();
        Optional<Checkpoints.Run> started = resumed ? unfinished : checkpoints.start();
        connection.commit();
        if (started.isEmpty()) {
            session.restore();
            connection.commit();
            BackfillProgress nothing = new BackfillProgress(0, 0, 0, 0, 0, 0, elapsed(startNanos));
            listener.walkFinished(nothing);
            BackfillProgress drained = drainCapturedChanges(nothing, startNanos);
            BackfillResult result = new BackfillResult(0, false, 0, 0, Map.of(), 0, checkpoints.totals(), elapsed(startNanos),
                    drained.changesApplied(), drained.changesWaiting());
            connection.commit();
            listener.finished(result);
            return result;
        }
        Checkpoints.Run run = started.get();
        int workers = moreConnections == null ? 1 : settings.workers();
        List<Checkpoints.Range> ranges = checkpoints.rangesFor(run, workers);
        RangeBoard board = new RangeBoard(ranges, checkpoints.nextRangeNo(run.runId()));
        connection.commit();

        RunTally tally = new RunTally(listener, run, startNanos);
        listener.started(tally.progress(), resumed);
        walk(board, Math.min(workers, ranges.size()), tally);

        new TaskLikeJobWriter(connection).resolveLateCreators();
        session.restore();
        checkpoints.finish(run.runId());
        connection.commit();
        BackfillProgress walked = tally.progress();
        listener.walkFinished(walked);
        BackfillProgress drained = drainCapturedChanges(walked, startNanos);
        BackfillResult result = new BackfillResult(run.runId(), resumed, tally.migratedHere(), tally.quarantinedHere(),
                tally.byReason(), tally.alreadyPresent(), checkpoints.totals(), elapsed(startNanos), drained.changesApplied(),
                drained.changesWaiting());
        connection.commit();
        listener.finished(result);
        return result;
    }

    /**
     * Walks every range: one worker on this thread and connection, or {@code workers} threads, the first on this
     * connection and each other on one of its own, taking ranges from a {@link RangeBoard}; a worker with nothing
     * left splits off half of another's rest. The first failure stops the others after the batch they are on, and is
     * rethrown once all have stopped.
     */
    private void walk(RangeBoard board, int workers, RunTally tally) throws SQLException {
        ExecutorService mappers = Executors.newFixedThreadPool(workers, daemon("tasks-as-jobs-mapper"));
        try {
            if (workers <= 1) {
                try {
                    walkAll(connection, board, mappers, tally);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw interrupted();
                }
                return;
            }
            ExecutorService pool = Executors.newFixedThreadPool(workers, daemon("tasks-as-jobs-worker"));
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int w = 0; w < workers; w++) {
                    boolean first = w == 0;
                    running.add(pool.submit(() -> work(first, board, mappers, tally)));
                }
                for (Future<?> f : running) {
                    try {
                        f.get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        tally.failed(interrupted());
                    } catch (ExecutionException e) {
                        tally.failed(e.getCause() instanceof Exception x ? x : new IllegalStateException(e.getCause()));
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            Exception failure = tally.failure();
            if (failure instanceof SQLException e) {
                throw e;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
        } finally {
            mappers.shutdownNow();
        }
    }

    /** One worker thread: the first on the run's own connection, each other on a connection it opens and closes. */
    private Void work(boolean first, RangeBoard board, ExecutorService mappers, RunTally tally) throws Exception {
        Connection own = null;
        try {
            if (!first) {
                own = moreConnections.open();
                own.setAutoCommit(false);
                WriteSession.apply(own); // never restored: the connection is closed when the worker ends
                own.commit();
            }
            walkAll(first ? connection : own, board, mappers, tally);
        } catch (Exception e) {
            tally.failed(e);
            board.close();
            throw e;
        } finally {
            if (own != null) {
                try {
                    own.close(); // an open transaction is rolled back with it
                } catch (SQLException ignored) {
                    // the connection is gone already; its batch was never committed
                }
            }
        }
        return null;
    }

    /** Takes ranges from {@code board} and walks them on {@code c} until nothing is left or another worker failed. */
    private void walkAll(Connection c, RangeBoard board, ExecutorService mappers, RunTally tally)
            throws SQLException, InterruptedException {
        RangeWalker walker = new RangeWalker(c, new BatchMapper(c, mapping, true), settings, tally, mappers, Backfill::strictRefusal);
        for (RangeBoard.Walk walk = board.take(walker::split); walk != null && !tally.stopped(); walk = board.take(walker::split)) {
            try {
                walker.walk(walk, board);
            } finally {
                board.walked(walk);
            }
        }
    }

    private static MigrationRefusedException interrupted() {
        return new MigrationRefusedException("the backfill was interrupted; committed batches are kept, run again to resume");
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * The online phase: applies the job_tasks writes captured since the walk began (or since the last drain), up to
     * the newest one captured when the drain begins, so it ends under any write load; one transaction per batch of
     * changes. Nothing to do when the online phase is not installed.
     */
    private BackfillProgress drainCapturedChanges(BackfillProgress walked, long startNanos) throws SQLException {
        if (SchemaState.read(connection).capture() == SchemaState.Capture.ABSENT) {
            connection.commit();
            return walked;
        }
        ChangeDrain drain = new ChangeDrain(connection, new BatchMapper(connection, mapping),
                new TaskBatchReader(connection, settings.batchSize(), settings.maxBatchBytes()),
                new TaskLikeJobWriter(connection), new QuarantineWriter(connection), settings.batchSize());
        long upTo = drain.lastCaptured();
        long waiting = drain.waiting();
        connection.commit();
        ChangeDrain.QuarantineGate gate = settings.strict()
                ? e -> {
                    throw strictRefusal(e);
                }
                : ChangeDrain.QuarantineGate.ALLOW;
        long applied = 0;
        long batches = 0;
        while (true) {
            if (batches > 0) {
                BatchPause.take(settings.pause());
            }
            ChangeDrain.Applied batch = drain.applyBatch(upTo, gate);
            connection.commit();
            if (batch.changes() == 0) {
                break;
            }
            batches++;
            applied += batch.changes();
            waiting = Math.max(0, waiting - batch.changes());
            listener.changesApplied(walked.withChanges(applied, waiting, elapsed(startNanos)));
        }
        waiting = drain.waiting();
        connection.commit();
        return walked.withChanges(applied, waiting, elapsed(startNanos));
    }

    private static MigrationRefusedException strictRefusal(QuarantineWriter.Entry e) {
        return new MigrationRefusedException( "task " + (e.taskUuid() == null ? "with NULL uuid" : e.taskUuid()) + " (job_tasks.id " + e.taskId()
                + ") cannot be carried (" + e.reason() + ": " + e.detail() + "); --strict stops here and keeps the batches"
                + " before it. Run 'plan' to list every such task, fix them, or migrate without --strict to quarantine them");
    }

    private void releaseQuietly(MigrationLock lock, boolean autoCommit) {
        try {
            connection.setAutoCommit(autoCommit);
            lock.close();
        } catch (SQLException ignored) {
            // a lost connection took the lock with it; the original failure is the one worth reporting
        }
    }

    private void restoreQuietly(WriteSession session) {
        if (session == null) {
            return;
        }
        try {
            session.restore();
            connection.commit();
        } catch (SQLException ignored) {
            // a lost connection took its settings with it; the original failure is the one worth reporting
        }
    }

    private void rollbackQuietly() {
        try {
            if (!connection.isClosed() && !connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // the original failure is the one worth reporting
        }
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
