package org.arvados.tasksasjobs.client;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An Arvados manifest: the text that lists a collection's files.
 *
 * <p>Each line is one stream: the stream name ({@code .} or {@code ./dir}), one or more block
 * locators ({@code md5+size[+hints]}), then one or more file tokens {@code pos:len:name}, where
 * {@code pos} and {@code len} address the concatenation of the line's blocks, so a file may span
 * several blocks. Names escape a space as {@code \040} (any byte as a three-digit octal escape;
 * escapes are bytes of UTF-8 text). A file named twice in a stream (on one line or on two lines
 * of the same stream) is the concatenation of its segments, as the Python SDK's normalization
 * read it.
 *
 * <p>Values are immutable; {@link #parse} validates the whole text once.
 */
public final class Manifest {

    private static final Pattern LOCATOR = Pattern.compile("[0-9a-f]{32}\\+[0-9]+(\\+[A-Za-z0-9@_=-][^ ]*)*");
    private static final Pattern FILE_TOKEN = Pattern.compile("[0-9]+:[0-9]+:.+");
    private static final Pattern ESCAPE = Pattern.compile("\\\\[0-7]{3}");

    private final List<ManifestFile> files;

    private Manifest(List<ManifestFile> files) {
        this.files = List.copyOf(files);
    }

    /**
     * Parses manifest text (the empty text is the empty collection).
     *
     * @throws ManifestFormatException naming the line and token that are not valid
     */
    public static Manifest parse(String text) {
        Map<String, FileBuilder> byPath = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int index = 0; index < lines.length; index++) {
            String line = lines[index];
            if (line.isEmpty()) {
                continue;
            }
            parseStream(index + 1, line, byPath);
        }
        List<ManifestFile> files = new ArrayList<>();
        for (FileBuilder file : byPath.values()) {
            files.add(file.build());
        }
        return new Manifest(files);
    }

    /** Every file, in the order the manifest first names them. */
    public List<ManifestFile> files() {
        return files;
    }

    /** The file at {@code relativePath} ({@code name} or {@code dir/name}, no leading {@code ./}). */
    public Optional<ManifestFile> find(String relativePath) {
        return files.stream().filter(file -> file.relativePath().equals(relativePath)).findFirst();
    }

    /**
     * A stream or file name as a manifest writes it: backslash, colon, and every byte up to space
     * as a three-digit octal escape (the Python SDK's rule), other characters as they are.
     */
    public static String escape(String name) {
        StringBuilder text = new StringBuilder();
        name.codePoints().forEach(codePoint -> {
            if (codePoint <= 0x20 || codePoint == '\\' || codePoint == ':') {
                text.append(String.format("\\%03o", codePoint));
            } else {
                text.appendCodePoint(codePoint);
            }
        });
        return text.toString();
    }

    /** Undoes the octal escapes: {@code \040} is a space; escapes are UTF-8 bytes. */
    public static String unescape(String token) {
        if (token.indexOf('\\') < 0) {
            return token;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int index = 0;
        while (index < token.length()) {
            if (token.charAt(index) == '\\' && index + 4 <= token.length()
                    && ESCAPE.matcher(token.substring(index, index + 4)).matches()) {
                bytes.write(Integer.parseInt(token.substring(index + 1, index + 4), 8));
                index += 4;
            } else {
                int codePoint = token.codePointAt(index);
                bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                index += Character.charCount(codePoint);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ManifestFormatException("escaped name is not UTF-8: " + token);
        }
    }

    private static void parseStream(int lineNumber, String line, Map<String, FileBuilder> byPath) {
        String[] tokens = line.split(" +");
        String stream = unescape(tokens[0]);
        if (!stream.equals(".") && !stream.startsWith("./")) {
            throw new ManifestFormatException("line " + lineNumber + ": stream name must be . or start with ./, got "
                    + tokens[0]);
        }
        List<String> locators = new ArrayList<>();
        List<Long> blockStarts = new ArrayList<>();
        long streamLength = 0;
        int index = 1;
        while (index < tokens.length && LOCATOR.matcher(tokens[index]).matches()) {
            String locator = tokens[index];
            locators.add(locator);
            blockStarts.add(streamLength);
            streamLength += blockSize(lineNumber, locator);
            index++;
        }
        if (locators.isEmpty()) {
            throw new ManifestFormatException("line " + lineNumber + ": stream " + tokens[0] + " has no block locator"
                    + (tokens.length > 1 ? " (got " + tokens[1] + ")" : ""));
        }
        if (index == tokens.length) {
            throw new ManifestFormatException("line " + lineNumber + ": stream " + tokens[0] + " has no file token");
        }
        for (; index < tokens.length; index++) {
            String token = tokens[index];
            if (!FILE_TOKEN.matcher(token).matches()) {
                throw new ManifestFormatException("line " + lineNumber + ": not a pos:len:name file token: " + token);
            }
            int first = token.indexOf(':');
            int second = token.indexOf(':', first + 1);
            long position = parseLong(lineNumber, token.substring(0, first));
            long length = parseLong(lineNumber, token.substring(first + 1, second));
            String name = unescape(token.substring(second + 1));
            if (position + length > streamLength) {
                throw new ManifestFormatException("line " + lineNumber + ": file token " + token
                        + " reaches past the stream's " + streamLength + " bytes");
            }
            FileBuilder file = byPath.computeIfAbsent(stream + "/" + name, key -> new FileBuilder(stream, name));
            file.add(ranges(locators, blockStarts, position, length));
        }
    }

    // The block ranges covering [position, position + length) of the stream's concatenated blocks.
    private static List<BlockRange> ranges(List<String> locators, List<Long> blockStarts, long position, long length) {
        List<BlockRange> ranges = new ArrayList<>();
        long end = position + length;
        for (int block = 0; block < locators.size() && length > 0; block++) {
            long blockStart = blockStarts.get(block);
            long blockEnd = block + 1 < locators.size() ? blockStarts.get(block + 1) : Long.MAX_VALUE;
            long from = Math.max(position, blockStart);
            long to = Math.min(end, blockEnd);
            if (from < to) {
                ranges.add(new BlockRange(locators.get(block), from - blockStart, to - from));
            }
        }
        return ranges;
    }

    private static long blockSize(int lineNumber, String locator) {
        int plus = locator.indexOf('+');
        int next = locator.indexOf('+', plus + 1);
        return parseLong(lineNumber, locator.substring(plus + 1, next < 0 ? locator.length() : next));
    }

    private static long parseLong(int lineNumber, String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new ManifestFormatException("line " + lineNumber + ": number out of range: " + digits);
        }
    }

    private static final class FileBuilder {

        private final String stream;
        private final String name;
        private final List<BlockRange> ranges = new ArrayList<>();
        private long size;

        FileBuilder(String stream, String name) {
            this.stream = stream;
            this.name = name;
        }

        void add(List<BlockRange> more) {
            for (BlockRange range : more) {
                ranges.add(range);
                size += range.length();
            }
        }

        ManifestFile build() {
            return new ManifestFile(stream, name, size, ranges);
        }
    }
}
