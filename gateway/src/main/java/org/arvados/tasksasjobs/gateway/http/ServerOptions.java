package org.arvados.tasksasjobs.gateway.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * How the gateway meets its clients: where it listens, with how many request threads, over TLS or plain HTTP,
 * whether it forwards what it does not own, and the token of its health check. Checked here, once.
 *
 * @param bindAddress the address to listen on
 * @param port the port; 0 for any free one
 * @param threads request threads (also the database connections)
 * @param tls the certificate and key to serve https with, or null for plain HTTP, which is refused on anything
 *        but a loopback address: tokens must not cross a network in clear
 * @param upstream the real API server to forward other paths to, or null (they answer 404)
 * @param managementToken the token {@code /_health/ping} asks for, or null (the check answers 404)
 * @param limits deadlines, the connection cap and the body cap; null means {@link Limits#DEFAULTS}
 */
public record ServerOptions(String bindAddress, int port, int threads, TlsFiles tls, Upstream upstream,
        String managementToken, Limits limits) {

    public static final String LOOPBACK = "127.0.0.1";
    public static final int DEFAULT_THREADS = 16;

    /** Loopback, any free port, {@value #DEFAULT_THREADS} threads, plain HTTP, no upstream, the default limits. */
    public static final ServerOptions LOOPBACK_DEFAULTS = new ServerOptions(LOOPBACK, 0, DEFAULT_THREADS, null, null,
            null, Limits.DEFAULTS);

    public ServerOptions(String bindAddress, int port, int threads, TlsFiles tls, Upstream upstream,
            String managementToken) {
        this(bindAddress, port, threads, tls, upstream, managementToken, Limits.DEFAULTS);
    }

    public ServerOptions {
        bindAddress = bindAddress == null || bindAddress.isBlank() ? LOOPBACK : bindAddress.strip();
        limits = Objects.requireNonNullElse(limits, Limits.DEFAULTS);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("gateway: port " + port + " is not between 0 and 65535");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("gateway: threads must be at least 1, not " + threads);
        }
        if (managementToken != null && managementToken.isBlank()) {
            managementToken = null;
        }
        if (tls == null && !isLoopback(bindAddress)) {
            throw new IllegalArgumentException("gateway: plain HTTP is served on loopback only, so tokens never cross"
                    + " a network in clear; give --tls-cert and --tls-key to listen on " + bindAddress);
        }
    }

    public ServerOptions withBindAddress(String bindAddress) {
        return new ServerOptions(bindAddress, port, threads, tls, upstream, managementToken, limits);
    }

    public ServerOptions withPort(int port) {
        return new ServerOptions(bindAddress, port, threads, tls, upstream, managementToken, limits);
    }

    public ServerOptions withThreads(int threads) {
        return new ServerOptions(bindAddress, port, threads, tls, upstream, managementToken, limits);
    }

    public ServerOptions withTls(TlsFiles tls) {
        return new ServerOptions(bindAddress, port, threads, tls, upstream, managementToken, limits);
    }

    public ServerOptions withUpstream(Upstream upstream) {
        return new ServerOptions(bindAddress, port, threads, tls, upstream, managementToken, limits);
    }

    public ServerOptions withManagementToken(String managementToken) {
        return new ServerOptions(bindAddress, port, threads, tls, upstream, managementToken, limits);
    }

    public ServerOptions withLimits(Limits limits) {
        return new ServerOptions(bindAddress, port, threads, tls, upstream, managementToken, limits);
    }

    boolean secure() {
        return tls != null;
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("gateway: cannot resolve the address to listen on: " + address);
        }
    }
}
