package org.arvados.tasksasjobs.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Keep as the Python SDK's {@code KEEP_LOCAL_STORE} mode kept it: a directory holding one file
 * per block, named by the block's md5 hex. {@link #put} gives the locator {@code md5+size};
 * {@link #get} reads a block back by any locator with that md5 (hints ignored).
 *
 * <p>A collection's manifest is stored the same way, as one block: its locator {@code md5+size} is
 * then the collection's portable data hash, so {@link #readManifest} reads a collection by PDH.
 */
public final class LocalKeep implements BlockReader {

    /** Largest block a writer makes (Keep's 64 MiB). */
    public static final int BLOCK_SIZE = 1 << 26;

    /** The empty block: never stored, always readable. */
    public static final String EMPTY_BLOCK = "d41d8cd98f00b204e9800998ecf8427e+0";

    private static final Pattern LOCATOR = Pattern.compile("([0-9a-f]{32})\\+([0-9]+)(\\+.*)?");

    private final Path directory;

    /** A store in {@code directory} (created if missing on the first put). */
    public LocalKeep(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /**
     * The store KEEP_LOCAL_STORE names.
     *
     * @throws ArvadosConfigException when KEEP_LOCAL_STORE is not set
     */
    public static LocalKeep fromEnvironment(Map<String, String> env) {
        String directory = env.get("KEEP_LOCAL_STORE");
        if (directory == null || directory.isBlank()) {
            throw new ArvadosConfigException("KEEP_LOCAL_STORE is not set (a directory holding Keep blocks)");
        }
        return new LocalKeep(Path.of(directory));
    }

    /** The directory blocks live in. */
    public Path directory() {
        return directory;
    }

    /** Stores a block; returns its locator {@code md5+size}. Storing the same bytes twice is harmless. */
    public String put(byte[] block) throws IOException {
        String md5 = md5Hex(block);
        Files.createDirectories(directory);
        Path target = directory.resolve(md5);
        if (!Files.exists(target)) {
            // Write aside, then rename: a reader never sees half a block.
            Path temporary = Files.createTempFile(directory, md5, ".tmp");
            try {
                Files.write(temporary, block);
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temporary);
            }
        }
        return md5 + "+" + block.length;
    }

    /**
     * The block a locator names, checked against the locator's md5 and size.
     *
     * @throws NoSuchFileException when the store does not hold it
     * @throws IOException         when the stored bytes do not match the locator
     */
    @Override
    public byte[] get(String locator) throws IOException {
        var match = LOCATOR.matcher(locator == null ? "" : locator.strip());
        if (!match.matches()) {
            throw new IllegalArgumentException("not a Keep locator: " + locator);
        }
        String md5 = match.group(1);
        if (EMPTY_BLOCK.startsWith(md5)) {
            return new byte[0];
        }
        Path file = directory.resolve(md5);
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no block " + md5 + " in the local Keep store");
        }
        byte[] block = Files.readAllBytes(file);
        if (!md5Hex(block).equals(md5) || Long.parseLong(match.group(2)) != block.length) {
            throw new IOException("block file " + file + " does not match locator " + locator);
        }
        return block;
    }

    /** Stores manifest text as a block; returns the collection's portable data hash. */
    public String putManifest(String manifestText) throws IOException {
        return put(manifestText.getBytes(StandardCharsets.UTF_8));
    }

    /** The manifest text of the collection with this portable data hash. */
    public String readManifest(String portableDataHash) throws IOException {
        return new String(get(portableDataHash), StandardCharsets.UTF_8);
    }

    /**
     * Stores {@code content} as a one-file collection in stream {@code .}, in blocks of at most
     * {@link #BLOCK_SIZE}, and returns the manifest text (not stored; see {@link #putManifest}).
     * An empty file is written with the empty block, as the Python SDK's CollectionWriter did.
     */
    public String putFile(String name, byte[] content) throws IOException {
        List<String> locators = new ArrayList<>();
        for (int start = 0; start < content.length; start += BLOCK_SIZE) {
            int end = Math.min(content.length, start + BLOCK_SIZE);
            byte[] block = start == 0 && end == content.length ? content : Arrays.copyOfRange(content, start, end);
            locators.add(put(block));
        }
        if (locators.isEmpty()) {
            locators.add(EMPTY_BLOCK);
        }
        return ". " + String.join(" ", locators) + " 0:" + content.length + ":" + Manifest.escape(name) + "\n";
    }

    private static String md5Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide MD5", e);
        }
    }
}
