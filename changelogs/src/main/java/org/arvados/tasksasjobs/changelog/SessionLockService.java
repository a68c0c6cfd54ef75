package org.arvados.tasksasjobs.changelog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Date;
import liquibase.GlobalConfiguration;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LockException;
import liquibase.executor.ExecutorService;
import liquibase.executor.LoggingExecutor;
import liquibase.lockservice.DatabaseChangeLogLock;
import liquibase.lockservice.LockService;

/**
 * Liquibase's changelog lock as a PostgreSQL session-level advisory lock instead of a row in databasechangeloglock:
 * it dies with the session that holds it, so a run killed with SIGKILL (or a dropped terminal, or a terminated
 * backend) leaves nothing to clear, and the same command run again just proceeds. A second run at the same time
 * waits as Liquibase's own lock makes it wait, then fails naming the session that holds it.
 *
 * <p>Registered for PostgreSQL through META-INF/services, with a priority above Liquibase's standard service, so
 * the tasks-as-jobs CLI and a stock Liquibase with changelogs-VERSION-liquibase.jar on its classpath both use it.
 * It takes nothing in an output-only run (update-sql): there is nothing to keep apart.
 */
public final class SessionLockService implements LockService {

    /** The lock's two int4 keys: "task" and "lqbs" in ASCII, recognisable in pg_locks beside the migrator's. */
    static final int CLASS_KEY = 0x7461736b;
    static final int OBJECT_KEY = 0x6c716273;

    private Database database;
    private boolean held;
    private Long waitMinutes;
    private Long recheckSeconds;

    @Override
    public int getPriority() {
        return PRIORITY_DATABASE;
    }

    @Override
    public boolean supports(Database database) {
        return database instanceof PostgresDatabase && database.getConnection() instanceof JdbcConnection;
    }

    @Override
    public void setDatabase(Database database) {
        this.database = database;
    }

    @Override
    public void setChangeLogLockWaitTime(long changeLogLockWaitTime) {
        this.waitMinutes = changeLogLockWaitTime;
    }

    @Override
    public void setChangeLogLockRecheckTime(long changeLogLockRecheckTime) {
        this.recheckSeconds = changeLogLockRecheckTime;
    }

    @Override
    public boolean hasChangeLogLock() {
        return held;
    }

    @Override
    public void waitForLock() throws LockException {
        // Liquibase's own settings, as its standard lock service reads them (--changelog-lock-wait-time-in-minutes...).
        long waitFor = waitMinutes != null ? waitMinutes : GlobalConfiguration.CHANGELOGLOCK_WAIT_TIME.getCurrentValue();
        long recheck = recheckSeconds != null ? recheckSeconds : GlobalConfiguration.CHANGELOGLOCK_POLL_RATE.getCurrentValue();
        long deadline = System.nanoTime() + waitFor * 60_000_000_000L;
        boolean told = false;
        while (!acquireLock()) {
            if (System.nanoTime() >= deadline) {
                throw new LockException("Could not acquire the changelog lock within " + waitFor + " min: "
                        + holder() + "; another Liquibase run holds it. Wait for it to end, or stop it, then run again");
            }
            if (!told) {
                Scope.getCurrentScope().getUI().sendMessage("Waiting for the changelog lock: " + holder());
                told = true;
            }
            try {
                Thread.sleep(recheck * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LockException("interrupted while waiting for the changelog lock", e);
            }
        }
    }

    @Override
    public boolean acquireLock() throws LockException {
        if (held || outputOnly()) {
            held = true;
            return true;
        }
        try (PreparedStatement st = connection().prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            st.setInt(1, CLASS_KEY);
            st.setInt(2, OBJECT_KEY);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                held = rs.getBoolean(1);
                return held;
            }
        } catch (SQLException e) {
            throw new LockException("cannot take the changelog lock: " + e.getMessage(), e);
        }
    }

    @Override
    public void releaseLock() throws LockException {
        if (!held) {
            return;
        }
        held = false;
        if (outputOnly()) {
            return;
        }
        try {
            Connection c = connection();
            if (c.isClosed()) {
                return; // the lock went with the session
            }
            try (PreparedStatement st = c.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
                st.setInt(1, CLASS_KEY);
                st.setInt(2, OBJECT_KEY);
                st.execute();
            }
        } catch (SQLException e) {
            throw new LockException("cannot release the changelog lock: " + e.getMessage(), e);
        }
    }

    @Override
    public DatabaseChangeLogLock[] listLocks() throws LockException {
        try {
            // The lock's grant time is not in pg_locks; the holder's phrase says since when its session is connected.
            return AdvisoryLockHolder.of(connection(), CLASS_KEY, OBJECT_KEY)
                    .map(holder -> new DatabaseChangeLogLock[] {new DatabaseChangeLogLock(1, new Date(), holder)})
                    .orElse(new DatabaseChangeLogLock[0]);
        } catch (SQLException e) {
            throw new LockException("cannot read the changelog lock: " + e.getMessage(), e);
        }
    }

    /** Releases this session's lock; another session's dies with that session and cannot be taken from it. */
    @Override
    public void forceReleaseLock() throws LockException {
        held = true;
        releaseLock();
    }

    @Override
    public void reset() {
        held = false;
    }

    /** Nothing to create: the lock is PostgreSQL's, not a table's. */
    @Override
    public void init() {
    }

    @Override
    public void destroy() {
        reset();
    }

    /** Who holds the lock, as one phrase for a DBA; "nobody" when it is free. */
    String holder() throws LockException {
        DatabaseChangeLogLock[] locks = listLocks();
        return locks.length == 0 ? "nobody holds it now" : locks[0].getLockedBy();
    }

    /** update-sql and friends: statements are printed, not run, and there is nothing to lock. */
    private boolean outputOnly() {
        return Scope.getCurrentScope().getSingleton(ExecutorService.class).getExecutor("jdbc", database) instanceof LoggingExecutor;
    }

    private Connection connection() {
        return ((JdbcConnection) database.getConnection()).getUnderlyingConnection();
    }
}
