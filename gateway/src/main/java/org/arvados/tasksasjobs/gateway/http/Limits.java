package org.arvados.tasksasjobs.gateway.http;

import java.time.Duration;

/**
 * How much a client may take of the gateway: the deadlines of a request's parts, the connections open at once and
 * the size of a body the gateway parses. The defaults are nginx's and the Arvados API server's habits, tightened
 * for a service whose every legitimate request is small (docs/operations.md, "Slow and hostile clients").
 *
 * @param headTimeout the whole request line and headers must arrive within this (a total, not a gap between bytes);
 *        for a new connection it counts from the accept
 * @param bodyTimeout the whole body must arrive within this once the headers did
 * @param idleTimeout a keep-alive connection with no request for this long is closed
 * @param maxConnections connections open at once; past it a new one is closed as soon as it is accepted
 * @param maxBodyBytes the largest body the gateway parses (413 above it); forwarded bodies are streamed, not capped
 */
public record Limits(Duration headTimeout, Duration bodyTimeout, Duration idleTimeout, int maxConnections,
        long maxBodyBytes) {

    public static final Limits DEFAULTS = new Limits(Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60), 1000, 16L * 1024 * 1024);

    public Limits {
        positive("head timeout", headTimeout);
        positive("body timeout", bodyTimeout);
        positive("idle timeout", idleTimeout);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("gateway: the connection cap must be at least 1, not " + maxConnections);
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("gateway: the body cap must be at least 1024 bytes, not " + maxBodyBytes);
        }
    }

    public Limits withHeadTimeout(Duration headTimeout) {
        return new Limits(headTimeout, bodyTimeout, idleTimeout, maxConnections, maxBodyBytes);
    }

    public Limits withBodyTimeout(Duration bodyTimeout) {
        return new Limits(headTimeout, bodyTimeout, idleTimeout, maxConnections, maxBodyBytes);
    }

    public Limits withIdleTimeout(Duration idleTimeout) {
        return new Limits(headTimeout, bodyTimeout, idleTimeout, maxConnections, maxBodyBytes);
    }

    public Limits withMaxConnections(int maxConnections) {
        return new Limits(headTimeout, bodyTimeout, idleTimeout, maxConnections, maxBodyBytes);
    }

    public Limits withMaxBodyBytes(long maxBodyBytes) {
        return new Limits(headTimeout, bodyTimeout, idleTimeout, maxConnections, maxBodyBytes);
    }

    private static void positive(String what, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("gateway: the " + what + " must be positive, not " + value);
        }
    }
}
