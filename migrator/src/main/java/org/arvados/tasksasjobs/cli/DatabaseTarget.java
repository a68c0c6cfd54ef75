package org.arvados.tasksasjobs.cli;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/**
 * The database a command works on, with connection settings validated once ({@link ConnectionOptions#open(String)}).
 * Hands out connections; closing it stops the embedded server if it started one.
 */
public final class DatabaseTarget implements AutoCloseable {

    // pgjdbc's driver, used directly: no DriverManager lookup, so a shaded jar cannot lose it.
    private static final Driver DRIVER = new Driver();

    private final String url;
    private final PasswordPrompt prompt;
    // Replaced once when a password is typed at the prompt; workers connecting later use it too.
    private volatile Properties properties;
    private final String description;
    private final String redactedUrl;
    private final String user;
    private final String database;
    private final EmbeddedDatabase embedded;

    DatabaseTarget(String url, Properties properties, String description, String redactedUrl, String user, String database,
                   EmbeddedDatabase embedded) {
        this(url, properties, description, redactedUrl, user, database, embedded, null);
    }

    /** @param prompt asks for a password the server demands and none was given; null: fail instead */
    DatabaseTarget(String url, Properties properties, String description, String redactedUrl, String user, String database,
                   EmbeddedDatabase embedded, PasswordPrompt prompt) {
        this.url = url;
        this.prompt = prompt;
        this.properties = copy(properties);
        this.description = description;
        this.redactedUrl = redactedUrl;
        this.user = user;
        this.database = database;
        this.embedded = embedded;
    }

    /**
     * A target for an embedded server this code started itself (as {@code demo} does); closing the target stops it.
     * {@link ConnectionOptions#open(String)} builds the same for {@code --embedded}.
     */
    public static DatabaseTarget embedded(EmbeddedDatabase db, String applicationName, int connectTimeoutSeconds) {
        Properties properties = new Properties();
        properties.setProperty(PGProperty.APPLICATION_NAME.getName(), applicationName);
        properties.setProperty(PGProperty.CONNECT_TIMEOUT.getName(), Integer.toString(connectTimeoutSeconds));
        return new DatabaseTarget(db.jdbcUrl(), properties, db.describe(), db.jdbcUrl(), db.user(), EmbeddedDatabase.DATABASE, db);
    }

    /**
     * A new connection in auto-commit mode, named by the application name given to {@code open} (as
     * pg_stat_activity shows it), with the connect timeout applied.
     *
     * @throws MigratorException FAILURE with a one-line explanation when the database cannot be reached or refuses
     */
    public Connection connect() {
        try {
            Connection c;
            try {
                c = DRIVER.connect(url, copy(properties));
            } catch (SQLException e) {
                if (!ErrorHandler.isMissingPassword(e) || !askForPassword()) {
                    throw e;
                }
                c = DRIVER.connect(url, copy(properties));
            }
            if (c == null) {
                throw MigratorException.usage("not a PostgreSQL JDBC URL: " + redactedUrl);
            }
            c.setAutoCommit(true);
            return c;
        } catch (SQLException e) {
            throw MigratorException.failure(ErrorHandler.explain(e, description, user, database), e);
        }
    }

    /** Asks once for the password, at the terminal; false when there is no terminal or nothing was typed. */
    private synchronized boolean askForPassword() {
        if (prompt == null || properties.getProperty(PGProperty.PASSWORD.getName()) != null) {
            return false;
        }
        char[] typed = prompt.ask(user, description);
        if (typed == null || typed.length == 0) {
            return false;
        }
        Properties withPassword = copy(properties);
        withPassword.setProperty(PGProperty.PASSWORD.getName(), new String(typed));
        java.util.Arrays.fill(typed, '\0');
        properties = withPassword;
        return true;
    }

    /**
     * {@link #connect()} for a backfill worker: a failure is an SQLException, which the backfill reports like any
     * other lost connection (committed batches kept, run again to resume).
     */
    public Connection connectForWorker() throws SQLException {
        try {
            return connect();
        } catch (MigratorException e) {
            throw new SQLException(e.getMessage(), "08001", e);
        }
    }

    /** The JDBC URL as given (it may carry a password: never print it; see {@link #redactedUrl()}). */
    String jdbcUrl() {
        return url;
    }

    /** The connection properties (user, password, application name, timeouts): for a pool of this target's connections. */
    Properties connectionProperties() {
        return copy(properties);
    }

    /** "host:port/database", or "embedded PostgreSQL 17.x at DIR"; never a password. */
    public String describe() {
        return description;
    }

    /** The JDBC URL with any password replaced by {@code ***}: safe for messages and logs. */
    public String redactedUrl() {
        return redactedUrl;
    }

    /** The embedded server this target started, or null when it connects to an existing one. */
    public EmbeddedDatabase embedded() {
        return embedded;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }

    private static Properties copy(Properties p) {
        Properties c = new Properties();
        c.putAll(p);
        return c;
    }
}
