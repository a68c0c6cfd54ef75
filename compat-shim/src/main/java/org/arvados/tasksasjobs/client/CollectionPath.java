package org.arvados.tasksasjobs.client;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file inside a collection, written {@code <pdh>/<path>}: the {@code input} parameter
 * {@link Crunch#oneTaskPerInputFile} gives each task.
 *
 * @param portableDataHash the collection's portable data hash ({@code md5+size}, hints allowed)
 * @param path             the file's path in the collection without a leading {@code ./}:
 *                         {@code name} or {@code dir/name}
 */
public record CollectionPath(String portableDataHash, String path) {

    private static final Pattern FORM = Pattern.compile("([0-9a-f]{32}\\+[0-9]+(?:\\+[^/]*)?)/(.+)");

    /**
     * Reads {@code <pdh>/<path>}. Also accepts the Python SDK's {@code <pdh>/./<path>} (its
     * {@code input_as_path=True} joined the stream name {@code .} in) and drops the {@code ./}.
     *
     * @throws IllegalArgumentException when the text is not of that form
     */
    public static CollectionPath parse(String text) {
        Matcher match = FORM.matcher(text == null ? "" : text);
        if (!match.matches()) {
            throw new IllegalArgumentException("not <portable data hash>/<file path>: " + text);
        }
        String path = match.group(2);
        while (path.startsWith("./")) {
            path = path.substring(2);
        }
        return new CollectionPath(match.group(1), path);
    }

    /** {@code <pdh>/<path>}. */
    @Override
    public String toString() {
        return portableDataHash + "/" + path;
    }
}
