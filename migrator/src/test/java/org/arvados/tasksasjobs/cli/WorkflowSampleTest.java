package org.arvados.tasksasjobs.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The CI workflows (this project's and the operators' sample) stay runnable: they are YAML GitHub reads, and every
 * {@code tasks-as-jobs} command line in their steps parses against the command line as built, so a renamed option
 * fails here rather than in someone's pipeline.
 */
class WorkflowSampleTest {

    private static final List<Path> WORKFLOWS = List.of(Path.of("../.github/workflows/verify-migration.yml"),
            Path.of("../docs/verify-migration.github-workflow.yml"));

    @Test
    void everyCommandInTheWorkflowsParses() throws Exception {
        for (Path workflow : WORKFLOWS) {
            Map<String, Object> yaml = new Yaml().load(Files.readString(workflow));
            List<String> commands = new ArrayList<>();
            collect(yaml, commands);
            assertTrue(commands.stream().anyMatch(c -> c.startsWith("tasks-as-jobs verify --baseline")), workflow + ": " + commands);
            assertTrue(commands.stream().anyMatch(c -> c.contains("--junit")), workflow + " publishes JUnit XML");
            for (String command : commands) {
                List<String> words = new ArrayList<>(List.of(command.strip().split("\\s+")));
                words.remove(0);
                assertDoesNotThrow(() -> TasksAsJobs.commandLine(System.out, System.err).parseArgs(words.toArray(String[]::new)),
                        workflow + ": " + command);
            }
        }
    }

    /** Every line of every run: step that calls the command. */
    @SuppressWarnings("unchecked")
    private static void collect(Object node, List<String> commands) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if ("run".equals(e.getKey()) && e.getValue() instanceof String script) {
                    script.lines().map(String::strip).filter(l -> l.startsWith("tasks-as-jobs ")).forEach(commands::add);
                } else {
                    collect(e.getValue(), commands);
                }
            }
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collect(item, commands));
        }
    }
}
