package org.arvados.tasksasjobs.gateway;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;
import org.arvados.tasksasjobs.gateway.http.Limits;
import org.arvados.tasksasjobs.gateway.http.ServerOptions;
import org.arvados.tasksasjobs.gateway.http.TlsFiles;
import org.arvados.tasksasjobs.gateway.http.Upstream;
import org.arvados.tasksasjobs.mapping.InheritPolicy;
import org.arvados.tasksasjobs.mapping.YamlDecoder;

/**
 * Everything a {@link Gateway} is built from, checked once here and in {@link ServerOptions} (a bad value fails
 * with a one-line message naming it) so nothing downstream checks again.
 *
 * @param jdbcUrl the migrated database
 * @param user database user, or null when the URL carries it
 * @param password database password, or null; never printed ({@link #toString()} masks it)
 * @param server how the HTTP server meets clients: address, port, threads (one database connection each), TLS,
 *        upstream, health token, limits; null means {@link ServerOptions#LOOPBACK_DEFAULTS}
 * @param tokensFile the {@code --tokens} file, or null to use the database's token tables
 * @param inheritPolicy which parent keys tasks inherit; null means {@link InheritPolicy#ALL}
 * @param yaml the decoder for YAML-era rows (the changelogs module's); null means none (YAML rows unreadable)
 * @param uuidPrefix the cluster's uuid prefix for the discovery document, or null to read it from the database
 */
public record GatewaySettings(String jdbcUrl, String user, String password, ServerOptions server, Path tokensFile,
        InheritPolicy inheritPolicy, YamlDecoder yaml, String uuidPrefix) {

    public static final String LOOPBACK = ServerOptions.LOOPBACK;
    public static final int DEFAULT_THREADS = ServerOptions.DEFAULT_THREADS;

    private static final Pattern UUID_PREFIX = Pattern.compile("[a-z0-9]{5}");

    public GatewaySettings {
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            throw new IllegalArgumentException("gateway: no JDBC URL");
        }
        server = Objects.requireNonNullElse(server, ServerOptions.LOOPBACK_DEFAULTS);
        inheritPolicy = Objects.requireNonNullElse(inheritPolicy, InheritPolicy.ALL);
        yaml = Objects.requireNonNullElse(yaml, YamlDecoder.UNSUPPORTED);
        if (uuidPrefix != null && !UUID_PREFIX.matcher(uuidPrefix).matches()) {
            throw new IllegalArgumentException("gateway: a uuid prefix is five lower-case letters or digits, not \""
                    + uuidPrefix + "\"");
        }
    }

    /** Loopback, any free port, {@value #DEFAULT_THREADS} threads, the database's tokens, the default policy. */
    public static GatewaySettings of(String jdbcUrl, String user, String password, YamlDecoder yaml) {
        return new GatewaySettings(jdbcUrl, user, password, null, null, null, yaml, null);
    }

    public GatewaySettings withServer(ServerOptions server) {
        return new GatewaySettings(jdbcUrl, user, password, server, tokensFile, inheritPolicy, yaml, uuidPrefix);
    }

    public GatewaySettings withTokensFile(Path tokensFile) {
        return new GatewaySettings(jdbcUrl, user, password, server, tokensFile, inheritPolicy, yaml, uuidPrefix);
    }

    public GatewaySettings withInheritPolicy(InheritPolicy inheritPolicy) {
        return new GatewaySettings(jdbcUrl, user, password, server, tokensFile, inheritPolicy, yaml, uuidPrefix);
    }

    public GatewaySettings withUuidPrefix(String uuidPrefix) {
        return new GatewaySettings(jdbcUrl, user, password, server, tokensFile, inheritPolicy, yaml, uuidPrefix);
    }

    // Shorthands for the server's options, which tests and the benchmark set one at a time.

    public GatewaySettings withBindAddress(String bindAddress) {
        return withServer(server.withBindAddress(bindAddress));
    }

    public GatewaySettings withPort(int port) {
        return withServer(server.withPort(port));
    }

    public GatewaySettings withThreads(int threads) {
        return withServer(server.withThreads(threads));
    }

    public GatewaySettings withTls(TlsFiles tls) {
        return withServer(server.withTls(tls));
    }

    public GatewaySettings withUpstream(Upstream upstream) {
        return withServer(server.withUpstream(upstream));
    }

    public GatewaySettings withManagementToken(String managementToken) {
        return withServer(server.withManagementToken(managementToken));
    }

    public GatewaySettings withLimits(Limits limits) {
        return withServer(server.withLimits(limits));
    }

    /** Without the password, the URL (a JDBC URL may carry a password too) and the management token. */
    @Override
    public String toString() {
        return "GatewaySettings[user=" + user + ", password=" + (password == null ? "none" : "***")
                + ", bindAddress=" + server.bindAddress() + ", port=" + server.port() + ", threads=" + server.threads()
                + ", tokensFile=" + tokensFile + ", tls=" + (server.tls() != null) + ", upstream=" + server.upstream()
                + ", managementToken=" + (server.managementToken() == null ? "none" : "***") + ", limits="
                + server.limits() + ", uuidPrefix=" + uuidPrefix + "]";
    }
}
