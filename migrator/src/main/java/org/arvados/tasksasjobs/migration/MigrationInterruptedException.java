package org.arvados.tasksasjobs.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A migrate or rollback that the database ended part-way for a reason outside the migration's control: the connection
 * was lost (server restart, network, {@code pg_terminate_backend}), a lock was not granted within the lock timeout,
 * or a statement was cancelled (statement_timeout, {@code pg_cancel_backend}). Its message is the one line a DBA
 * reads: what happened, where (which changeSet, which batch), that committed work is kept, and what to run next.
 * Every such state is resumable: each changeSet and each backfill batch commits on its own.
 */
public final class MigrationInterruptedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private static final Pattern CHANGE_SET = Pattern.compile("(?i)changeset [^:\\s]*::([^:\\s]+)::");

    /** What ended the run, as PostgreSQL's SQLSTATE classes tell it. */
    public enum Fault {
        CONNECTION_LOST, LOCK_TIMEOUT, STATEMENT_CANCELLED
    }

    private final Fault fault;

    private MigrationInterruptedException(Fault fault, String message, Throwable cause) {
        super(message, cause);
        this.fault = fault;
    }

    public Fault fault() {
        return fault;
    }

    /**
     * The interruption {@code failure} stands for, if it is one.
     *
     * @param where       where the run was, e.g. "during batch 4 of the backfill"; null to read the changeSet from
     *                    Liquibase's message
     * @param command     what to run again ("migrate", "rollback")
     * @param connection  the run's connection (asked whether it still works when no SQLSTATE says so)
     * @param lockTimeout the lock timeout in force, for the message
     */
    static Optional<MigrationInterruptedException> of(Throwable failure, String where, String command, Connection connection,
                                                      Duration lockTimeout) {
        String state = sqlState(failure);
        Fault fault = classify(state, connection);
        if (fault == null) {
            return Optional.empty();
        }
        String place = where != null ? where : changeSet(failure).map(id -> "during changeSet " + id).orElse("while applying the changelog");
        String kept = command.equals("rollback") ? "what was already rolled back is kept" : "committed batches are kept";
        String message = switch (fault) {
            case CONNECTION_LOST -> "the database connection was lost " + place + "; " + kept + "; run " + command
                    + " again";
            case LOCK_TIMEOUT -> "could not get a lock within the lock timeout (" + seconds(lockTimeout) + ") " + place
                    + ": another session (crunch, or a long transaction) holds a lock on a table the migrator needs; "
                    + kept + "; run " + command + " again when it is released, or raise --lock-timeout";
            case STATEMENT_CANCELLED -> "a statement was cancelled " + place + " (statement_timeout "
                    + statementTimeout(connection) + ", or pg_cancel_backend); " + kept + "; run " + command
                    + " again (a smaller --batch-size shortens each statement)";
        };
        return Optional.of(new MigrationInterruptedException(fault, message, failure));
    }

    private static Fault classify(String state, Connection connection) {
        if (state != null) {
            if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                return Fault.CONNECTION_LOST;
            }
            if (state.equals("55P03")) {
                return Fault.LOCK_TIMEOUT;
            }
            if (state.equals("57014")) {
                return Fault.STATEMENT_CANCELLED;
            }
        }
        return connectionWorks(connection) ? null : Fault.CONNECTION_LOST;
    }

    /** The SQLSTATE of the first SQLException in the cause chain that has one. */
    static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static Optional<String> changeSet(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            Matcher m = CHANGE_SET.matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    private static boolean connectionWorks(Connection connection) {
        try {
            return !connection.isClosed() && connection.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    private static String statementTimeout(Connection connection) {
        try (PreparedStatement st = connection.prepareStatement("SELECT current_setting('statement_timeout')");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return "= " + rs.getString(1);
        } catch (SQLException e) {
            return "reached";
        }
    }

    private static String seconds(Duration d) {
        if (d.isZero()) {
            return "none set";
        }
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
