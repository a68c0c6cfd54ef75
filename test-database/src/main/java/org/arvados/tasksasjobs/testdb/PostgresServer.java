package org.arvados.tasksasjobs.testdb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running PostgreSQL server that hands out fresh databases. Which server it is (embedded, an existing one,
 * a container) is decided once, in {@link #choose()}; every test runs the same way on each.
 */
public abstract class PostgresServer implements AutoCloseable {

    /** Names the existing server to use instead of an embedded one; its user must be allowed to create databases. */
    public static final String JDBC_URL_VARIABLE = "TASKS_AS_JOBS_TEST_JDBC_URL";
    /** {@code embedded} (default) or {@code testcontainers} (needs a Docker engine). */
    public static final String KIND_VARIABLE = "TASKS_AS_JOBS_TEST_DB";

    private final AtomicLong databases = new AtomicLong();
    private final Map<String, String> templates = new ConcurrentHashMap<>();

    /** Chooses the server from the environment. */
    public static PostgresServer choose() {
        String url = System.getenv(JDBC_URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            return new ExistingServer(url);
        }
        String kind = System.getenv().getOrDefault(KIND_VARIABLE, "embedded");
        return switch (kind) {
            case "embedded" -> EmbeddedServer.start();
            case "testcontainers" -> ContainerServer.start();
            default -> throw new IllegalStateException(KIND_VARIABLE + " must be 'embedded' or 'testcontainers', not '" + kind + "'");
        };
    }

    /**
     * An embedded PostgreSQL of another version than the classpath's: the binaries jar of that version (the
     * {@code pg-matrix} profile downloads them). The caller closes it.
     */
    public static PostgresServer embedded(java.nio.file.Path binariesJar) {
        return EmbeddedServer.start(binariesJar);
    }

    /** A JDBC URL for {@code database} on this server, credentials included as URL parameters. */
    public abstract String jdbcUrl(String database);

    public abstract String user();

    public abstract String password();

    /** The database used to create and drop the others. */
    protected abstract String maintenanceDatabase();

    /** A new, empty database (or a copy of {@code template} when it is not null). */
    public TestDatabase createDatabase(String template) {
        String name = "taj_test_" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
        String sql = "CREATE DATABASE " + name + (template == null ? " TEMPLATE template0" : " TEMPLATE " + template);
        try (Connection admin = connect(maintenanceDatabase()); Statement st = admin.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        return new TestDatabase(this, name);
    }

    /**
     * A template database made once per server by {@code initializer}; later {@link #createDatabase(String)} calls
     * copy it, which is far cheaper than running a changelog for every test.
     */
    public String template(String key, DatabaseInitializer initializer) {
        return templates.computeIfAbsent(key, k -> {
            TestDatabase db = createDatabase(null);
            try (Connection c = db.connect()) {
                initializer.initialize(db);
            } catch (Exception e) {
                throw new IllegalStateException("cannot prepare template " + key + ": " + e.getMessage(), e);
            }
            return db.name();
        });
    }

    void drop(String name) {
        try (Connection admin = connect(maintenanceDatabase()); Statement st = admin.createStatement();
             PreparedStatement sessions = admin.prepareStatement(
                     "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
            // DROP DATABASE ... WITH (FORCE) needs PostgreSQL 13; ending the sessions first works on every version.
            sessions.setString(1, name);
            sessions.execute();
            st.execute("DROP DATABASE IF EXISTS " + name); // name: ours, taj_test_<pid>_<n>
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test database " + name + ": " + e.getMessage(), e);
        }
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database));
    }

    /** Prepares a template database. */
    @FunctionalInterface
    public interface DatabaseInitializer {
        void initialize(TestDatabase database) throws Exception;
    }
}
