package org.arvados.tasksasjobs.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Callable;
import org.arvados.tasksasjobs.mapping.InheritPolicy;
import org.arvados.tasksasjobs.reuse.Probe;
import org.arvados.tasksasjobs.reuse.ProbeFormatException;
import org.arvados.tasksasjobs.reuse.ProbeReader;
import org.arvados.tasksasjobs.reuse.ReuseEngine;
import org.arvados.tasksasjobs.reuse.ReuseOutcome;
import org.arvados.tasksasjobs.reuse.TieBreak;
import org.arvados.tasksasjobs.yaml.SnakeYamlDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code reuse --probes FILE}: which existing job each submission in FILE would reuse on this database now, and the
 * rule that decided (docs/architecture.md "Probes"). Reads the probes as it goes, a batch at a time, and prints one JSON line per
 * probe in input order. Works before the migration and after it. Changes nothing: it reads in a read-only transaction.
 */
@Command(name = "reuse", sortOptions = false,
        description = {"For each submission in the probes file, which existing job it would reuse on this database now,"
                + " and the rule that decided: one JSON line out per probe, in input order:",
                "  {\"id\": \"p1\", \"reused\": \"<job uuid>\" or null, \"rule\": \"complete\" | \"running\" | \"queued\""
                        + " | \"outputs_differ\" | \"none\"}",
                "A probe is one JSON object a line: id, repository, script, script_version (a commit; null: no commit"
                        + " filter), script_parameters, docker_image_locator (a portable data hash; null: none),"
                        + " arvados_sdk_version (null: not compared), owner_uuid (the submitting user), parent_job_uuid"
                        + " (set: a task submission, whose repository, script, commit, image and SDK come from that job).",
                "Works on a database before and after the migration. Changes nothing."})
final class ReuseCommand implements Callable<Integer> {

    /** Probes per query: the engine's own chunk, so one round trip per batch read. */
    static final int BATCH = 1000;

    private static final String STDIN = "-";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--probes", required = true, paramLabel = "FILE",
            description = "The submissions to ask about, one JSON object a line; - reads standard input (read once:"
                    + " a bad line there ends the output where it is, where a file is checked whole first).")
    String probes;

    @Option(names = "--inherit-policy", paramLabel = "FILE",
            description = "The inherit policy the migration used (JSON {\"script\": [\"key\", ...]}), for task probes"
                    + " (default: every parent key is inherited).")
    Path inheritPolicy;

    @Override
    public Integer call() throws Exception {
        InheritPolicy policy = InheritPolicyFile.read(inheritPolicy);
        Path file = probesFile();
        if (file != null) {
            // A file can be read twice: checking it whole first means a bad line is reported before any output,
            // still reading one line at a time. Standard input is read once, so a bad line there ends the output.
            try (ProbeReader reader = open(file)) {
                read(() -> {
                    reader.forEachRemaining(probe -> { });
                    return null;
                });
            }
        }
        try (DatabaseTarget target = connection.open("tasks-as-jobs reuse"); Connection c = target.connect();
             ProbeReader reader = file == null
                     ? new ProbeReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                     : open(file)) {
            // Read-only, and one transaction: every batch sees the same committed jobs, and nothing can be written.
            c.setAutoCommit(false);
            c.setReadOnly(true);
            ReuseEngine engine = new ReuseEngine(c, new SnakeYamlDecoder(), policy, TieBreak.ASC);
            PrintWriter out = spec.commandLine().getOut();
            List<Probe> batch;
            while (!(batch = read(() -> reader.nextBatch(BATCH))).isEmpty()) {
                for (ReuseOutcome outcome : engine.evaluate(batch)) {
                    out.println(line(outcome));
                }
                out.flush();
            }
            c.rollback();
            return ExitCode.OK;
        }
    }

    /** {@code {"id":"p1","reused":"<uuid>" or null,"rule":"complete"}}. */
    static String line(ReuseOutcome outcome) throws JsonProcessingException {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", outcome.probeId());
        node.put("reused", outcome.reused());
        node.put("rule", outcome.rule().code());
        return JSON.writeValueAsString(node);
    }

    private Path probesFile() {
        if (STDIN.equals(probes)) {
            return null;
        }
        try {
            return Path.of(probes);
        } catch (InvalidPathException e) {
            throw MigratorException.usage("--probes: not a file path: " + probes);
        }
    }

    private ProbeReader open(Path file) {
        try {
            return ProbeReader.open(file);
        } catch (NoSuchFileException e) {
            throw MigratorException.usage("--probes " + file + ": no such file");
        } catch (IOException e) {
            throw MigratorException.usage("cannot read --probes " + file + ": " + e.getMessage());
        }
    }

    /** Runs a read of the probes, turning a bad line into a usage error that names it. */
    private <T> T read(Read<T> read) {
        try {
            return read.run();
        } catch (ProbeFormatException e) {
            throw MigratorException.usage(e.getMessage());
        } catch (UncheckedIOException e) {
            throw MigratorException.failure("cannot read --probes " + probes + ": " + e.getCause().getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Read<T> {
        T run();
    }
}
