package org.arvados.tasksasjobs.testdb;

import org.testcontainers.containers.PostgreSQLContainer;

/** PostgreSQL in a container, for machines with a Docker engine ({@code TASKS_AS_JOBS_TEST_DB=testcontainers}). */
final class ContainerServer extends PostgresServer {

    private final PostgreSQLContainer<?> container;

    private ContainerServer(PostgreSQLContainer<?> container) {
        this.container = container;
    }

    static ContainerServer start() {
        PostgreSQLContainer<?> c = new PostgreSQLContainer<>(System.getenv().getOrDefault("TASKS_AS_JOBS_TEST_IMAGE", "postgres:17"));
        c.start();
        return new ContainerServer(c);
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + container.getHost() + ":" + container.getFirstMappedPort() + "/" + database
                + "?user=" + user() + "&password=" + password();
    }

    @Override
    public String user() {
        return container.getUsername();
    }

    @Override
    public String password() {
        return container.getPassword();
    }

    @Override
    protected String maintenanceDatabase() {
        return container.getDatabaseName();
    }

    @Override
    public void close() {
        container.stop();
    }
}
