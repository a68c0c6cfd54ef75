package org.arvados.tasksasjobs.backfill;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.arvados.tasksasjobs.mapping.TaskJobMapping;

/**
 * The backfill: walks job_tasks in keyset batches up to a bound fixed when the run starts, maps each row with
 * {@link TaskJobMapping}, and commits each batch together with its checkpoint. Killed at any point, the next run
 * resumes after the last committed batch; every task ends up exactly once, as a task-like job or a quarantine row.
 */
public final class Backfill {

    private final Connection connection;
    private final TaskJobMapping mapping;
    private final BackfillSettings settings;
    private final BackfillListener listener;

    public Backfill(Connection connection, TaskJobMapping mapping, BackfillSettings settings, BackfillListener listener) {
        this.connection = connection;
        this.mapping = mapping;
        this.settings = settings;
        this.listener = listener;
    }

    public BackfillResult run() throws SQLException {
        long startNanos = System.nanoTime();
        boolean autoCommit = connection.getAutoCommit();
        MigrationLock lock = MigrationLock.acquire(connection);
        BackfillResult result;
        try {
            connection.setAutoCommit(false);
            result = runLocked(startNanos);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            releaseQuietly(lock, autoCommit);
            throw e;
        }
        connection.setAutoCommit(autoCommit);
        lock.close();
        return result;
    }

    private BackfillResult runLocked(long startNanos) throws SQLException {
        Checkpoints checkpoints = new Checkpoints(connection);
        Optional<Checkpoints.Run> unfinished = checkpoints.unfinished();
        boolean resumed = unfinished.isPresent();
        Optional<Checkpoints.Run> started = resumed ? unfinished : checkpoints.start();
        connection.commit();
        if (started.isEmpty()) {
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
        TaskBatchReader reader = new TaskBatchReader(connection, settings.batchSize(), settings.maxBatchBytes());
        TaskLikeJobWriter writer = new TaskLikeJobWriter(connection);
        QuarantineWriter quarantine = new QuarantineWriter(connection);
        BatchMapper mapper = new BatchMapper(connection, mapping);

        long last = run.lastTaskId();
        long done = run.done();
        long quarantinedTotal = run.quarantined();
        long migratedHere = 0;
        long quarantinedHere = 0;
        long alreadyPresent = 0;
        long batches = 0;
        Map<String, Long> byReason = new HashMap<>();
        listener.started(new BackfillProgress(run.runId(), done, run.total(), quarantinedTotal, 0, 0, elapsed(startNanos)), resumed);

        while (true) {
            if (batches > 0) {
                pauseBetweenBatches();
            }
            TaskBatch batch = reader.next(last, run.upperBound());
            if (batch.isEmpty()) {
                break;
            }
            BatchMapper.Mapped mapped = mapper.map(batch);
            if (settings.strict() && !mapped.quarantined().isEmpty()) {
                connection.rollback();
                throw new MigrationRefusedException(strictRefusal(mapped.quarantined().get(0)));
            }
            int inserted = writer.insert(mapped.jobs());
            int quarantinedNow = quarantine.insert(mapped.quarantined());
            checkpoints.advance(run.runId(), batch.lastId(), mapped.jobs().size(), mapped.quarantined().size());
            connection.commit();

            last = batch.lastId();
            batches++;
            migratedHere += inserted;
            alreadyPresent += mapped.jobs().size() - inserted;
            quarantinedHere += quarantinedNow;
            for (QuarantineWriter.Entry e : mapped.quarantined()) {
                byReason.merge(e.reason(), 1L, Long::sum);
            }
            done += batch.rows().size();
            quarantinedTotal += mapped.quarantined().size();
            listener.batchCommitted(new BackfillProgress(run.runId(), done, run.total(), quarantinedTotal, batches,
                    done - run.done(), elapsed(startNanos)));
        }
        writer.resolveLateCreators();
        checkpoints.finish(run.runId());
        connection.commit();
        BackfillProgress walked = new BackfillProgress(run.runId(), done, run.total(), quarantinedTotal, batches,
                done - run.done(), elapsed(startNanos));
        listener.walkFinished(walked);
        BackfillProgress drained = drainCapturedChanges(walked, startNanos);
        BackfillResult result = new BackfillResult(run.runId(), resumed, migratedHere, quarantinedHere, byReason,
                alreadyPresent, checkpoints.totals(), elapsed(startNanos), drained.changesApplied(), drained.changesWaiting());
        connection.commit();
        listener.finished(result);
        return result;
    }

    /** The configured pause, taken outside any transaction: the connection holds no row or table lock meanwhile. */
    private void pauseBetweenBatches() {
        if (settings.pause().isZero()) {
            return;
        }
        try {
            Thread.sleep(settings.pause().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationRefusedException("the backfill was interrupted between two batches; committed batches are kept,"
                    + " run again to resume");
        }
    }

    /**
     * The online phase: applies the job_tasks writes captured since the walk began (or since the last drain), up to
     * the newest one captured when the drain begins, so it ends under any write load; one transaction per batch of
     * changes. Nothing to do when the online phase is not installed.
     */
    private BackfillProgress drainCapturedChanges(BackfillProgress walked, long startNanos) throws SQLException {
        if (!ChangeDrain.installed(connection)) {
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
                    throw new MigrationRefusedException(strictRefusal(e));
                }
                : ChangeDrain.QuarantineGate.ALLOW;
        long applied = 0;
        long batches = 0;
        while (true) {
            if (batches > 0) {
                pauseBetweenBatches();
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

    private static String strictRefusal(QuarantineWriter.Entry e) {
        return "task " + (e.taskUuid() == null ? "with NULL uuid" : e.taskUuid()) + " (job_tasks.id " + e.taskId()
                + ") cannot be carried (" + e.reason() + ": " + e.detail() + "); --strict stops here and keeps the batches"
                + " before it. Run 'plan' to list every such task, fix them, or migrate without --strict to quarantine them";
    }

    private void releaseQuietly(MigrationLock lock, boolean autoCommit) {
        try {
            connection.setAutoCommit(autoCommit);
            lock.close();
        } catch (SQLException ignored) {
            // a lost connection took the lock with it; the original failure is the one worth reporting
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
