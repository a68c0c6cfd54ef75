package org.arvados.tasksasjobs.gateway.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * Total deadlines for the parts of a request a client sends: its head (request line and headers) and its body.
 * Jetty's own idle timeout counts the gap between two bytes, so a client sending a byte every few seconds would
 * keep a connection for ever; here a sweep closes any connection whose head has taken longer than
 * {@link Limits#headTimeout()} (counted from the accept for a new connection, from the first byte on a kept-alive
 * one) or whose body has taken longer than {@link Limits#bodyTimeout()}. No thread waits on a slow client
 * meanwhile: Jetty reads heads without one, and the gateway reads bodies asynchronously (ApiHandler).
 *
 * <p>What a connection is doing is read from its HTTP/1.1 parser, which Jetty keeps in an internal class: the
 * Jetty version is fixed by the build, and GatewayLimitsTest fails if that parser stops saying it.
 */
final class ReadDeadlines extends AbstractLifeCycle implements Connection.Listener {

    /** What a connection is waiting for from its client. */
    private enum Phase { HEAD, BODY, OTHER }

    /** Mutated by the sweeping thread only; created by the thread that opens the connection. */
    private static final class Watch {
        volatile Phase phase = Phase.HEAD;
        volatile long since;

        Watch(long since) {
            this.since = since;
        }
    }

    private final long headNanos;
    private final long bodyNanos;
    private final Map<HttpConnection, Watch> open = new ConcurrentHashMap<>();
    private ScheduledExecutorService sweeper;

    ReadDeadlines(Limits limits) {
        this.headNanos = limits.headTimeout().toNanos();
        this.bodyNanos = limits.bodyTimeout().toNanos();
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            open.put(http, new Watch(System.nanoTime()));
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof HttpConnection http) {
            open.remove(http);
        }
    }

    @Override
    protected void doStart() {
        // A twentieth of the shorter deadline, so a deadline is kept to within 5 %.
        long period = Math.max(10, Math.min(500, Duration.ofNanos(Math.min(headNanos, bodyNanos)).toMillis() / 20));
        sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tasks-as-jobs-gateway-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        sweeper.shutdownNow();
    }

    private void sweep() {
        long now = System.nanoTime();
        open.forEach((connection, watch) -> {
            Phase phase = phaseOf(connection);
            if (phase != watch.phase) {
                // A new connection's head counts from the accept: the phase it was created in.
                watch.phase = phase;
                watch.since = now;
            } else if (phase == Phase.HEAD && now - watch.since > headNanos
                    || phase == Phase.BODY && now - watch.since > bodyNanos) {
                connection.getEndPoint().close();
            }
        });
    }

    private static Phase phaseOf(HttpConnection connection) {
        HttpParser.State state = connection.getParser().getState();
        if (state == HttpParser.State.START) {
            // Nothing of a request yet: on a new connection that is the head being late; on a connection that
            // has served a request, it is keep-alive, which the connector's idle timeout closes.
            return connection.getMessagesIn() == 0 ? Phase.HEAD : Phase.OTHER;
        }
        if (state.ordinal() < HttpParser.State.CONTENT.ordinal()) {
            return Phase.HEAD;
        }
        if (state.ordinal() < HttpParser.State.END.ordinal()) {
            return Phase.BODY;
        }
        return Phase.OTHER; // being handled or answered: bounded by the statement timeout, not by the client
    }
}
