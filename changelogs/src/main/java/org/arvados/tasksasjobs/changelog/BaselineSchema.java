package org.arvados.tasksasjobs.changelog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.exception.LiquibaseException;
import liquibase.exception.PreconditionFailedException;

/**
 * Creates the pre-migration Arvados schema ({@code jobs}, {@code job_tasks}, every index of the real schema) by running
 * the {@value #CHANGELOG} changelog on a connection the caller owns. Used by {@code seed}, {@code demo}, {@code bench}
 * and tests; never by {@code migrate}, which works on a database the API server made.
 */
public final class BaselineSchema {

    /** Classpath location of the baseline changelog. */
    public static final String CHANGELOG = "db/changelog/arvados-baseline.xml";

    /** The changelog's HALT precondition message, also used when the check here finds the table first. */
    static final String REFUSAL = "refusing to create the Arvados baseline schema: this database already has a jobs table"
            + " (seed needs an empty database)";

    private BaselineSchema() {
    }

    /**
     * Runs the baseline changelog on {@code connection}, which stays open and gets its auto-commit mode back.
     *
     * @throws BaselineRefusedException when the database already has a {@code jobs} table (in the current schema)
     * @throws LiquibaseException when the changelog fails for another reason (its cause chain holds the SQLException)
     */
    public static void apply(Connection connection) throws BaselineRefusedException, LiquibaseException {
        // Checked here first so the common refusal needs no Liquibase run (and leaves no DATABASECHANGELOG behind).
        if (hasJobsTable(connection)) {
            throw new BaselineRefusedException(REFUSAL);
        }
        try {
            new LiquibaseSession(connection, Map.of()).run(CHANGELOG, (liquibase, database) -> {
                liquibase.update(new Contexts(), new LabelExpression());
                return null;
            });
        } catch (LiquibaseException e) {
            if (failedPrecondition(e)) {
                // A jobs table that appeared between the check above and the changelog's own precondition.
                throw new BaselineRefusedException(REFUSAL, e);
            }
            throw e;
        }
    }

    private static boolean hasJobsTable(Connection connection) throws LiquibaseException {
        // current_schema(), as the changelog's tableExists precondition looks only there.
        String sql = "SELECT EXISTS (SELECT 1 FROM information_schema.tables"
                + " WHERE table_schema = current_schema() AND table_name = 'jobs')";
        try (PreparedStatement st = connection.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            throw new LiquibaseException("cannot inspect the database: " + e.getMessage(), e);
        }
    }

    private static boolean failedPrecondition(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PreconditionFailedException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The database already holds a {@code jobs} table: the baseline is for empty databases only. Its message is one line,
     * fit to show a DBA as it is.
     */
    public static final class BaselineRefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        BaselineRefusedException(String message) {
            super(message);
        }

        BaselineRefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
