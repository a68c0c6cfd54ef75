package org.arvados.tasksasjobs.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How a command that changes the schema (migrate, demo, rollback) waits for locks, and clears a stale Liquibase one. */
final class LockOptions {

    @Option(names = "--release-stale-lock",
            description = "Clear a Liquibase changelog lock left by a killed run (only when no migrator is running).")
    boolean releaseStaleLock;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationText.class,
            description = "Give up (resumably) when a DDL or batch statement waits this long for a table lock, so"
                    + " crunch is never queued behind the migrator: 500ms, 5s, 2min; 0 waits forever"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration lockTimeout;
}
