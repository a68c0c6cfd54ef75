package org.arvados.tasksasjobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Arvados clients of 2019 in {@code ../shared/peers/arvados-2019-08} (beside the repository; the
 * environment variable TASKS_AS_JOBS_PEERS names another place), run from there, never copied: the Python and Perl
 * SDKs and the crunch scripts. Tests that need them skip, saying why, only when that directory is absent; when it
 * is there but the Debian packages the SDKs need are not, they fail and name the packages.
 */
final class Peers {

    /** The Debian packages the peers' README names: the SDKs' dependencies, and openssl for test certificates. */
    static final String PACKAGES = "python3-googleapi python3-httplib2 python3-ruamel.yaml python3-pycurl"
            + " python3-future python3-ciso8601 python3-ws4py libwww-perl liblwp-protocol-https-perl"
            + " libcrypt-ssleay-perl libjson-perl openssl";

    static final Path PYTHON = Path.of("/usr/bin/python3");

    private final Path root;

    private Peers(Path root) {
        this.root = root;
    }

    /** The peers, or the test is skipped (only) because they are absent. */
    static Peers require() {
        String configured = System.getenv("TASKS_AS_JOBS_PEERS");
        // Tests run in their module's directory, whose parent is the repository.
        Path root = configured != null ? Path.of(configured).toAbsolutePath()
                : Path.of("").toAbsolutePath().getParent().resolve("../shared/peers/arvados-2019-08").normalize();
        assumeTrue(Files.isDirectory(root.resolve("sdk/python/arvados")),
                "the real Arvados SDKs are not at " + root + " (../shared/peers/arvados-2019-08)");
        Peers peers = new Peers(root);
        peers.requireClients();
        return peers;
    }

    Path script(String name) {
        return root.resolve("crunch_scripts").resolve(name);
    }

    /** PYTHONPATH and PERL5LIB for the SDKs, and a HOME of the test's own (the Python SDK caches discovery there). */
    Map<String, String> environment(Path home) {
        return Map.of("PYTHONPATH", root.resolve("sdk/python").toString(),
                "PERL5LIB", root.resolve("sdk/perl/lib").toString(),
                "HOME", home.toString());
    }

    private void requireClients() {
        Path home;
        try {
            home = Files.createTempDirectory("tasks-as-jobs-peers");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (List<String> check : List.of(
                List.of(PYTHON.toString(), "-c", "import arvados"),
                List.of("perl", "-MArvados", "-e", "1"),
                List.of("openssl", "version"))) {
            Result result;
            try {
                result = run(check, environment(home), home, 60);
            } catch (IOException e) {
                result = new Result(-1, "", e.getMessage());
            }
            if (result.exit() != 0) {
                fail("the real Arvados SDKs are at " + root + " but `" + String.join(" ", check) + "` fails: "
                        + result.err().lines().reduce((a, b) -> b).orElse("") + "; install the Debian packages "
                        + PACKAGES + " (apt-get install -y ...)");
            }
        }
    }

    /** What a finished process printed and returned. */
    record Result(int exit, String out, String err) {
        String output() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }

        void requireSuccess(String what) {
            assertEquals(0, exit, what + " failed: " + output());
        }
    }

    /** Runs {@code command} with {@code environment} added, in {@code directory}, killed after {@code seconds}. */
    static Result run(List<String> command, Map<String, String> environment, Path directory, int seconds)
            throws IOException {
        Path out = Files.createTempFile("tasks-as-jobs-peer", ".out");
        Path err = Files.createTempFile("tasks-as-jobs-peer", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                return new Result(-1, Files.readString(out), Files.readString(err) + "\n(killed after " + seconds
                        + " s)");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        try {
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
