package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One grammar in every command that reports: {@code --json} puts JSON (and nothing else) on standard output;
 * {@code --json-file=FILE} writes the same JSON to FILE and leaves the text on standard output. Checked on a real
 * database for each such command, and on picocli's model for every command.
 */
@ExtendWith(FreshDatabaseExtension.class)
class JsonGrammarTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonOnStdoutOrInAFileTheSameWayEverywhere(TestDatabase db, @TempDir Path dir) throws Exception {
        String url = db.jdbcUrl();
        assertEquals(ExitCode.OK, run("seed", "--url", url, "--jobs", "20", "--tasks-per-job", "4").exitCode());
        Path baseline = dir.resolve("baseline.jsonl");
        assertEquals(ExitCode.OK, run("verify", "--url", url, "--record-baseline", baseline.toString()).exitCode());

        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of("plan", "--url", url));
        commands.add(List.of("migrate", "--url", url));
        commands.add(List.of("status", "--url", url));
        commands.add(List.of("verify", "--url", url, "--baseline", baseline.toString()));
        commands.add(List.of("savings", "--url", url));
        int n = 0;
        for (List<String> command : commands) {
            List<String> onStdout = new ArrayList<>(command);
            onStdout.add("--json");
            Cli.Run json = run(onStdout.toArray(String[]::new));
            assertEquals(ExitCode.OK, json.exitCode(), command + ": " + json.err());
            JsonNode printed = JSON.readTree(json.out());
            assertTrue(printed.isObject(), command + " --json prints one JSON object: " + json.out());

            Path file = dir.resolve("report-" + n++ + ".json");
            List<String> toFile = new ArrayList<>(command);
            toFile.add("--json-file=" + file);
            Cli.Run text = run(toFile.toArray(String[]::new));
            assertEquals(ExitCode.OK, text.exitCode(), command + ": " + text.err());
            assertTrue(JSON.readTree(Files.readString(file)).isObject(), command + " --json-file writes JSON");
            assertFalse(text.out().isBlank() || text.out().strip().startsWith("{"), command + " keeps its text: " + text.out());
        }
    }

    @Test
    void noCommandTakesJsonWithAFileArgument() {
        picocli.CommandLine cli = TasksAsJobs.commandLine(System.out, System.err);
        for (picocli.CommandLine sub : cli.getSubcommands().values()) {
            picocli.CommandLine.Model.OptionSpec json = sub.getCommandSpec().findOption("--json");
            if (json != null) {
                assertEquals(0, json.arity().max(), sub.getCommandName() + " --json takes no value (--json-file does)");
                assertTrue(sub.getCommandSpec().findOption("--json-file") != null, sub.getCommandName() + " has --json-file too");
            }
        }
    }
}
