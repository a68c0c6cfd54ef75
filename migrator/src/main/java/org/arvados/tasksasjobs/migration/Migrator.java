package org.arvados.tasksasjobs.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import liquibase.exception.LiquibaseException;
import org.arvados.tasksasjobs.backfill.BackfillListener;
import org.arvados.tasksasjobs.backfill.BackfillProgress;
import org.arvados.tasksasjobs.backfill.BackfillResult;
import org.arvados.tasksasjobs.backfill.BackfillSettings;
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
    private final BackfillListener listener;

    public Migrator(Connection connection, BackfillListener listener) {
        this.connection = connection;
        this.listener = listener;
    }

    /** What to run. */
    public record Options(List<Phase> phases, BackfillSettings settings, boolean releaseStaleLock) {
        public Options {
            phases = List.copyOf(phases);
            if (phases.isEmpty()) {
                throw new IllegalArgumentException("no phase to run");
            }
        }
    }

    /**
     * What a migrate did.
     *
     * @param backfill        the backfill's result; null when the backfill phase was not asked for
     * @param releasedLock    the stale Liquibase lock that was cleared first, if any
     */
    public record Outcome(List<Phase> phases, BackfillResult backfill, Optional<String> releasedLock, Duration elapsed) { }

    public Outcome migrate(Options options) throws SQLException, LiquibaseException {
        long start = System.nanoTime();
        requireArvados();
        AtomicReference<BackfillResult> result = new AtomicReference<>();
        BackfillListener capturing = new BackfillListener() {
            @Override
            public void started(BackfillProgress progress, boolean resumed) {
                listener.started(progress, resumed);
            }

            @Override
            public void batchCommitted(BackfillProgress progress) {
                listener.batchCommitted(progress);
            }

            @Override
            public void finished(BackfillResult r) {
                result.set(r);
                listener.finished(r);
            }
        };
        try (MigrationLock lock = MigrationLock.acquire(connection)) {
            MigrationChangelog changelog = new MigrationChangelog(connection);
            Optional<String> released = clearStaleLiquibaseLock(changelog, options.releaseStaleLock());
            changelog.update(options.phases(), options.settings(), capturing);
            return new Outcome(options.phases(), result.get(), released, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * Undoes every phase. Refuses, unless forced, when task-like jobs exist that no job_tasks row stands for
     * (made after the migration, through the shim): the rollback would delete them and nothing could bring them back.
     */
    public void rollback(boolean force, boolean releaseStaleLock) throws SQLException, LiquibaseException {
        requireArvados();
        try (MigrationLock lock = MigrationLock.acquire(connection)) {
            MigrationChangelog changelog = new MigrationChangelog(connection);
            clearStaleLiquibaseLock(changelog, releaseStaleLock);
            SchemaCheck schema = new SchemaCheck(connection);
            if (!schema.columnExists("jobs", "legacy_task_uuid")) {
                throw new MigrationRefusedException("nothing to roll back: this database was never migrated (jobs has no legacy_task_uuid column)");
            }
            long newer = taskLikeJobsWithoutTask();
            if (newer > 0 && !force) {
                throw new MigrationRefusedException(newer + " task-like jobs have no job_tasks row (created after the migration);"
                        + " rollback would delete them for good. Export them first, or pass --force to delete them");
            }
            changelog.rollback();
        }
    }

    private void requireArvados() throws SQLException {
        String why = new SchemaCheck(connection).whyNotArvados();
        if (why != null) {
            throw new MigrationRefusedException(why);
        }
    }

    /**
     * Liquibase's changelog lock is a row, so a killed run leaves it set and the next run would wait five minutes and
     * fail. We hold the migrators' advisory lock here, which a live migrator would hold: so if Liquibase's lock is set,
     * either a killed tasks-as-jobs run left it or a stock Liquibase is running right now. Only the DBA can tell.
     */
    private Optional<String> clearStaleLiquibaseLock(MigrationChangelog changelog, boolean release) throws LiquibaseException, SQLException {
        if (!new SchemaCheck(connection).tableExists("databasechangeloglock")) {
            return Optional.empty();
        }
        Optional<String> holder = changelog.changelogLockHolder();
        if (holder.isEmpty()) {
            return Optional.empty();
        }
        if (!release) {
            throw new MigrationRefusedException("Liquibase's changelog lock is set (" + holder.get() + ") but no tasks-as-jobs"
                    + " migrator is running: a killed run left it. If no other Liquibase is running on this database,"
                    + " run again with --release-stale-lock");
        }
        changelog.releaseChangelogLock();
        return holder;
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
