package org.arvados.tasksasjobs.cli;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command line in a JVM of its own on a pseudo-terminal (script -q -e -c), as a user at a terminal runs it:
 * its arguments are shell words, so a test can redirect one stream to a file. What the terminal showed comes back.
 */
final class OnTerminal {

    private OnTerminal() {
    }

    static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/script"));
    }

    /** Runs {@code arguments}; no input. */
    static Cli.Run run(Map<String, String> env, String arguments) throws Exception {
        return run(env, arguments, null, null);
    }

    /**
     * Runs {@code arguments} and, once the terminal shows {@code prompt}, types {@code answer}: only then, as a person
     * would, since the terminal echoes whatever arrives before a prompt turns echo off.
     */
    static Cli.Run run(Map<String, String> env, String arguments, String prompt, String answer) throws Exception {
        String command = Path.of(System.getProperty("java.home"), "bin", "java") + " -Xmx128m -cp '"
                + System.getProperty("java.class.path") + "' " + FaultyTasksAsJobs.class.getName() + " " + arguments;
        ProcessBuilder builder = new ProcessBuilder("script", "-q", "-e", "-c", command, "/dev/null").redirectErrorStream(true);
        builder.environment().remove("NO_COLOR");
        builder.environment().put("TERM", "xterm");
        builder.environment().putAll(env);
        Process p = builder.start();
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        InputStream in = p.getInputStream();
        if (prompt != null) {
            while (!seen.toString(StandardCharsets.UTF_8).contains(prompt)) {
                int b = in.read();
                if (b < 0) {
                    break; // ended without asking: the assertions on its output say why
                }
                seen.write(b);
            }
            p.getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().flush();
        }
        seen.write(in.readAllBytes());
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("the command on a terminal did not end: " + seen);
        }
        return new Cli.Run(p.exitValue(), seen.toString(StandardCharsets.UTF_8), "");
    }
}
