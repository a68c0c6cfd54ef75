package org.arvados.tasksasjobs.gateway.tasks;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Runs each service call as one transaction on a pooled connection: auto-commit off, commit when the work returns,
 * roll back when it throws anything (a refusal must leave no half-done write, such as a purity mark for a read
 * that was then refused), and the connection's auto-commit mode restored before it goes back to the pool.
 */
final class Transactions {

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws GatewayException, SQLException;
    }

    private final DataSource dataSource;

    Transactions(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    <T> T run(Work<T> work) throws GatewayException, SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (GatewayException | SQLException | RuntimeException | Error e) {
                rollback(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private static void rollback(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // The first failure is the one worth reporting; a broken connection is the pool's to evict.
            cause.addSuppressed(e);
        }
    }
}
