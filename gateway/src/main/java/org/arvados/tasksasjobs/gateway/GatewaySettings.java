package org.arvados.tasksasjobs.gateway;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;
import org.arvados.tasksasjobs.gateway.http.ServerOptions;
import org.arvados.tasksasjobs.gateway.http.TlsFiles;
import org.arvados.tasksasjobs.gateway.http.Upstream;
import org.arvados.tasksasjobs.mapping.InheritPolicy;
import org.arvados.tasksasjobs.mapping.YamlDecoder;

/**
 * Everything a {@link Gateway} is built from, checked once here (a bad value fails with a one-line message
 * naming it) so nothing downstream checks again.
 *
 * @param jdbcUrl the migrated database
 * @param user database user, or null when the URL carries it
 * @param password database password, or null; never printed ({@link #toString()} masks it)
 * @param bindAddress the address to listen on; null means {@value #LOOPBACK}. Plain HTTP is served on loopback
 *        only ({@link ServerOptions}); any other address needs {@code tls}
 * @param port the port; 0 for any free one ({@link Gateway#port()} says which)
 * @param threads request threads, and database connections (one each)
 * @param tokensFile the {@code --tokens} file, or null to use the database's token tables
 * @param inheritPolicy which parent keys tasks inherit; null means {@link InheritPolicy#ALL}
 * @param yaml the decoder for YAML-era rows (the changelogs module's); null means none (YAML rows unreadable)
 * @param tls the certificate chain and key to serve https with, or null for plain HTTP
 * @param upstream the API server other paths are forwarded to, or null (they answer 404)
 * @param managementToken the token {@code /_health/ping} asks for, or null (health check off)
 * @param uuidPrefix the cluster's uuid prefix for the discovery document, or null to read it from the database
 */
public record GatewaySettings(String jdbcUrl, String user, String password, String bindAddress, int port,
        int threads, Path tokensFile, InheritPolicy inheritPolicy, YamlDecoder yaml, TlsFiles tls, Upstream upstream,
        String managementToken, String uuidPrefix) {

    public static final String LOOPBACK = "127.0.0.1";
    public static final int DEFAULT_THREADS = 16;

    private static final Pattern UUID_PREFIX = Pattern.compile("[a-z0-9]{5}");

    public GatewaySettings {
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            throw new IllegalArgumentException("gateway: no JDBC URL");
        }
        bindAddress = bindAddress == null || bindAddress.isBlank() ? LOOPBACK : bindAddress.strip();
        inheritPolicy = Objects.requireNonNullElse(inheritPolicy, InheritPolicy.ALL);
        yaml = Objects.requireNonNullElse(yaml, YamlDecoder.UNSUPPORTED);
        if (uuidPrefix != null && !UUID_PREFIX.matcher(uuidPrefix).matches()) {
            throw new IllegalArgumentException("gateway: a uuid prefix is five lower-case letters or digits, not \""
                    + uuidPrefix + "\"");
        }
        new ServerOptions(bindAddress, port, threads, tls, upstream, managementToken); // checks them
    }

    /** Loopback, any free port, {@value #DEFAULT_THREADS} threads, the database's tokens, the default policy. */
    public static GatewaySettings of(String jdbcUrl, String user, String password, YamlDecoder yaml) {
        return new GatewaySettings(jdbcUrl, user, password, null, 0, DEFAULT_THREADS, null, null, yaml, null, null,
                null, null);
    }

    /** How the server meets clients: address, port, threads, TLS, upstream, health token. */
    public ServerOptions serverOptions() {
        return new ServerOptions(bindAddress, port, threads, tls, upstream, managementToken);
    }

    public GatewaySettings withBindAddress(String bindAddress) {
        return new GatewaySettings(jdbcUrl, user, password, bindAddress, port, threads, tokensFile, inheritPolicy, yaml,
                tls, upstream, managementToken, uuidPrefix);
    }

    public GatewaySettings withPort(int port) {
        return new GatewaySettings(jdbcUrl, user, password, bindAddress, port, threads, tokensFile, inheritPolicy, yaml,
                tls, upstream, managementToken, uuidPrefix);
    }

    public GatewaySettings withThreads(int threads) {
        return new GatewaySettings(jdbcUrl, user, password, bindAddress, port, threads, tokensFile, inheritPolicy, yaml,
                tls, upstream, managementToken, uuidPrefix);
    }

    public GatewaySettings withTokensFile(Path tokensFile) {
        return new GatewaySettings(jdbcUrl, user, password, bindAddress, port, threads, tokensFile, inheritPolicy, yaml,
                tls, upstream, managementToken, uuidPrefix);
    }

    public GatewaySettings withInheritPolicy(InheritPolicy inheritPolicy) {
        return new GatewaySettings(jdbcUrl, user, password, bindAddress, port, threads, tokensFile, inheritPolicy, yaml,
                tls, upstream, managementToken, uuidPrefix);
    }

    public GatewaySettings withTls(TlsFiles tls) {
        return new GatewaySettings(jdbcUrl, user, password, bindAddress, port, threads, tokensFile, inheritPolicy, yaml,
                tls, upstream, managementToken, uuidPrefix);
    }

    public GatewaySettings withUpstream(Upstream upstream) {
        return new GatewaySettings(jdbcUrl, user, password, bindAddress, port, threads, tokensFile, inheritPolicy, yaml,
                tls, upstream, managementToken, uuidPrefix);
    }

    public GatewaySettings withManagementToken(String managementToken) {
        return new GatewaySettings(jdbcUrl, user, password, bindAddress, port, threads, tokensFile, inheritPolicy, yaml,
                tls, upstream, managementToken, uuidPrefix);
    }

    public GatewaySettings withUuidPrefix(String uuidPrefix) {
        return new GatewaySettings(jdbcUrl, user, password, bindAddress, port, threads, tokensFile, inheritPolicy, yaml,
                tls, upstream, managementToken, uuidPrefix);
    }

    /** Without the password, the URL (a JDBC URL may carry a password too) and the management token. */
    @Override
    public String toString() {
        return "GatewaySettings[user=" + user + ", password=" + (password == null ? "none" : "***")
                + ", bindAddress=" + bindAddress + ", port=" + port + ", threads=" + threads
                + ", tokensFile=" + tokensFile + ", tls=" + (tls != null) + ", upstream=" + upstream
                + ", managementToken=" + (managementToken == null ? "none" : "***") + ", uuidPrefix=" + uuidPrefix
                + "]";
    }
}
