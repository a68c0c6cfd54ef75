package org.arvados.tasksasjobs.testdb;

import java.sql.Connection;
import java.sql.SQLException;

/** One database of its own for one test; dropped when closed. */
public final class TestDatabase implements AutoCloseable {

    private final PostgresServer server;
    private final String name;

    TestDatabase(PostgresServer server, String name) {
        this.server = server;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** JDBC URL with user and password as parameters: what a DBA would pass to {@code --url}. */
    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    public String user() {
        return server.user();
    }

    public String password() {
        return server.password();
    }

    public Connection connect() throws SQLException {
        return server.connect(name);
    }

    @Override
    public void close() {
        server.drop(name);
    }
}
