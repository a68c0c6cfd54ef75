package org.arvados.tasksasjobs.cli;

import java.util.Map;
import java.util.Properties;

/**
 * libpq's environment variables that pgjdbc does not read itself, as pgjdbc connection properties, and Unix-socket
 * directories (PGHOST=/var/run/postgresql, {@code host=/dir} in a URI) as junixsocket's socket factory. pgjdbc reads
 * PGPASSFILE, PGSERVICEFILE and PGSYSCONFDIR on its own. Properties never override the URL's own parameters
 * (pgjdbc's rule), so {@code ?sslmode=require} in --url beats PGSSLMODE, as a conninfo string beats the environment.
 */
final class LibpqEnvironment {

    /** libpq variable to pgjdbc property; the values are spelled alike (docs/operations.md "Connecting"). */
    private static final Map<String, String> PROPERTIES = Map.of(
            "PGSSLMODE", "sslmode",
            "PGSSLROOTCERT", "sslrootcert",
            "PGSSLCERT", "sslcert",
            "PGSSLKEY", "sslkey",
            "PGOPTIONS", "options");

    /** junixsocket's factory for pgjdbc: its argument is the socket file. */
    static final String SOCKET_FACTORY = "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg";

    private LibpqEnvironment() {
    }

    static void apply(Map<String, String> env, Properties properties) {
        PROPERTIES.forEach((variable, property) -> {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                properties.setProperty(property, value);
            }
        });
    }

    /** The socket directory PGHOST names when the target comes from the environment (a path, as libpq takes it). */
    static String socketDirectory(String jdbcUrl, Map<String, String> env, boolean fromEnvironment) {
        String host = env.get("PGHOST");
        if (fromEnvironment && host != null && host.startsWith("/") && !jdbcUrl.contains("?service=")) {
            return host;
        }
        return null;
    }

    /** Connects through the socket file PostgreSQL makes in {@code directory} for {@code port}, as libpq does. */
    static void useSocket(Properties properties, String directory, String port) {
        properties.setProperty("socketFactory", SOCKET_FACTORY);
        properties.setProperty("socketFactoryArg", socketFile(directory, port));
        properties.putIfAbsent("sslmode", "disable"); // libpq never negotiates SSL over a Unix socket
    }

    /** {@code directory/.s.PGSQL.port}: the file name the server listens on. */
    static String socketFile(String directory, String port) {
        return (directory.endsWith("/") ? directory : directory + "/") + ".s.PGSQL." + port;
    }
}
