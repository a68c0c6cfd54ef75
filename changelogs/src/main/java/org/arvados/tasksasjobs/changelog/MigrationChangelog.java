package org.arvados.tasksasjobs.changelog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.change.AbstractSQLChange;
import liquibase.change.Change;
import liquibase.change.core.TagDatabaseChange;
import liquibase.change.custom.CustomChangeWrapper;
import liquibase.changelog.ChangeLogParameters;
import liquibase.Scope;
import liquibase.changelog.ChangeLogHistoryService;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.RanChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.lockservice.DatabaseChangeLogLock;
import liquibase.lockservice.LockService;
import liquibase.lockservice.LockServiceFactory;
import liquibase.exception.LiquibaseException;
import org.arvados.tasksasjobs.backfill.BackfillChange;
import org.arvados.tasksasjobs.backfill.BackfillListener;
import org.arvados.tasksasjobs.backfill.BackfillSettings;
import org.arvados.tasksasjobs.backfill.ConnectionSource;

/**
 * The migration changelog (db/changelog/tasks-as-jobs.xml) driven in-process over one connection: update the
 * chosen phases, roll everything back, and inspect what would run.
 */
public final class MigrationChangelog {

    public static final String CHANGELOG = "db/changelog/tasks-as-jobs.xml";
    /** The tag the first expand changeSet sets; rolling back to it undoes every phase. */
    public static final String ROLLBACK_TAG = "before-tasks-as-jobs";

    private final Connection connection;

    public MigrationChangelog(Connection connection) {
        this.connection = connection;
    }

    /** Runs the phases; the backfill reports to {@code listener} and uses {@code settings}, with one worker. */
    public void update(Collection<Phase> phases, BackfillSettings settings, BackfillListener listener) throws LiquibaseException {
        update(phases, settings, listener, null);
    }

    /**
     * Runs the phases; the backfill's workers beyond the first get their connections from {@code moreConnections}
     * (null: one worker).
     */
    public void update(Collection<Phase> phases, BackfillSettings settings, BackfillListener listener,
                       ConnectionSource moreConnections) throws LiquibaseException {
        Map<String, Object> scope = new HashMap<>();
        scope.put(BackfillChange.SETTINGS_SCOPE_KEY, settings);
        scope.put(BackfillListener.SCOPE_KEY, listener);
        if (moreConnections != null) {
            scope.put(ConnectionSource.SCOPE_KEY, moreConnections);
        }
        try {
            new LiquibaseSession(connection, scope).run(CHANGELOG, (liquibase, db) -> {
                liquibase.update(new Contexts(Phase.contexts(phases)), new LabelExpression());
                return null;
            });
        } catch (LiquibaseException e) {
            String refusal = contractRefusal(e);
            if (refusal != null) {
                throw new org.arvados.tasksasjobs.backfill.MigrationRefusedException(refusal);
            }
            throw e;
        }
    }

