package org.arvados.tasksasjobs.seed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.arvados.tasksasjobs.mapping.ParametersDigest;

/**
 * The serialized-hash texts the Arvados API server wrote (docs/arvados.md §3, §4), for values made of {@code Map<String,?>}
 * (insertion order), {@code List}, {@code String}, {@code Long} and {@code Boolean}:
 * compact JSON in insertion order (2017 on), Psych-style YAML (before), YAML holding a JSON string (a downgraded
 * server), and {@code script_parameters_digest}.
 *
 * <p>A local copy on purpose: the seed must write what the old server wrote, not what this project's mapping reads,
 * and must not depend on it. Non-ASCII is written as raw UTF-8 everywhere, never as {@code \\u} escapes (the choice
 * docs/arvados.md §4 asks to state; unverified upstream).
 */
final class Serialized {

    /** How one row's hash is written. */
    enum Format { JSON, YAML, DOUBLE_ENCODED }

    private static final Pattern YAML_INT = Pattern.compile("[-+]?(0b[0-1_,]+|0[0-7_,]+|0|[1-9][0-9_,]*|0x[0-9a-fA-F_,]+)");
    private static final Pattern YAML_FLOAT = Pattern.compile("[-+]?([0-9][0-9_,]*)?\\.[0-9]*([eE][-+][0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
    private static final Pattern YAML_WORD = Pattern.compile("(?i)y|n|yes|no|true|false|on|off|null|~");
    private static final Pattern YAML_TIME = Pattern.compile("\\d{4}-\\d{1,2}-\\d{1,2}([Tt ].*)?");

    private Serialized() {
    }

    static String write(Map<String, Object> hash, Format format) {
        return switch (format) {
            case JSON -> json(hash);
            case YAML -> yaml(hash);
            case DOUBLE_ENCODED -> "--- " + yamlScalar(json(hash)) + "\n";
        };
    }

    /** Compact JSON, keys in insertion order: what Rails wrote from March 2017. */
    static String json(Object value) {
        StringBuilder sb = new StringBuilder(64);
        writeJson(value, sb);
        return sb.toString();
    }

    /** {@code jobs.script_parameters_digest}, as the API server computed it (compat-shim's one definition). */
    static String digest(Map<String, Object> hash) {
        return ParametersDigest.of(hash);
    }

    private static void writeJson(Object value, StringBuilder sb) {
        if (value instanceof Map<?, ?> map) {
            List<String> keys = new ArrayList<>(map.size());
            for (Object k : map.keySet()) {
                keys.add((String) k);
            }
            sb.append('{');
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                jsonString(keys.get(i), sb);
                sb.append(':');
                writeJson(map.get(keys.get(i)), sb);
            }
            sb.append('}');
        } else if (value instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                writeJson(list.get(i), sb);
            }
            sb.append(']');
        } else if (value instanceof String s) {
            jsonString(s, sb);
        } else if (value instanceof Long || value instanceof Boolean) {
            sb.append(value);
        } else {
            throw new IllegalArgumentException("not a serialized-hash value: " + value);
        }
    }

    private static void jsonString(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /**
     * YAML as Ruby's Psych (libyaml) dumped a Hash: {@code --- {}} for an empty one; otherwise {@code ---}, one
     * {@code key: value} line each, nested hashes indented by two, sequences in a hash not indented.
     */
    static String yaml(Map<String, Object> hash) {
        if (hash.isEmpty()) {
            return "--- {}\n";
        }
        StringBuilder sb = new StringBuilder(64).append("---\n");
        yamlMapping(hash, 0, sb);
        return sb.toString();
    }

    private static void yamlMapping(Map<?, ?> map, int indent, StringBuilder sb) {
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!first) {
                sb.append(" ".repeat(indent));
            }
            first = false;
            sb.append(yamlScalar((String) e.getKey())).append(':');
            yamlValue(e.getValue(), indent, sb);
        }
    }

    private static void yamlValue(Object v, int indent, StringBuilder sb) {
        if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append(" {}\n");
            } else {
                sb.append('\n').append(" ".repeat(indent + 2));
                yamlMapping(m, indent + 2, sb);
            }
        } else if (v instanceof List<?> list) {
            if (list.isEmpty()) {
                sb.append(" []\n");
            } else {
                sb.append('\n');
                for (Object item : list) {
                    sb.append(" ".repeat(indent)).append('-');
                    if (item instanceof Map<?, ?> m && !m.isEmpty()) {
                        sb.append(' ');
                        yamlMapping(m, indent + 2, sb);
                    } else {
                        yamlValue(item, indent, sb);
                    }
                }
            }
        } else {
            sb.append(' ').append(v instanceof String s ? yamlScalar(s) : String.valueOf(v)).append('\n');
        }
    }

    /**
     * Psych's choice of style for a String: double quotes when it starts with a non-word character and holds no
     * {@code "} (so {@code ":foo"} never loads as a Symbol), single quotes when it would load as another type
     * ({@code '1'}, {@code 'true'}, a date) or when libyaml does not allow it plain, plain otherwise.
     */
    static String yamlScalar(String s) {
        if (s.isEmpty()) {
            return "''";
        }
        int first = s.codePointAt(0);
        if (!(Character.isLetterOrDigit(first) || first == '_') && s.indexOf('"') < 0) {
            return doubleQuoted(s);
        }
        if (YAML_INT.matcher(s).matches() || YAML_FLOAT.matcher(s).matches() || YAML_WORD.matcher(s).matches()
                || YAML_TIME.matcher(s).matches() || !plainAllowed(s)) {
            return "'" + s.replace("'", "''") + "'";
        }
        return s;
    }

    private static boolean plainAllowed(String s) {
        if ("-?:,[]{}#&*!|>'\"%@`".indexOf(s.charAt(0)) >= 0 || s.endsWith(":") || s.endsWith(" ") || s.startsWith(" ")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || (c == ':' && i + 1 < s.length() && s.charAt(i + 1) == ' ')
                    || (c == '#' && i > 0 && s.charAt(i - 1) == ' ')) {
                return false;
            }
        }
        return true;
    }

    private static String doubleQuoted(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\x%02X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
