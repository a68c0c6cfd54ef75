package org.arvados.tasksasjobs.cli;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * libpq's connection URIs ({@code postgres://} and {@code postgresql://}, as psql takes them) as the pgjdbc URL the
 * tool connects with: {@code postgres://user@host:port/db?sslmode=require} becomes
 * {@code jdbc:postgresql://host:port/db?sslmode=require&user=user}. libpq's parameter names that pgjdbc spells
 * differently are renamed. A password in the user part is refused, as everywhere else on the command line.
 */
final class LibpqUri {

    private static final Pattern URI = Pattern.compile("(?i)postgres(?:ql)?://(?:([^@/?#]*)@)?([^/?#]*)(/[^?#]*)?(\\?[^#]*)?");

    private LibpqUri() {
    }

    static boolean isLibpqUri(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("postgres://") || lower.startsWith("postgresql://");
    }

    /** The pgjdbc URL; {@link MigratorException} USAGE for a URI that is not one, or that carries a password. */
    static String toJdbc(String uri) {
        Matcher m = URI.matcher(uri);
        if (!m.matches()) {
            throw MigratorException.usage("--url: not a postgres://[user@]host[:port]/database URI");
        }
        String userInfo = m.group(1);
        if (userInfo != null && userInfo.contains(":")) {
            throw MigratorException.usage("--url must not carry a password: pass it in PGPASSWORD or ~/.pgpass");
        }
        String query = m.group(4) == null ? "" : m.group(4).substring(1);
        // A Unix-socket directory: percent-encoded in the host part (postgresql://%2Fvar%2Frun%2Fpostgresql/db), or
        // host=/dir among the parameters (postgresql:///db?host=/var/run/postgresql), as libpq takes either.
        String hostPart = URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
        String socketDirectory = null;
        String port = "5432";
        for (String pair : query.split("&")) {
            if (pair.startsWith("host=/")) {
                socketDirectory = URLDecoder.decode(pair.substring("host=".length()), StandardCharsets.UTF_8);
            } else if (pair.startsWith("port=")) {
                port = pair.substring("port=".length());
            }
        }
        if (hostPart.startsWith("/")) {
            int colon = hostPart.lastIndexOf(':');
            socketDirectory = colon > 0 ? hostPart.substring(0, colon) : hostPart;
            port = colon > 0 ? hostPart.substring(colon + 1) : port;
        }
        String host = socketDirectory != null ? "localhost:" + port : m.group(2).isEmpty() ? "localhost" : m.group(2);
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(host)
                .append(m.group(3) == null ? "/" : m.group(3));
        StringBuilder parameters = new StringBuilder();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty()) {
                append(parameters, renamed(pair));
            }
        }
        if (socketDirectory != null) {
            append(parameters, "socketFactory=" + LibpqEnvironment.SOCKET_FACTORY);
            append(parameters, "socketFactoryArg=" + LibpqEnvironment.socketFile(socketDirectory, port));
            if (!query.contains("sslmode=")) {
                append(parameters, "sslmode=disable");
            }
        }
        if (userInfo != null && !userInfo.isEmpty()) {
            append(parameters, "user=" + URLDecoder.decode(userInfo, StandardCharsets.UTF_8));
        }
        return parameters.isEmpty() ? jdbc.toString() : jdbc.append('?').append(parameters).toString();
    }

    /** libpq names pgjdbc spells otherwise (docs/operations.md "Connection"). */
    private static String renamed(String pair) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq);
        return switch (name) {
            case "connect_timeout" -> "connectTimeout" + value;
            case "application_name" -> "ApplicationName" + value;
            case "dbname", "host", "port" -> ""; // the URI's own parts say these
            default -> pair;
        };
    }

    private static void append(StringBuilder parameters, String pair) {
        if (pair.isEmpty()) {
            return;
        }
        if (!parameters.isEmpty()) {
            parameters.append('&');
        }
        parameters.append(pair);
    }
}
