package org.arvados.tasksasjobs.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * A file of a manifest.
 *
 * @param stream the stream it is in, unescaped, e.g. {@code .} or {@code ./dir/sub}
 * @param name   its name inside the stream, unescaped (may contain spaces)
 * @param size   its length in bytes
 * @param ranges its contents: block ranges in order (empty for an empty file)
 */
public record ManifestFile(String stream, String name, long size, List<BlockRange> ranges) {

    public ManifestFile {
        ranges = List.copyOf(ranges);
    }

    /** Stream and name joined, as the manifest locates it: {@code ./name} or {@code ./dir/name}. */
    public String path() {
        return stream + "/" + name;
    }

    /**
     * The path inside the collection without the leading {@code ./}: {@code name} or {@code dir/name}.
     */
    public String relativePath() {
        return stream.equals(".") ? name : stream.substring(2) + "/" + name;
    }

    /** Writes the file's bytes to {@code out}, fetching each block through {@code blocks}. */
    public void copyTo(BlockReader blocks, OutputStream out) throws IOException {
        for (BlockRange range : ranges) {
            byte[] block = blocks.get(range.locator());
            if (range.offset() + range.length() > block.length) {
                throw new IOException("block " + range.locator() + " has " + block.length + " bytes, file "
                        + path() + " needs bytes up to " + (range.offset() + range.length()));
            }
            out.write(block, (int) range.offset(), (int) range.length());
        }
    }

    /** The file's bytes (a file larger than 2 GiB: use {@link #copyTo}). */
    public byte[] read(BlockReader blocks) throws IOException {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException("file " + path() + " is too large to read into memory (" + size + " bytes)");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
        copyTo(blocks, out);
        return out.toByteArray();
    }
}
