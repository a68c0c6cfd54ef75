package org.arvados.tasksasjobs.testdb;

import java.util.Properties;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/** A server someone else runs, named by {@value PostgresServer#JDBC_URL_VARIABLE}; databases are created and dropped on it. */
final class ExistingServer extends PostgresServer {

    private final String host;
    private final String port;
    private final String database;
    private final String user;
    private final String password;

    ExistingServer(String url) {
        Properties p = Driver.parseURL(url, null);
        if (p == null) {
            throw new IllegalStateException(JDBC_URL_VARIABLE + " is not a jdbc:postgresql:// URL");
        }
        this.host = PGProperty.PG_HOST.getOrDefault(p);
        this.port = PGProperty.PG_PORT.getOrDefault(p);
        this.database = PGProperty.PG_DBNAME.getOrDefault(p);
        this.user = PGProperty.USER.getOrDefault(p);
        String pw = PGProperty.PASSWORD.getOrDefault(p);
        this.password = pw != null ? pw : System.getenv("PGPASSWORD");
    }

    @Override
    public String jdbcUrl(String db) {
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(host).append(':').append(port).append('/').append(db);
        url.append("?user=").append(user);
        if (password != null) {
            url.append("&password=").append(java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8));
        }
        return url.toString();
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    protected String maintenanceDatabase() {
        return database == null || database.isEmpty() ? "postgres" : database;
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
