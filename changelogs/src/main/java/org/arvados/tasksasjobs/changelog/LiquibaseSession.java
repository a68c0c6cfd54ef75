package org.arvados.tasksasjobs.changelog;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.changelog.FastCheckService;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.executor.ExecutorService;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * Runs Liquibase over a connection the caller owns, in a scope that keeps Liquibase quiet and offline: no
 * anonymous analytics call (these machines have no network, and a DBA's tool must not phone home), no banner,
 * messages and the update summary to java.util.logging instead of stdout, which belongs to the command line.
 * The caller's connection is never closed here and gets its auto-commit mode back.
 */
final class LiquibaseSession {

    private final Connection connection;
    private final Map<String, Object> scope;

    LiquibaseSession(Connection connection, Map<String, Object> extraScope) {
        this.connection = connection;
        Map<String, Object> values = new HashMap<>(quiet());
        values.putAll(extraScope);
        this.scope = Map.copyOf(values);
    }

    private static Map<String, Object> quiet() {
        return Map.of(
                "liquibase.analytics.enabled", Boolean.FALSE,
                "liquibase.showBanner", Boolean.FALSE,
                "liquibase.command.showSummaryOutput", UpdateSummaryOutputEnum.LOG,
                Scope.Attr.ui.name(), new LoggerUIService());
    }

    /** Work with Liquibase that needs no database, such as parsing a changelog. */
    @FunctionalInterface
    interface OfflineWork<T> {
        T run() throws Exception;
    }

    /** Runs {@code work} in the same quiet scope, with no connection involved. */
    static <T> T offline(OfflineWork<T> work) throws LiquibaseException {
        try {
            return Scope.child(quiet(), work::run);
        } catch (LiquibaseException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new LiquibaseException(e.getMessage(), e);
        }
    }

    /** Work to do with a Liquibase over {@code changelog}. */
    @FunctionalInterface
    interface Work<T> {
        T run(Liquibase liquibase, Database database) throws Exception;
    }

    <T> T run(String changelog, Work<T> work) throws LiquibaseException {
        boolean autoCommit;
        try {
            autoCommit = connection.getAutoCommit();
        } catch (SQLException e) {
            throw new LiquibaseException("cannot use the connection: " + e.getMessage(), e);
        }
        try {
            return Scope.child(scope, () -> {
                Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
                // Liquibase remembers, for the JVM's life, that a database was up to date for some contexts, and then
                // skips its update. Another process (a killed migrator, a stock Liquibase, a rollback) may have changed
                // it since: every session looks afresh.
                Scope.getCurrentScope().getSingleton(FastCheckService.class).clearCache();
                try {
                    // Not closed: closing a Liquibase closes its Database and with it the caller's connection.
                    Liquibase liquibase = new Liquibase(changelog,
                            new ClassLoaderResourceAccessor(LiquibaseSession.class.getClassLoader()), database);
                    return work.run(liquibase, database);
                } finally {
                    // What Database.close() would release besides the connection, so runs in one JVM do not pile up.
                    Scope.getCurrentScope().getSingleton(ExecutorService.class).clearExecutor("jdbc", database);
                }
            });
        } catch (LiquibaseException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new LiquibaseException(e.getMessage(), e);
        } finally {
            restoreAutoCommit(autoCommit);
        }
    }

    /** Liquibase switches auto-commit off for PostgreSQL and only puts it back in Database.close(), which we skip. */
    private void restoreAutoCommit(boolean autoCommit) {
        try {
            if (!connection.isClosed() && connection.getAutoCommit() != autoCommit) {
                if (autoCommit) {
                    connection.rollback(); // nothing of a failed changeSet may be committed by the mode switch
                }
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            // the connection is broken; the caller finds out on its next use
        }
    }
}
