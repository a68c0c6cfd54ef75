package org.arvados.tasksasjobs.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line started as a user starts it: a JVM of its own with this JVM's class path and the release
 * launcher's JVM options ({@link #LAUNCHER_OPTIONS}), timed from the moment it is started until it exits. Its heap is read from its own GC log ({@code -Xlog:gc}), so the figure is the
 * child's, not this process's.
 *
 * @param java      the java launcher
 * @param classPath the class path holding the command line
 * @param mainClass its main class
 */
public record CommandLineProcess(Path java, String classPath, String mainClass) {

    /** {@code 23M->4M(256M)} in a G1 or Serial GC log line: heap in use before and after one collection. */
    private static final Pattern COLLECTION = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\(");

    /** The options bin/tasks-as-jobs gives the JVM besides -Xmx (the root pom's launcher.jvm.options). */
    public static final List<String> LAUNCHER_OPTIONS = launcherOptions();

    private static List<String> launcherOptions() {
        Properties p = new Properties();
        try (InputStream in = CommandLineProcess.class.getResourceAsStream("launcher.properties")) {
            if (in == null) {
                throw new IllegalStateException("launcher.properties is missing from the class path (a build without Maven?)");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.of(p.getProperty("jvm.options").strip().split("\\s+"));
    }

    /** This JVM's launcher and class path. */
    public static CommandLineProcess likeThisJvm(String mainClass) {
        return new CommandLineProcess(Path.of(System.getProperty("java.home"), "bin", "java"),
                System.getProperty("java.class.path"), mainClass);
    }

    /** What one run did. */
    public record Result(List<String> arguments, int exitCode, double seconds, String stdout, String stderr,
                         long peakHeapBytes, long liveHeapBytes) {

        /** This result, or an IllegalStateException with the child's last words. */
        public Result requireSuccess(String what) {
            if (exitCode != 0) {
                String tail = stderr.strip();
                int cut = Math.max(0, tail.length() - 2000);
                throw new IllegalStateException(what + " exited with " + exitCode + ": " + tail.substring(cut));
            }
            return this;
        }
    }

    /** Runs the command line with {@code args} in a JVM given {@code maxHeap} (-Xmx), waits for it to exit. */
    public Result run(String maxHeap, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path gcLog = Files.createTempFile("tasks-as-jobs-bench-gc", ".log");
        Path out = Files.createTempFile("tasks-as-jobs-bench", ".out");
        Path err = Files.createTempFile("tasks-as-jobs-bench", ".err");
        try {
            List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx" + maxHeap));
            command.addAll(LAUNCHER_OPTIONS);
            command.addAll(List.of("-Xlog:gc:file=" + gcLog, "-cp", classPath, mainClass));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(env);
            long start = System.nanoTime();
            Process process = builder.start();
            process.getOutputStream().close(); // no terminal, no input: as from cron or CI
            int exit = process.waitFor();
            double seconds = (System.nanoTime() - start) / 1e9;
            long peak = 0;
            long live = 0;
            for (String line : Files.readAllLines(gcLog, StandardCharsets.UTF_8)) {
                Matcher m = COLLECTION.matcher(line);
                if (m.find()) {
                    peak = Math.max(peak, bytes(m.group(1), m.group(2)));
                    live = Math.max(live, bytes(m.group(3), m.group(4)));
                }
            }
            return new Result(List.of(args), exit, seconds, Files.readString(out), Files.readString(err), peak, live);
        } finally {
            Files.deleteIfExists(gcLog);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static long bytes(String amount, String unit) {
        long n = Long.parseLong(amount);
        return switch (unit) {
            case "K" -> n << 10;
            case "M" -> n << 20;
            default -> n << 30;
        };
    }
}
