package org.arvados.tasksasjobs.cli;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as a request to stop rather than as the JVM's exit: a service manager's SIGTERM must end
 * {@code serve} with status 0 once requests in flight are answered (systemd counts 143 as a failure), which a
 * shutdown hook cannot give, since the JVM has already decided its status when hooks run.
 */
final class TerminationSignals {

    private TerminationSignals() {
    }

    /** Runs {@code stop} (on a signal-dispatch thread) when either signal arrives. */
    static void onTermination(Runnable stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> stop.run());
            } catch (IllegalArgumentException e) {
                // The signal is reserved here (a JVM run with -Xrs): the shutdown hook still stops the gateway.
            }
        }
    }
}
