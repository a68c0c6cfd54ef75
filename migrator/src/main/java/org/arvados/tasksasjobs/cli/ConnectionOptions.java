package org.arvados.tasksasjobs.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.postgresql.Driver;
import org.postgresql.PGProperty;
import picocli.CommandLine.Option;

/**
 * Where a command's database is: {@code --url}, or {@code --embedded[=DIR]}, or else libpq's PGHOST, PGPORT,
 * PGDATABASE and PGUSER. The password comes from the URL, PGPASSWORD, or the driver's own reading of PGPASSFILE or
 * {@code ~/.pgpass} (pgjdbc does that when no password is given); it is never printed. A picocli mixin: every
 * command that touches a database declares {@code @Mixin ConnectionOptions connection} and calls {@link #open}.
 */
public final class ConnectionOptions {

    private static final Pattern PASSWORD = Pattern.compile("(?i)((?:ssl)?password=)[^&]*");
    /** {@code //user:password@host}: pgjdbc does not read it (it would take it for a host name), so it is refused. */
    private static final Pattern SERVICE = Pattern.compile("[?&]service=([^&]*)");
    private static final Pattern USER_INFO = Pattern.compile("//([^/?#@]*)@");

    @Option(names = "--url", paramLabel = "JDBC_URL",
            description = "jdbc:postgresql://host[:port]/database[?...], or libpq's postgres://[user@]host[:port]/database"
                    + "[?...] (default: from PGHOST, PGPORT, PGDATABASE, PGUSER)")
    private String url;

    @Option(names = "--user", paramLabel = "USER", description = "database user (default: PGUSER, else the OS user)")
    private String user;

    @Option(names = "--embedded", arity = "0..1", paramLabel = "DIR", fallbackValue = "",
            description = "run against an embedded PostgreSQL started by this tool; its data are kept in DIR if given"
                    + " (reused when DIR already holds one), else in a temporary directory removed at exit")
    private String embedded;

