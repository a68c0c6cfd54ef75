package org.arvados.tasksasjobs.backfill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.arvados.tasksasjobs.changelog.AdvisoryLockHolder;

/**
 * The PostgreSQL session-level advisory lock that keeps two migrators off one database. Session-level, so a
 * killed migrator's lock dies with its connection and never needs clearing by hand. Re-entrant within one
 * session, so the CLI can hold it around Liquibase while the backfill change takes it again.
 */
public final class MigrationLock implements AutoCloseable {

    /** The two int4 keys of the lock: "task" and "jobs" in ASCII, so it is recognisable in pg_locks. */
    static final int CLASS_KEY = 0x7461736b;
    static final int OBJECT_KEY = 0x6a6f6273;

    private final Connection connection;

    private MigrationLock(Connection connection) {
        this.connection = connection;
    }

    /**
     * Takes the lock without waiting.
     *
     * @throws MigrationRefusedException naming the session that holds it
     */
    public static MigrationLock acquire(Connection connection) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            st.setInt(1, CLASS_KEY);
            st.setInt(2, OBJECT_KEY);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new MigrationRefusedException("another migrator is running on this database (" + holder(connection)
                            + "); wait for it to finish, or stop it, then run again");
                }
            }
        }
        return new MigrationLock(connection);
    }

    /** Who holds the lock, as one phrase for a DBA; "nobody" when it is free. */
    public static String holder(Connection connection) throws SQLException {
        return AdvisoryLockHolder.of(connection, CLASS_KEY, OBJECT_KEY).orElse("nobody");
    }

    @Override
    public void close() throws SQLException {
        if (connection.isClosed()) {
            return; // the lock died with the session
        }
        try (PreparedStatement st = connection.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            st.setInt(1, CLASS_KEY);
            st.setInt(2, OBJECT_KEY);
            st.execute();
        }
    }
}
