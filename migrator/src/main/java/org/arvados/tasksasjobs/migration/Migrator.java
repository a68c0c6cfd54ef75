package org.arvados.tasksasjobs.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import liquibase.exception.LiquibaseException;
import org.arvados.tasksasjobs.changelog.SchemaState;
import org.arvados.tasksasjobs.backfill.BackfillListener;
import org.arvados.tasksasjobs.backfill.BackfillProgress;
import org.arvados.tasksasjobs.backfill.BackfillResult;
import org.arvados.tasksasjobs.backfill.BackfillSettings;
import org.arvados.tasksasjobs.backfill.ConnectionSource;
import org.arvados.tasksasjobs.backfill.MigrationLock;
import org.arvados.tasksasjobs.backfill.MigrationRefusedException;
import org.arvados.tasksasjobs.changelog.MigrationChangelog;
import org.arvados.tasksasjobs.changelog.Phase;

/**
 * Runs the migration changelog the way a DBA needs it run: checks the target first, holds the migrators' advisory
 * lock for the whole run (so a second migrator is refused with the holder's name, before Liquibase's own lock
 * would make it wait), deals with a Liquibase lock that a killed run left behind, then updates or rolls back.
 */
public final class Migrator {

    private final Connection connection;
    private final ConnectionSource moreConnections;
    private final BackfillListener listener;

    /** A migrator whose backfill runs one worker, on {@code connection}. */
    public Migrator(Connection connection, BackfillListener listener) {
        this(connection, null, listener);
    }

    /**
     * @param connection      the run's connection (it holds the migrators' lock)
     * @param moreConnections where backfill workers beyond the first connect (null: one worker, whatever is asked)
     */
    public Migrator(Connection connection, ConnectionSource moreConnections, BackfillListener listener) {
        this.connection = connection;
        this.moreConnections = moreConnections;
        this.listener = listener;
    }

    /** How long a DDL or batch statement of the migrator waits for a table lock before giving up (crunch keeps going). */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(5);

    /** Where a migrate was, for its failure message: the backfill's walk is over (-1: the backfill has not started). */
    private static final long WALK_FINISHED = Long.MAX_VALUE;

    /**
     * What to run.
     *
     * @param lockTimeout        how long any statement of the run may wait for a lock (zero: no limit); past it the run
     *                           ends with a resumable {@link MigrationInterruptedException} instead of queueing crunch behind it
     * @param deferIndexes       for a maintenance window: drop the jobs search and trigram indexes before the backfill
     *                           and rebuild them after it (their definitions are kept in the database meanwhile)
     * @param maintenanceWorkMem maintenance_work_mem for each index rebuild, e.g. 512MB
     */
    public record Options(List<Phase> phases, BackfillSettings settings, Duration lockTimeout,
                          boolean deferIndexes, String maintenanceWorkMem) {
        public Options {
            phases = List.copyOf(phases);
            if (phases.isEmpty()) {
                throw new IllegalArgumentException("no phase to run");
            }
            if (lockTimeout == null || lockTimeout.isNegative() || lockTimeout.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("lock timeout must be between 0 (no limit) and 24 h, not " + lockTimeout);
            }
            DeferredIndexes.requireMemory(maintenanceWorkMem);
        }

        public Options(List<Phase> phases, BackfillSettings settings, Duration lockTimeout) {
            this(phases, settings, lockTimeout, false, DeferredIndexes.DEFAULT_MAINTENANCE_WORK_MEM);
        }

        public Options(List<Phase> phases, BackfillSettings settings) {
            this(phases, settings, DEFAULT_LOCK_TIMEOUT);
        }

        /** These options with the search and trigram indexes dropped for the backfill and rebuilt after it. */
        public Options withDeferredIndexes(String maintenanceWorkMem) {
            return new Options(phases, settings, lockTimeout, true, maintenanceWorkMem);
        }
    }

