package org.arvados.tasksasjobs.gateway;

import java.nio.file.Path;
import java.util.Objects;
import org.arvados.tasksasjobs.mapping.InheritPolicy;
import org.arvados.tasksasjobs.mapping.YamlDecoder;

/**
 * Everything a {@link Gateway} is built from, checked once here (a bad value fails with a one-line message
 * naming it) so nothing downstream checks again.
 *
 * @param jdbcUrl the migrated database
 * @param user database user, or null when the URL carries it
 * @param password database password, or null; never printed ({@link #toString()} masks it)
 * @param bindAddress the address to listen on; null means {@value #LOOPBACK}: the gateway speaks plain HTTP, so
 *        it listens beyond the machine only when told to
 * @param port the port; 0 for any free one ({@link Gateway#port()} says which)
 * @param threads request threads, and database connections (one each)
 * @param tokensFile the {@code --tokens} file, or null to use the database's token tables
 * @param inheritPolicy which parent keys tasks inherit; null means {@link InheritPolicy#ALL}
 * @param yaml the decoder for YAML-era rows (the changelogs module's); null means none (YAML rows unreadable)
 */
public record GatewaySettings(String jdbcUrl, String user, String password, String bindAddress, int port,
        int threads, Path tokensFile, InheritPolicy inheritPolicy, YamlDecoder yaml) {

    public static final String LOOPBACK = "127.0.0.1";
    public static final int DEFAULT_THREADS = 16;

    public GatewaySettings {
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            throw new IllegalArgumentException("gateway: no JDBC URL");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("gateway: port " + port + " is not between 0 and 65535");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("gateway: threads must be at least 1, not " + threads);
        }
        bindAddress = bindAddress == null || bindAddress.isBlank() ? LOOPBACK : bindAddress.strip();
        inheritPolicy = Objects.requireNonNullElse(inheritPolicy, InheritPolicy.ALL);
        yaml = Objects.requireNonNullElse(yaml, YamlDecoder.UNSUPPORTED);
    }

    /** Loopback, any free port, {@value #DEFAULT_THREADS} threads, the database's tokens, the default policy. */
    public static GatewaySettings of(String jdbcUrl, String user, String password, YamlDecoder yaml) {
        return new GatewaySettings(jdbcUrl, user, password, null, 0, DEFAULT_THREADS, null, null, yaml);
    }

    public GatewaySettings withBindAddress(String bindAddress) {
        return new GatewaySettings(jdbcUrl, user, password, bindAddress, port, threads, tokensFile, inheritPolicy, yaml);
    }

    public GatewaySettings withPort(int port) {
        return new GatewaySettings(jdbcUrl, user, password, bindAddress, port, threads, tokensFile, inheritPolicy, yaml);
    }

    public GatewaySettings withThreads(int threads) {
        return new GatewaySettings(jdbcUrl, user, password, bindAddress, port, threads, tokensFile, inheritPolicy, yaml);
    }

    public GatewaySettings withTokensFile(Path tokensFile) {
        return new GatewaySettings(jdbcUrl, user, password, bindAddress, port, threads, tokensFile, inheritPolicy, yaml);
    }

    public GatewaySettings withInheritPolicy(InheritPolicy inheritPolicy) {
        return new GatewaySettings(jdbcUrl, user, password, bindAddress, port, threads, tokensFile, inheritPolicy, yaml);
    }

    /** Without the password, and without the URL (a JDBC URL may carry a password as a parameter). */
    @Override
    public String toString() {
        return "GatewaySettings[user=" + user + ", password=" + (password == null ? "none" : "***")
                + ", bindAddress=" + bindAddress + ", port=" + port + ", threads=" + threads
                + ", tokensFile=" + tokensFile + "]";
    }
}
