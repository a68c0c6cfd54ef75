package org.arvados.tasksasjobs.examples.hash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.arvados.tasksasjobs.client.CollectionPath;
import org.arvados.tasksasjobs.client.Crunch;
import org.arvados.tasksasjobs.client.CrunchEnvironment;
import org.arvados.tasksasjobs.client.LocalKeep;
import org.arvados.tasksasjobs.client.Manifest;
import org.arvados.tasksasjobs.client.ManifestFile;
import org.arvados.tasksasjobs.client.Task;

/**
 * The crunch {@code hash} script (arvados/crunch_scripts/hash.py) ported to the client library: task 0 fans
 * out one task per input file and ends; every other task digests its file and sets its output to a collection
 * holding {@code md5sum.txt} with the line {@code "<hex digest> <input>\n"}.
 *
 * <p>Two differences from the Python original, both for task reuse:
 * <ul>
 *   <li>The algorithm is read from the task's own {@code script_parameters}, which hold the parent's keys
 *       merged in (docs/architecture.md "The contract"), not from the parent job's record: reading the parent marks a
 *       task impure, and an impure task is never reused. Task 0 still reads the job, to find its input, so
 *       it is impure, as every fan-out task that reads job-wide settings is.</li>
 *   <li>The output is the manifest text itself, not the locator of a block holding it: a task-like job's
 *       output is the portable data hash of a manifest, and a bare locator would leave it NULL (never
 *       reusable).</li>
 * </ul>
 */
public final class Hash {

    /** Python hashlib names, as jobs were submitted with them, to Java's. */
    private static final Map<String, String> ALGORITHMS = Map.of(
            "md5", "MD5", "sha1", "SHA-1", "sha224", "SHA-224", "sha256", "SHA-256", "sha384", "SHA-384", "sha512", "SHA-512");

    private final Crunch crunch;
    private final LocalKeep keep;

    public Hash(Crunch crunch, LocalKeep keep) {
        this.crunch = Objects.requireNonNull(crunch, "crunch");
        this.keep = Objects.requireNonNull(keep, "keep");
    }

    /** Runs the script as the task named by the environment; returns the output it set, or null for task 0. */
    public String run() throws IOException, NoSuchAlgorithmException {
        if (crunch.oneTaskPerInputFile(0, this::manifest)) {
            return null;
        }
        Task task = crunch.currentTask();
        Object input = task.parameter("input");
        if (!(input instanceof String path)) {
            throw new IllegalStateException("task " + task.legacyTaskUuid() + " has no input parameter");
        }
        MessageDigest digest = MessageDigest.getInstance(javaAlgorithm(task.scriptParameters().getOrDefault("algorithm", "md5")));
        digest.update(read(CollectionPath.parse(path)));
        byte[] line = (HexFormat.of().formatHex(digest.digest()) + " " + path + "\n").getBytes(StandardCharsets.UTF_8);
        String output = keep.putFile("md5sum.txt", line);
        crunch.setOutput(output);
        return output;
    }

    private byte[] read(CollectionPath path) throws IOException {
        ManifestFile file = Manifest.parse(keep.readManifest(path.portableDataHash())).find(path.path())
                .orElseThrow(() -> new IOException("no file " + path.path() + " in collection " + path.portableDataHash()));
        return file.read(keep);
    }

    private String manifest(String portableDataHash) {
        try {
            return keep.readManifest(portableDataHash);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read collection " + portableDataHash, e);
        }
    }

    private static String javaAlgorithm(Object algorithm) throws NoSuchAlgorithmException {
        String name = ALGORITHMS.get(String.valueOf(algorithm).toLowerCase(Locale.ROOT));
        if (name == null) {
            throw new NoSuchAlgorithmException("unsupported algorithm " + algorithm + "; one of " + ALGORITHMS.keySet());
        }
        return name;
    }

    /** The script as crunch runs it: settings from the environment, Keep from KEEP_LOCAL_STORE. */
    public static void main(String[] args) throws Exception {
        new Hash(Crunch.fromEnvironment(CrunchEnvironment.fromMap(System.getenv())),
                LocalKeep.fromEnvironment(System.getenv())).run();
    }
}