    /**
     * What a migrate did.
     *
     * @param backfill        the backfill's result; null when the backfill phase was not asked for
     * @param deferredIndexes the indexes this run dropped before its backfill (--defer-indexes)
     * @param rebuiltIndexes  the indexes rebuilt after the backfill: this run's and any a killed run left dropped
     * @param indexRebuild    how long the rebuilds took (zero when there was none); part of {@code elapsed}
     */
    public record Outcome(List<Phase> phases, BackfillResult backfill, Duration elapsed,
                          List<String> deferredIndexes, List<String> keptIndexes, List<String> rebuiltIndexes,
                          Duration indexRebuild) {
        /** Every task was carried or quarantined (or the run had no backfill). */
        public boolean complete() {
            return backfill == null || backfill.totals().complete();
        }

        public Outcome {
            deferredIndexes = List.copyOf(deferredIndexes);
            keptIndexes = List.copyOf(keptIndexes);
            rebuiltIndexes = List.copyOf(rebuiltIndexes);
        }
    }

    /** The connection the phases run on. */
    Connection connection() {
        return connection;
    }

    public Outcome migrate(Options options) throws SQLException, LiquibaseException {
        long start = System.nanoTime();
        applyLockTimeout(options.lockTimeout());
        requireArvados();
        AtomicReference<BackfillResult> result = new AtomicReference<>();
        AtomicLong batchesCommitted = new AtomicLong(-1); // -1: the backfill has not started
        BackfillListener capturing = new BackfillListener() {
            @Override
            public void started(BackfillProgress progress, boolean resumed) {
                batchesCommitted.set(0);
                listener.started(progress, resumed);
            }

            @Override
            public void batchCommitted(BackfillProgress progress) {
                batchesCommitted.set(progress.batches());
                listener.batchCommitted(progress);
            }

            @Override
            public void walkFinished(BackfillProgress progress) {
                batchesCommitted.set(WALK_FINISHED);
                listener.walkFinished(progress);
            }

            @Override
            public void changesApplied(BackfillProgress progress) {
                listener.changesApplied(progress);
            }

            @Override
            public void finished(BackfillResult r) {
                result.set(r);
                listener.finished(r);
            }
        };
        try (MigrationLock lock = MigrationLock.acquire(connection)) {
            MigrationChangelog changelog = new MigrationChangelog(connection);
            refuseWhileLiquibaseRuns(changelog);
            List<String> deferred = List.of();
            List<String> kept = List.of();
            try {
                if (options.deferIndexes() && options.phases().contains(Phase.BACKFILL)) {
                    DeferredIndexes.Choice choice = DeferredIndexes.choose(connection.getMetaData().getDatabaseMajorVersion(),
                            options.settings().workers());
                    deferred = DeferredIndexes.defer(connection, choice.deferred());
                    kept = choice.kept();
                }
                changelog.update(options.phases(), options.settings(), capturing, workerConnections(options.lockTimeout()));
            } catch (LiquibaseException | SQLException | RuntimeException e) {
                long batches = batchesCommitted.get();
                String where = batches < 0 || result.get() != null ? null
                        : batches == WALK_FINISHED ? "while the backfill applied the changes captured during its walk"
                        : "during batch " + (batches + 1) + " of the backfill";
                Optional<MigrationInterruptedException> interrupted =
                        MigrationInterruptedException.of(e, where, "migrate", connection, options.lockTimeout());
                if (interrupted.isPresent()) {
                    throw interrupted.get();
                }
                throw e;
            }
            // Whatever is recorded is rebuilt now: this run's drops and those of a run killed before its rebuild.
            long rebuildStart = System.nanoTime();
            List<String> rebuilt = DeferredIndexes.rebuild(connection, workerConnections(options.lockTimeout()),
                    options.maintenanceWorkMem());
            Duration rebuild = rebuilt.isEmpty() ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - rebuildStart);
            return new Outcome(options.phases(), result.get(), Duration.ofNanos(System.nanoTime() - start),
                    deferred, kept, rebuilt, rebuild);
        }
    }

    /**
     * Undoes every phase. Refuses, unless forced, when task-like jobs exist that no job_tasks row stands for
     * (made after the migration, through the shim): the rollback would delete them and nothing could bring them back.
     */
    public void rollback(boolean force) throws SQLException, LiquibaseException {
        rollback(force, DEFAULT_LOCK_TIMEOUT);
    }

    /** {@link #rollback(boolean)} with the lock timeout given (zero: no limit). */
    public void rollback(boolean force, Duration lockTimeout) throws SQLException, LiquibaseException {
        applyLockTimeout(lockTimeout);
        requireArvados();
        try (MigrationLock lock = MigrationLock.acquire(connection)) {
            MigrationChangelog changelog = new MigrationChangelog(connection);
            refuseWhileLiquibaseRuns(changelog);
            // Indexes a killed --defer-indexes run left dropped come back before anything is undone.
            DeferredIndexes.rebuild(connection, null, DeferredIndexes.DEFAULT_MAINTENANCE_WORK_MEM);
            if (!SchemaState.read(connection).expanded()) {
                throw new MigrationRefusedException("nothing to roll back: this database was never migrated (jobs has no legacy_task_uuid column)");
            }
            long newer = taskLikeJobsWithoutTask();
            if (newer > 0 && !force) {
                throw new MigrationRefusedException(newer + " task-like jobs have no job_tasks row (created after the migration);"
                        + " rollback would delete them for good. Export them first, or pass --force to delete them");
            }
            try {
                changelog.rollback();
            } catch (LiquibaseException | RuntimeException e) {
                Optional<MigrationInterruptedException> interrupted =
                        MigrationInterruptedException.of(e, null, "rollback", connection, lockTimeout);
                if (interrupted.isPresent()) {
                    throw interrupted.get();
                }
                throw e;
            }
        }
    }

    /**
     * Sets lock_timeout for this session: Liquibase commits each changeSet in its own transaction and the backfill each
     * batch, so a session setting covers every DDL and batch statement (and Liquibase's bookkeeping) of the run. An
     * ALTER TABLE queued behind a long reader would otherwise block every crunch write queued behind it.
     */
    private void applyLockTimeout(Duration lockTimeout) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT set_config('lock_timeout', ?, false)")) {
            st.setString(1, lockTimeout.toMillis() + "ms");
            st.execute();
        }
    }

    /** The workers' connections, with this run's lock timeout: they write the same table under the same rules. */
    private ConnectionSource workerConnections(Duration lockTimeout) {
        if (moreConnections == null) {
            return null;
        }
        return () -> {
            Connection c = moreConnections.open();
            try (PreparedStatement st = c.prepareStatement("SELECT set_config('lock_timeout', ?, false)")) {
                st.setString(1, lockTimeout.toMillis() + "ms");
                st.execute();
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            return c;
        };
    }

    private void requireArvados() throws SQLException {
        String why = SchemaState.read(connection).whyNotArvados();
        if (why != null) {
            throw new MigrationRefusedException(why);
        }
    }

    /**
     * Liquibase's changelog lock is a session-level advisory lock (changelogs' SessionLockService), so a killed run
     * leaves none behind. We hold the migrators' lock here; if Liquibase's is held, a stock Liquibase is running on
     * this database right now: refuse at once, naming it, as a second migrator is refused.
     */
    private void refuseWhileLiquibaseRuns(MigrationChangelog changelog) throws LiquibaseException {
        Optional<String> holder = changelog.changelogLockHolder();
        if (holder.isPresent()) {
            throw new MigrationRefusedException("a Liquibase run holds this database's changelog lock (" + holder.get()
                    + "); wait for it to end, or stop it, then run again");
        }
    }

    private long taskLikeJobsWithoutTask() throws SQLException {
        String sql = """
                SELECT count(*) FROM jobs j
                WHERE j.legacy_task_uuid IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM job_tasks t WHERE t.uuid = j.legacy_task_uuid)
                """;
        try (PreparedStatement st = connection.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
