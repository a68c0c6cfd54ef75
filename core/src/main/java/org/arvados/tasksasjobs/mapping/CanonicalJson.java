package org.arvados.tasksasjobs.mapping;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Canonical compact JSON, the text the parameters digest is taken over (docs/arvados.md §4): what the
 * API server produced by deep-sorting a hash and dumping it.
 * <ul>
 *   <li>every hash's keys sorted by the byte order of their UTF-8 (Ruby compares String bytes;
 *       Java's compareTo compares UTF-16 units, which orders U+E000..U+FFFF after astral
 *       characters), recursively, hashes inside arrays too; array order kept;</li>
 *   <li>no spaces; escapes as Ruby's JSON.generate: {@code \" \\ \b \f \n \r \t}, other control
 *       characters below 0x20 as <code>&#92;u00XX</code> in lowercase hex, {@code /} not escaped;</li>
 *   <li>floats as Ruby's Float#to_s; integers as they are; NaN and infinities refused.</li>
 * </ul>
 * Accepts Map (String keys), List, String, Boolean, null, Long/Integer/Short/Byte/BigInteger,
 * Double/Float; anything else is an IllegalArgumentException.
 */
public final class CanonicalJson {

    /** UTF-8 byte order equals code point order, so compare code points. */
    static final Comparator<String> UTF8_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson() {}

    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        writeValue(out, value);
        return out.toString();
    }

    private static void writeValue(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String text) {
            writeString(out, text);
        } else if (value instanceof Boolean flag) {
            out.append(flag.booleanValue());
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger
                || value instanceof AtomicLong || value instanceof AtomicInteger) {
            out.append(value);
        } else if (value instanceof Double number) {
            writeFloat(out, number);
        } else if (value instanceof Float number) {
            // A Float means the decimal it prints as; Ruby has no single precision to compare with.
            writeFloat(out, Double.parseDouble(number.toString()));
        } else if (value instanceof Map<?, ?> hash) {
            writeHash(out, hash);
        } else if (value instanceof List<?> array) {
            out.append('[');
            boolean first = true;
            for (Object element : array) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeValue(out, element);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException(
                    "no canonical JSON for a value of type " + value.getClass().getName());
        }
    }

    private static void writeHash(StringBuilder out, Map<?, ?> hash) {
        List<String> keys = new ArrayList<>(hash.size());
        for (Object key : hash.keySet()) {
            if (!(key instanceof String text)) {
                throw new IllegalArgumentException("hash key is not a String: "
                        + (key == null ? "null" : key.getClass().getName()));
            }
            keys.add(text);
        }
        keys.sort(UTF8_ORDER);
        out.append('{');
        boolean first = true;
        for (String key : keys) {
            if (!first) {
                out.append(',');
            }
            first = false;
            writeString(out, key);
            out.append(':');
            writeValue(out, hash.get(key));
        }
        out.append('}');
    }

    private static void writeFloat(StringBuilder out, double number) {
        if (!Double.isFinite(number)) {
            throw new IllegalArgumentException(number + " has no JSON form (JSON.generate refuses it too)");
        }
        out.append(RubyFloat.toS(number));
    }

    private static void writeString(StringBuilder out, String text) {
        int bad = PlainValues.unpairedSurrogateAt(text);
        if (bad >= 0) {
            throw new IllegalArgumentException(String.format(
                    "string holds an unpaired surrogate \\u%04x at offset %d: it has no UTF-8 form", (int) text.charAt(bad), bad));
        }
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        // Choice: non-ASCII is emitted as raw UTF-8 (once encoded), never as \\u escapes.
                        // This is unverified upstream: no Arvados digest vector pins non-ASCII text.
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
