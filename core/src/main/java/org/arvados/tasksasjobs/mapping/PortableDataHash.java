package org.arvados.tasksasjobs.mapping;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Keep's portable data hash of a manifest, and the test crunch-job used for "this output is a locator". */
public final class PortableDataHash {

    // crunch-job: /^[0-9a-f]{32}(\+\S+)*$/ in Perl, where $ also matches before one final newline.
    // (\+\S+)* equals (\+\S+)? because '+' is itself \S; the short form cannot backtrack badly.
    private static final Pattern BLOCK_LOCATOR = Pattern.compile("[0-9a-f]{32}(?:\\+\\S+)?\\n?");

    private PortableDataHash() {}

    /** md5 hex of the text's UTF-8 bytes, "+", and the byte length. */
    public static String of(String manifestText) {
        byte[] bytes = manifestText.getBytes(StandardCharsets.UTF_8);
        return Md5.hex(bytes) + "+" + bytes.length;
    }

    /** Whether the whole text is one Keep block locator (one trailing newline allowed). */
    public static boolean isBlockLocator(String text) {
        return text != null && BLOCK_LOCATOR.matcher(text).matches();
    }
}