    private static final int DEFAULT_CONNECT_TIMEOUT = 10;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "give up connecting after this long (default: ${DEFAULT-VALUE}, or PGCONNECT_TIMEOUT)")
    private int connectTimeout = DEFAULT_CONNECT_TIMEOUT;

    /** Whether --url or --embedded was given: commands whose default is their own embedded server ask this. */
    public boolean given() {
        return url != null || embedded != null;
    }

    /** Whether --embedded was given. */
    public boolean embeddedRequested() {
        return embedded != null;
    }

    /**
     * Validates the settings and returns the target; starts the embedded server when asked for one.
     *
     * @param applicationName what pg_stat_activity shows for this tool's connections, e.g. "tasks-as-jobs migrate"
     * @throws MigratorException USAGE for a bad setting, FAILURE when the embedded server does not start
     */
    public DatabaseTarget open(String applicationName) {
        return open(applicationName, System.getenv(), System.getProperty("user.name"));
    }

    /** {@link #open(String)} with the environment and OS user given, for tests. */
    DatabaseTarget open(String applicationName, Map<String, String> env, String osUser) {
        if (connectTimeout < 0 || connectTimeout > 3600) {
            throw MigratorException.usage("--connect-timeout must be between 0 (no limit) and 3600 seconds, not " + connectTimeout);
        }
        if (embedded != null) {
            return openEmbedded(applicationName);
        }
        String jdbcUrl = url == null ? urlFromEnvironment(env, osUser)
                : LibpqUri.isLibpqUri(url) ? LibpqUri.toJdbc(url) : url;
        String redacted = redact(jdbcUrl);
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw MigratorException.usage("--url must be a jdbc:postgresql://host[:port]/database URL, not '" + redacted + "'");
        }
        if (USER_INFO.matcher(jdbcUrl).find()) {
            throw MigratorException.usage("--url must not name a user or password before the host ('" + redacted + "'):"
                    + " pass --user, and the password in PGPASSWORD or ~/.pgpass");
        }
        Properties properties = new Properties();
        // Parameters in the URL (and a pg_service.conf service it names) win over these (pgjdbc's rule).
        String name = firstNonBlank(user, env.get("PGUSER"), osUser);
        Properties fromUrl = Driver.parseURL(jdbcUrl, new Properties());
        java.util.regex.Matcher service = SERVICE.matcher(jdbcUrl);
        if (fromUrl == null && service.find()) {
            throw MigratorException.usage("no service '" + java.net.URLDecoder.decode(service.group(1), StandardCharsets.UTF_8)
                    + "' in PGSERVICEFILE, ~/.pg_service.conf or PGSYSCONFDIR/pg_service.conf");
        }
        if (fromUrl == null) {
            throw MigratorException.usage("--url must be a jdbc:postgresql://host[:port]/database URL, not '" + redacted + "'");
        }
        boolean serviceNamesUser = fromUrl.getProperty(PGProperty.USER.getName()) != null;
        if (user != null || (name != null && !serviceNamesUser)) {
            properties.setProperty(PGProperty.USER.getName(), user != null ? user : name);
        }
        String password = env.get("PGPASSWORD");
        if (password != null && !password.isEmpty()) {
            properties.setProperty(PGProperty.PASSWORD.getName(), password);
        }
        properties.setProperty(PGProperty.APPLICATION_NAME.getName(), firstNonBlank(env.get("PGAPPNAME"), applicationName));
        int timeout = connectTimeout(env);
        properties.setProperty(PGProperty.CONNECT_TIMEOUT.getName(), Integer.toString(timeout));
        // The connect timeout covers the TCP connect only; this covers a server that accepts and then says nothing.
        properties.setProperty(PGProperty.LOGIN_TIMEOUT.getName(), Integer.toString(timeout));
        LibpqEnvironment.apply(env, properties);
        Properties parsed = Driver.parseURL(jdbcUrl, properties);
        String socketDirectory = LibpqEnvironment.socketDirectory(jdbcUrl, env, url == null);
        if (socketDirectory != null) {
            LibpqEnvironment.useSocket(properties, socketDirectory, PGProperty.PG_PORT.getOrDefault(parsed));
        }
        String host = socketDirectory != null ? socketDirectory : PGProperty.PG_HOST.getOrDefault(parsed);
        String port = PGProperty.PG_PORT.getOrDefault(parsed);
        String database = PGProperty.PG_DBNAME.getOrDefault(parsed);
        String effectiveUser = PGProperty.USER.getOrDefault(parsed);
        return new DatabaseTarget(jdbcUrl, properties, host + ":" + port + "/" + database, redacted, effectiveUser, database, null,
                PasswordPrompt.ofConsole());
    }

    /** --connect-timeout, or PGCONNECT_TIMEOUT when --connect-timeout was left at its default. */
    private int connectTimeout(Map<String, String> env) {
        String fromEnv = env.get("PGCONNECT_TIMEOUT");
        if (connectTimeout != DEFAULT_CONNECT_TIMEOUT || fromEnv == null || fromEnv.isBlank()) {
            return connectTimeout;
        }
        if (!fromEnv.strip().matches("[0-9]{1,4}") || Integer.parseInt(fromEnv.strip()) > 3600) {
            throw MigratorException.usage("PGCONNECT_TIMEOUT must be a number of seconds up to 3600, not '" + fromEnv + "'");
        }
        return Integer.parseInt(fromEnv.strip());
    }

    /** The URL this command connects to, password replaced by {@code ***}; "embedded" for --embedded. */
    public String redactedUrl() {
        if (embedded != null) {
            return "embedded";
        }
        return url != null ? redact(url) : redact(urlFromEnvironment(System.getenv(), System.getProperty("user.name")));
    }

    static String redact(String jdbcUrl) {
        String withoutUserInfo = USER_INFO.matcher(jdbcUrl).replaceAll("//***@");
        return PASSWORD.matcher(withoutUserInfo).replaceAll("$1***");
    }

    private DatabaseTarget openEmbedded(String applicationName) {
        // Checked here rather than by a picocli argument group: picocli's message for a group echoes every value
        // given, and --url may carry a password, which must never be printed.
        if (url != null) {
            throw MigratorException.usage("--url and --embedded exclude each other: choose one");
        }
        if (user != null) {
            throw MigratorException.usage("--user does not apply to --embedded (its user is postgres)");
        }
        Path dir;
        try {
            dir = embedded.isEmpty() ? null : Path.of(embedded);
        } catch (InvalidPathException e) {
            throw MigratorException.usage("--embedded: not a directory path: " + embedded);
        }
        return DatabaseTarget.embedded(EmbeddedDatabase.start(dir), applicationName, connectTimeout);
    }

    /** libpq's defaults: PGHOST or localhost, PGPORT or 5432, PGDATABASE or the user's name. */
    private String urlFromEnvironment(Map<String, String> env, String osUser) {
        String service = env.get("PGSERVICE");
        if (service != null && !service.isBlank()) {
            // pgjdbc reads the service from PGSERVICEFILE, ~/.pg_service.conf or PGSYSCONFDIR/pg_service.conf, as libpq does.
            return "jdbc:postgresql://?service=" + URLEncoder.encode(service.strip(), StandardCharsets.UTF_8);
        }
        String host = firstNonBlank(env.get("PGHOST"), "localhost");
        if (host.startsWith("/")) {
            host = "localhost"; // a Unix socket directory: the socket factory connects there (LibpqEnvironment)
        }
        if (host.contains(",")) {
            throw MigratorException.usage("PGHOST lists several hosts; pass --url jdbc:postgresql://host1:port1,host2:port2/database");
        }
        String port = firstNonBlank(env.get("PGPORT"), "5432");
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw MigratorException.usage("PGPORT must be a port number, not '" + port + "'");
        }
        String name = firstNonBlank(user, env.get("PGUSER"), osUser);
        String database = firstNonBlank(env.get("PGDATABASE"), name);
        if (database == null) {
            throw MigratorException.usage("no database named: pass --url or set PGDATABASE");
        }
        String hostPart = host.contains(":") ? "[" + host + "]" : host; // an IPv6 literal
        return "jdbc:postgresql://" + hostPart + ":" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
