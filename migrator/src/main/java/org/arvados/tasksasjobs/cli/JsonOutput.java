package org.arvados.tasksasjobs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The one JSON grammar of every command (a picocli mixin): {@code --json} prints the command's result as JSON on
 * standard output instead of its text (the text, where there is any worth keeping, goes to standard error), and
 * {@code --json-file=FILE} also writes that JSON to FILE while the text stays where it was. Both may be given.
 */
public final class JsonOutput {

    @Option(names = "--json", description = "print the result as JSON on standard output instead of text")
    boolean stdout;

    @Option(names = "--json-file", paramLabel = "FILE", description = "also write the result as JSON to FILE")
    Path file;

    /** Whether standard output takes JSON: the caller prints its text elsewhere, or not at all. */
    public boolean onStdout() {
        return stdout;
    }

    /** Whether JSON is wanted anywhere: a command that builds its JSON at a cost builds it only then. */
    public boolean wanted() {
        return stdout || file != null;
    }

    /** Where the human text goes: standard error when standard output takes the JSON. */
    public PrintWriter textStream(PrintWriter out, PrintWriter err) {
        return stdout ? err : out;
    }

    /** Prints {@code json} on {@code out} with --json and writes it to the --json-file. */
    public void write(String json, PrintWriter out) throws IOException {
        if (stdout) {
            out.println(json);
            out.flush();
        }
        if (file != null) {
            Files.writeString(file, json.endsWith("\n") ? json : json + "\n", StandardCharsets.UTF_8);
        }
    }
}
