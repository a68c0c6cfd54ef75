package org.arvados.tasksasjobs.testdb;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test method that asks for a {@link TestDatabase} (or the {@link PostgresServer}) a database of its own,
 * dropped afterwards. The server is started once per test JVM and kept in JUnit's root store, which closes it at the end.
 */
public class FreshDatabaseExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FreshDatabaseExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestDatabase.class || type == PostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        PostgresServer server = server(context);
        if (parameter.getParameter().getType() == PostgresServer.class) {
            return server;
        }
        TestDatabase db = server.createDatabase(template(server));
        context.getStore(NAMESPACE).put(db.name(), db); // closed (dropped) by JUnit after the test
        return db;
    }

    /** The template each fresh database copies; null for an empty database. Subclasses prepare schemas here. */
    protected String template(PostgresServer server) {
        return null;
    }

    public static PostgresServer server(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(PostgresServer.class, k -> new ClosingServer(PostgresServer.choose()), ClosingServer.class)
                .server();
    }

    private record ClosingServer(PostgresServer server) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            server.close();
        }
    }
}