    /** The contract phase's own refusal (its preconditions' message: what to run first), or null for any other failure. */
    private static String contractRefusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof liquibase.exception.PreconditionFailedException p) {
                for (liquibase.precondition.FailedPrecondition f : p.getFailedPreconditions()) {
                    if (f.getMessage() != null && f.getMessage().startsWith("contract needs")) {
                        return f.getMessage();
                    }
                }
            }
        }
        return null;
    }

    /**
     * Undoes every phase: back to the tag set before expand. A contracted database first gets its job_tasks table back
     * ({@link #rollbackContract()}), whatever ran after the contract: the backfill runs every time, and undoing it
     * while job_tasks is a view over the task-like jobs would take the tasks with it.
     */
    public void rollback() throws LiquibaseException {
        rollbackContract();
        new LiquibaseSession(connection, Map.of()).run(CHANGELOG, (liquibase, db) -> {
            liquibase.rollback(ROLLBACK_TAG, new Contexts(), new LabelExpression());
            return null;
        });
    }

    /**
     * Undoes the contract phase only: job_tasks is a table again, holding exactly what the view showed (every task
     * written through the view or the gateway since). Rolls back the contract's changeSets that ran, newest first, by
     * name rather than by execution order. Returns whether anything was undone.
     */
    public boolean rollbackContract() throws LiquibaseException {
        return new LiquibaseSession(connection, Map.of()).run(CHANGELOG, (liquibase, db) -> {
            List<ChangeSet> contract = new ArrayList<>();
            for (ChangeSet cs : liquibase.getDatabaseChangeLog().getChangeSets()) {
                if (cs.getContextFilter() != null && cs.getContextFilter().toString().contains(Phase.CONTRACT.context())) {
                    contract.add(0, cs);
                }
            }
            LockService locks = LockServiceFactory.getInstance().getLockService(db);
            locks.waitForLock();
            try {
                ChangeLogHistoryService history = Scope.getCurrentScope().getSingleton(ChangeLogHistoryServiceFactory.class)
                        .getChangeLogService(db);
                history.init();
                List<RanChangeSet> ran = history.getRanChangeSets();
                boolean undone = false;
                for (ChangeSet cs : contract) {
                    if (ran.stream().anyMatch(r -> r.isSameAs(cs))) {
                        cs.rollback(db);
                        history.removeFromHistory(cs);
                        db.commit();
                        undone = true;
                    }
                }
                return undone;
            } finally {
                locks.releaseLock();
            }
        });
    }

    /** A changeSet of the migration changelog as a plan shows it. */
    public record PlannedChangeSet(String id, Phase phase, boolean applied, boolean runsEveryTime, String sql) { }

    /**
     * The changeSets of these phases, whether each already ran here, and the SQL of each. Reads the changelog
     * without Liquibase touching the database (Liquibase would create its tracking tables even to list what has
     * not run), and DATABASECHANGELOG only when it exists.
     */
    public List<PlannedChangeSet> plan(Collection<Phase> phases) throws LiquibaseException, SQLException {
        DatabaseChangeLog changeLog = LiquibaseSession.offline(() -> ChangeLogParserFactory.getInstance()
                .getParser(CHANGELOG, new ClassLoaderResourceAccessor(MigrationChangelog.class.getClassLoader()))
                .parse(CHANGELOG, new ChangeLogParameters(), new ClassLoaderResourceAccessor(MigrationChangelog.class.getClassLoader())));
        Set<String> applied = appliedChangeSetIds();
        List<PlannedChangeSet> planned = new ArrayList<>();
        for (ChangeSet cs : changeLog.getChangeSets()) {
            Phase phase = phases.stream().filter(p -> cs.getContextFilter().toString().contains(p.context())).findFirst().orElse(null);
            if (phase == null) {
                continue;
            }
            StringBuilder sql = new StringBuilder();
            for (Change change : cs.getChanges()) {
                if (change instanceof AbstractSQLChange s) {
                    sql.append(s.getSql().strip()).append(";\n");
                } else if (change instanceof CustomChangeWrapper c) {
                    sql.append("-- custom change ").append(c.getClassName()).append(": batched copy of job_tasks into jobs\n");
                } else if (change instanceof TagDatabaseChange t) {
                    sql.append("-- Liquibase tag ").append(t.getTag()).append(" (what rollback returns to)\n");
                }
            }
            planned.add(new PlannedChangeSet(cs.getId(), phase, applied.contains(cs.getId()), cs.isAlwaysRun(), sql.toString()));
        }
        return planned;
    }

    private Set<String> appliedChangeSetIds() throws SQLException {
        Set<String> ids = new HashSet<>();
        String exists = "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'databasechangelog'";
        try (PreparedStatement st = connection.prepareStatement(exists); ResultSet rs = st.executeQuery()) {
            if (!rs.next()) {
                return ids;
            }
        }
        try (PreparedStatement st = connection.prepareStatement("SELECT id FROM databasechangelog WHERE author = 'tasks-as-jobs'");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** Liquibase's own changelog lock, when a session holds it: who, and connected since when. */
    public Optional<String> changelogLockHolder() throws LiquibaseException {
        return new LiquibaseSession(connection, Map.of()).run(CHANGELOG, (liquibase, db) -> {
            LockService locks = LockServiceFactory.getInstance().getLockService(db);
            for (DatabaseChangeLogLock lock : locks.listLocks()) {
                return Optional.of(lock.getLockedBy());
            }
            return Optional.<String>empty();
        });
    }
}
