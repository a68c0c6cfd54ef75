package org.arvados.tasksasjobs.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT as a request to stop rather than as the JVM's exit: a service manager's SIGTERM must end
 * {@code serve} with status 0 once requests in flight are answered (systemd counts 143 as a failure), which a
 * shutdown hook cannot give, since the JVM has already decided its status when hooks run. Closing gives the
 * signals back to the handlers they had, so a JVM that runs {@code serve} more than once (tests) keeps no stale one.
 */
final class TerminationSignals implements AutoCloseable {

    private final Map<Signal, SignalHandler> previous;

    private TerminationSignals(Map<Signal, SignalHandler> previous) {
        this.previous = previous;
    }

    /** Runs {@code stop} (on a signal-dispatch thread) when either signal arrives, until closed. */
    static TerminationSignals onTermination(Runnable stop) {
        Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal signal = new Signal(name);
                previous.put(signal, Signal.handle(signal, s -> stop.run()));
            } catch (IllegalArgumentException e) {
                // The signal is reserved here (a JVM run with -Xrs): the shutdown hook still stops the gateway.
            }
        }
        return new TerminationSignals(previous);
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
