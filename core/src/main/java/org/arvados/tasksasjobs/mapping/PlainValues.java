package org.arvados.tasksasjobs.mapping;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks and normalizes decoded values to the plain shapes the rest of the mapping expects. */
final class PlainValues {

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private PlainValues() {}

    /**
     * A YAML decoder's result in plain shapes: keys as strings (their Ruby {@code to_s} form, which
     * is what JSON.generate writes for a non-String key), Integer as Long, lists as ArrayList.
     */
    static Object normalize(Object value) throws UnparseableHashException {
        if (value == null || value instanceof Boolean || value instanceof Long) {
            return value;
        }
        if (value instanceof String text) {
            return requireWellFormed(text);
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            return big.compareTo(LONG_MIN) >= 0 && big.compareTo(LONG_MAX) <= 0 ? (Object) big.longValue() : big;
        }
        if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            if (!Double.isFinite(number)) {
                throw new UnparseableHashException("YAML number " + number + " has no JSON form");
            }
            return number;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> hash = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                hash.put(keyText(entry.getKey()), normalize(entry.getValue()));
            }
            return hash;
        }
        if (value instanceof List<?> list) {
            List<Object> array = new ArrayList<>(list.size());
            for (Object element : list) {
                array.add(normalize(element));
            }
            return array;
        }
        throw new UnparseableHashException("YAML value of type " + value.getClass().getSimpleName() + " is not plain data");
    }

    private static String keyText(Object key) throws UnparseableHashException {
        if (key instanceof String text) {
            return requireWellFormed(text);
        }
        if (key == null) {
            return ""; // nil.to_s
        }
        if (key instanceof Double || key instanceof Float) {
            return RubyFloat.toS(((Number) key).doubleValue());
        }
        if (key instanceof Boolean || key instanceof Number) {
            return key.toString();
        }
        throw new UnparseableHashException(
                "YAML hash key of type " + key.getClass().getSimpleName() + " is not a scalar");
    }

    /** The text itself, when every surrogate in it is paired (so it has a UTF-8 form). */
    static String requireWellFormed(String text) throws UnparseableHashException {
        int bad = unpairedSurrogateAt(text);
        if (bad >= 0) {
            throw new UnparseableHashException(String.format(
                    "string holds an unpaired surrogate \\u%04x at offset %d (not valid Unicode)", (int) text.charAt(bad), bad));
        }
        return text;
    }

    /** Index of the first unpaired surrogate, or -1. */
    static int unpairedSurrogateAt(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        String trimmed = message.strip();
        int end = trimmed.indexOf('\n');
        return (end < 0 ? trimmed : trimmed.substring(0, end)).strip();
    }

    /** Up to {@code max} characters of {@code text} as a one-line quoted string, for messages. */
    static String excerpt(String text, int max) {
        int end = text.length() <= max ? text.length() : text.offsetByCodePoints(0, Math.min(max, text.codePointCount(0, text.length())));
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
        if (end < text.length()) {
            out.append("...");
        }
        return out.toString();
    }
}
