package org.arvados.tasksasjobs.gateway.http;

import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.SocketChannelEndPoint;

/**
 * At most {@link Limits#maxConnections()} client connections at once; one past the cap is closed as soon as it is
 * accepted. Jetty's own ConnectionLimit stops accepting instead, which leaves the newcomers queued in the kernel
 * where a client cannot tell a full gateway from a slow one, and a flood of idle sockets starves the real clients
 * queued behind it.
 */
final class ConnectionCap implements Connection.Listener {

    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionCap(int max) {
        this.max = max;
    }

    @Override
    public void onOpened(Connection connection) {
        if (isNetwork(connection) && open.incrementAndGet() > max) {
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (isNetwork(connection)) {
            open.decrementAndGet();
        }
    }

    /** Connections open now, those past the cap included until they are closed. */
    int open() {
        return open.get();
    }

    /** The first connection on a socket (TLS or HTTP), not the HTTP one a TLS connection carries. */
    private static boolean isNetwork(Connection connection) {
        return connection.getEndPoint() instanceof SocketChannelEndPoint;
    }
}
