package org.arvados.tasksasjobs.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How a command that changes the schema (migrate, demo, rollback) waits for locks. */
final class LockOptions {

    /**
     * Accepted so that scripts written for earlier versions keep working: Liquibase's lock is now a session lock that
     * dies with a killed run, so there is never a stale one to clear.
     */
    @Option(names = "--release-stale-lock", hidden = true)
    boolean releaseStaleLock;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationText.class,
            description = "Give up (resumably) when a DDL or batch statement waits this long for a table lock, so"
                    + " crunch is never queued behind the migrator: 500ms, 5s, 2min; 0 waits forever"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration lockTimeout;
}
