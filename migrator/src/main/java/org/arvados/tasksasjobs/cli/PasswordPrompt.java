package org.arvados.tasksasjobs.cli;

import java.io.Console;

/**
 * Asks for the password the server demands when none was found (URL, PGPASSWORD, ~/.pgpass), as psql does: only with
 * a terminal on standard input, never echoing what is typed. Without one a command fails with a message naming
 * PGPASSWORD and ~/.pgpass instead (ErrorHandler).
 */
@FunctionalInterface
interface PasswordPrompt {

    /** The password typed, or null when nothing could be asked. */
    char[] ask(String user, String server);

    /** The console's no-echo prompt when standard input is a terminal, else null (no prompt). */
    static PasswordPrompt ofConsole() {
        Console console = System.console();
        if (console == null || !Terminal.isatty(0)) {
            return null;
        }
        return (user, server) -> console.readPassword("Password for user %s on %s: ", user, server);
    }
}
