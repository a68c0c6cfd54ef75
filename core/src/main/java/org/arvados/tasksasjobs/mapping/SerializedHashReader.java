package org.arvados.tasksasjobs.mapping;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a serialized hash column (job_tasks.parameters, jobs.script_parameters) the way the API
 * server's serializer loaded it (docs/arvados.md §3):
 * <ul>
 *   <li>NULL: an empty hash;</li>
 *   <li>text whose first character is <code>{</code>: JSON;</li>
 *   <li>text starting with {@code ---}: YAML, through the given decoder; a YAML result that is a
 *       String is JSON written by a newer server and YAML-encoded again by a downgraded one, so it
 *       is decoded once more as JSON;</li>
 *   <li>anything else, or a result that is not a hash: {@link UnparseableHashException}.</li>
 * </ul>
 * JSON: duplicate keys last-wins (as Ruby), integers as Long or BigInteger, decimals as Double,
 * keys in insertion order. Non-String YAML keys become their string form (what Ruby's
 * JSON.generate writes for them). The result is a new mutable {@code LinkedHashMap}.
 *
 * <p>Thread-safe when the decoder is.
 */
public final class SerializedHashReader {

    private final YamlDecoder yaml;

    public SerializedHashReader(YamlDecoder yaml) {
        this.yaml = Objects.requireNonNull(yaml, "yaml");
    }

    public Map<String, Object> read(String text) throws UnparseableHashException {
        if (text == null) {
            return new LinkedHashMap<>();
        }
        // The first characters decide, exactly as the Ruby serializer tested s[0] and s[0..2]:
        // leading whitespace makes a row invalid there, so it does here.
        if (text.startsWith("{")) {
            return requireHash(JsonText.parse(text), "JSON");
        }
        if (text.startsWith("---")) {
            Object decoded = PlainValues.normalize(yaml.decode(text));
            if (decoded instanceof String inner) {
                Object again;
                try {
                    again = JsonText.parse(inner);
                } catch (UnparseableHashException e) {
                    throw new UnparseableHashException("YAML holds a string that is not JSON: " + e.getMessage(), e);
                }
                return requireHash(again, "double-encoded JSON");
            }
            return requireHash(decoded, "YAML");
        }
        throw new UnparseableHashException(
                "neither JSON nor YAML: text starts with " + PlainValues.excerpt(text, 6));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> requireHash(Object value, String form) throws UnparseableHashException {
        if (value instanceof Map<?, ?>) {
            // JsonText and PlainValues only ever build LinkedHashMap<String, Object>.
            return (Map<String, Object>) value;
        }
        throw new UnparseableHashException(form + " value is " + kind(value) + ", not a hash");
    }

    private static String kind(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof List<?>) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Number) {
            return "a number";
        }
        return "a " + value.getClass().getSimpleName();
    }
}
