package org.arvados.tasksasjobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Colour and progress bars only on a stream that is a terminal, each stream judged on its own, and no colour with
 * NO_COLOR: the command line run on a pseudo-terminal from script(1), with one stream or the other redirected to a
 * file, as a user's shell would.
 */
@ExtendWith(FreshDatabaseExtension.class)
class TerminalTest {

    private static final String ESC = "\u001b[";

    @BeforeAll
    static void needsScript() {
        assumeTrue(OnTerminal.available(), "script(1) is not installed: no pseudo-terminal");
    }

    @Test
    void colourOnATerminalOnlyAndNeverWithNoColor(@TempDir Path dir) throws Exception {
        String onTerminal = onTerminal(Map.of(), "help migrate");
        assertTrue(onTerminal.contains(ESC), "coloured help on a terminal: " + onTerminal);

        String noColor = onTerminal(Map.of("NO_COLOR", "1"), "help migrate");
        assertTrue(noColor.contains("--defer-indexes"), noColor);
        assertFalse(noColor.contains(ESC), "NO_COLOR: " + noColor);

        Path file = dir.resolve("help.txt");
        onTerminal(Map.of(), "help migrate > '" + file + "'");
        String redirected = Files.readString(file);
        assertTrue(redirected.contains("--defer-indexes"), redirected);
        assertFalse(redirected.contains(ESC), "standard output in a file is no terminal, whatever stderr is");
    }

    @Test
    void aProgressBarOnlyWhereStandardErrorIsATerminal(TestDatabase db, @TempDir Path dir) throws Exception {
        assertEquals(ExitCode.OK, Cli.run("seed", "--url", db.jdbcUrl(), "--jobs", "40", "--tasks-per-job", "5").exitCode());
        Path out = dir.resolve("out.txt");
        String stderrOnTerminal = onTerminal(Map.of(), "savings --url '" + db.jdbcUrl() + "' > '" + out + "'");
        // The bar redraws itself at most every 200 ms, and a small replay may end first; either way a terminal bar
        // ends by clearing its line with "\r", spaces, "\r", which nothing else writes (a file never gets it).
        assertTrue(java.util.regex.Pattern.compile("\r {20,}\r").matcher(stderrOnTerminal).find(),
                "a bar on the terminal: " + stderrOnTerminal);
        assertTrue(Files.readString(out).contains("task-hours"), "the report went to the file");

        Path err = dir.resolve("err.txt");
        String stdoutOnTerminal = onTerminal(Map.of(), "savings --url '" + db.jdbcUrl() + "' 2> '" + err + "'");
        assertTrue(stdoutOnTerminal.contains("task-hours"), stdoutOnTerminal);
        assertFalse(Files.readString(err).contains("\r"), "no bar in a file: " + Files.readString(err));
    }

    private static String onTerminal(Map<String, String> env, String arguments) throws Exception {
        Cli.Run run = OnTerminal.run(env, arguments);
        assertEquals(0, run.exitCode(), run.out());
        return run.out();
    }
}
