package org.arvados.tasksasjobs.cli;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arvados.tasksasjobs.bench.ServerBench;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/**
 * The server {@code bench --url} works on: the target's URL with another database name for each copy, the password
 * (from the URL, PGPASSWORD or .pgpass) moved out of the URL into the child processes' environment.
 */
final class BenchServer implements ServerBench.Server {

    private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/?#]*/)([^?#]*)(\\?.*)?");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(?<=[?&])password=[^&]*(&|$)");

    private final DatabaseTarget target;
    private final String prefix;
    private final String query;
    private final String maintenanceDatabase;
    private final Map<String, String> childEnvironment;

    private BenchServer(DatabaseTarget target, String prefix, String query, String maintenanceDatabase,
                        Map<String, String> childEnvironment) {
        this.target = target;
        this.prefix = prefix;
        this.query = query;
        this.maintenanceDatabase = maintenanceDatabase;
        this.childEnvironment = Map.copyOf(childEnvironment);
    }

    static BenchServer of(DatabaseTarget target) {
        Matcher m = URL.matcher(target.jdbcUrl());
        if (!m.matches() || m.group(2).isEmpty()) {
            throw MigratorException.usage("bench needs --url jdbc:postgresql://host[:port]/database (it makes databases"
                    + " beside that one), not '" + target.redactedUrl() + "'");
        }
        String query = m.group(3) == null ? "" : PASSWORD_PARAMETER.matcher(m.group(3)).replaceAll("");
        if (query.equals("?")) {
            query = "";
        }
        // A Unix socket chosen through PGHOST lives in the properties; the child processes get a URL, so it goes there.
        Properties own = target.connectionProperties();
        if (own.getProperty("socketFactoryArg") != null && !query.contains("socketFactory=")) {
            query += (query.isEmpty() ? "?" : "&") + "socketFactory=" + own.getProperty("socketFactory")
                    + "&socketFactoryArg=" + own.getProperty("socketFactoryArg");
        }
        Properties parsed = Driver.parseURL(target.jdbcUrl(), target.connectionProperties());
        Map<String, String> env = new HashMap<>();
        String user = parsed == null ? null : PGProperty.USER.getOrDefault(parsed);
        String password = parsed == null ? null : PGProperty.PASSWORD.getOrDefault(parsed);
        if (user != null) {
            env.put("PGUSER", user);
        }
        if (password != null) {
            env.put("PGPASSWORD", password);
        }
        return new BenchServer(target, m.group(1), query, PGProperty.PG_DBNAME.getOrDefault(parsed), env);
    }

    @Override
    public String jdbcUrl(String database) {
        return prefix + (database == null ? maintenanceDatabase : database) + query;
    }

    @Override
    public Connection connect(String database) throws SQLException {
        Properties properties = target.connectionProperties();
        childEnvironment.forEach((name, value) -> properties.setProperty(
                name.equals("PGUSER") ? PGProperty.USER.getName() : PGProperty.PASSWORD.getName(), value));
        Connection c = new Driver().connect(jdbcUrl(database), properties);
        if (c == null) {
            throw new SQLException("not a PostgreSQL URL: " + target.redactedUrl());
        }
        return c;
    }

    @Override
    public Map<String, String> childEnvironment() {
        return childEnvironment;
    }

    /** A clear refusal before seeding when the role cannot create the benchmark's databases. */
    void requireCreatedb(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user");
             ResultSet rs = st.executeQuery()) {
            if (!rs.next() || !rs.getBoolean(1)) {
                throw MigratorException.usage("bench creates databases of its own (copies of the seeded one):"
                        + " the role needs CREATEDB (ALTER ROLE ... CREATEDB), or use a server of its own");
            }
        }
    }
}
