package org.arvados.tasksasjobs.changelog;

import java.io.StringWriter;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.changelog.ChangeSet;
import liquibase.lockservice.DatabaseChangeLogLock;
import liquibase.lockservice.LockService;
import liquibase.lockservice.LockServiceFactory;
import liquibase.exception.LiquibaseException;
import org.arvados.tasksasjobs.backfill.BackfillChange;
import org.arvados.tasksasjobs.backfill.BackfillListener;
import org.arvados.tasksasjobs.backfill.BackfillSettings;

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

    /** Runs the phases; the backfill reports to {@code listener} and uses {@code settings}. */
    public void update(Collection<Phase> phases, BackfillSettings settings, BackfillListener listener) throws LiquibaseException {
        Map<String, Object> scope = new HashMap<>();
        scope.put(BackfillChange.SETTINGS_SCOPE_KEY, settings);
        scope.put(BackfillListener.SCOPE_KEY, listener);
        new LiquibaseSession(connection, scope).run(CHANGELOG, (liquibase, db) -> {
            liquibase.update(new Contexts(Phase.contexts(phases)), new LabelExpression());
            return null;
        });
    }

    /** Undoes every phase: back to the tag set before expand. */
    public void rollback() throws LiquibaseException {
        new LiquibaseSession(connection, Map.of()).run(CHANGELOG, (liquibase, db) -> {
            liquibase.rollback(ROLLBACK_TAG, new Contexts(), new LabelExpression());
            return null;
        });
    }

    /** Ids of the changeSets of these phases that have not run yet (run-always changeSets included). */
    public List<String> pendingChangeSets(Collection<Phase> phases) throws LiquibaseException {
        return new LiquibaseSession(connection, Map.of()).run(CHANGELOG, (liquibase, db) -> {
            List<String> ids = new ArrayList<>();
            for (ChangeSet cs : liquibase.listUnrunChangeSets(new Contexts(Phase.contexts(phases)), new LabelExpression())) {
                ids.add(cs.getId());
            }
            return ids;
        });
    }

    /** The SQL an update of these phases would run, as Liquibase renders it, without running it. */
    public String pendingSql(Collection<Phase> phases) throws LiquibaseException {
        return new LiquibaseSession(connection, Map.of()).run(CHANGELOG, (liquibase, db) -> {
            StringWriter out = new StringWriter();
            liquibase.update(new Contexts(Phase.contexts(phases)), new LabelExpression(), out);
            return out.toString();
        });
    }

    /** Liquibase's own changelog lock, when someone holds it: who and since when. */
    public Optional<String> changelogLockHolder() throws LiquibaseException {
        return new LiquibaseSession(connection, Map.of()).run(CHANGELOG, (liquibase, db) -> {
            LockService locks = LockServiceFactory.getInstance().getLockService(db);
            for (DatabaseChangeLogLock lock : locks.listLocks()) {
                return Optional.of("locked by " + lock.getLockedBy() + " since " + lock.getLockGranted().toInstant());
            }
            return Optional.<String>empty();
        });
    }

    /** Clears Liquibase's changelog lock; only for a lock a killed run left behind. */
    public void releaseChangelogLock() throws LiquibaseException {
        new LiquibaseSession(connection, Map.of()).run(CHANGELOG, (liquibase, db) -> {
            liquibase.forceReleaseLocks();
            return null;
        });
    }
}
