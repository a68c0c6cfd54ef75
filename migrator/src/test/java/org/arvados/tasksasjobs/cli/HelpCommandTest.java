package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code help}, as git and psql users type it: every command listed, and one command's usage. */
class HelpCommandTest {

    @Test
    void listsEveryCommandAndShowsOnesUsage() {
        Cli.Run all = run("help");
        assertEquals(ExitCode.OK, all.exitCode(), all.err());
        for (String command : new String[] {"demo", "migrate", "verify", "savings", "serve", "help"}) {
            assertTrue(all.out().contains("  " + command + " "), command + " missing:\n" + all.out());
        }
        Cli.Run one = run("help", "savings");
        assertEquals(ExitCode.OK, one.exitCode(), one.err());
        assertTrue(one.out().startsWith("Usage: tasks-as-jobs savings"), one.out());
    }
}
