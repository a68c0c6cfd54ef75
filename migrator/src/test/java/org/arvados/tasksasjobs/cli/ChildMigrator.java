package org.arvados.tasksasjobs.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command line in a JVM of its own, for what an in-process run cannot show: a migrator killed with no chance
 * to clean up, two migrators at once, a small heap.
 */
final class ChildMigrator implements AutoCloseable {

    private final Process process;
    private final BufferedReader out;

    private ChildMigrator(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static ChildMigrator start(Map<String, String> env, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FaultyTasksAsJobs.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        return new ChildMigrator(builder.start());
    }

    /** Reads the child's output up to and including the first line that contains {@code marker}; false at its end. */
    boolean awaitLine(String marker, StringBuilder seen) throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            seen.append(line).append('\n');
            if (line.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    /** Closes the child's standard input (which ends a pause) and waits for it; returns exit code and the rest of its output. */
    Cli.Run finish() throws IOException, InterruptedException {
        process.getOutputStream().close();
        StringBuilder rest = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            rest.append(line).append('\n');
        }
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("child migrator did not end");
        }
        return new Cli.Run(process.exitValue(), rest.toString(), "");
    }

    /** Closes the child's standard input, which ends a pause, without waiting for it. */
    void resume() throws IOException {
        process.getOutputStream().close();
    }

    /** SIGTERM, as a service manager stops a service, without waiting. */
    void terminate() {
        process.toHandle().destroy(); // Process.destroy() would also close the streams the test still reads

    }

    /** SIGKILL (no shutdown hooks, no rollback), then waits for the child to be gone; returns its exit code. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("child migrator survived SIGKILL");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
