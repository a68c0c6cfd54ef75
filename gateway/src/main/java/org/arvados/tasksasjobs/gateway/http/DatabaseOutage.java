package org.arvados.tasksasjobs.gateway.http;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a database that is gone or unreachable (503: the client may retry later) from a failing statement
 * (500: a bug). Looks at the whole chain because HikariCP wraps the driver's error in its own, and the driver
 * chains the server's.
 */
final class DatabaseOutage {

    private DatabaseOutage() {
    }

    static boolean isOutage(SQLException failure) {
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof SQLTransientConnectionException     // HikariCP: no connection within the timeout
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // 08: connection exceptions; 57P01-57P03: the server is shutting down or not accepting
                // connections; 53: out of connections or memory on the server.
                if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A statement cancelled by the session's statement timeout (SQLSTATE 57014): the request asked too much. */
    static boolean isStatementTimeout(SQLException failure) {
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof SQLException sql && "57014".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static Throwable next(Throwable t) {
        if (t instanceof SQLException sql && sql.getNextException() != null) {
            return sql.getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }
}
