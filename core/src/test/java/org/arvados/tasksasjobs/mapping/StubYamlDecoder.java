package org.arvados.tasksasjobs.mapping;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A YAML decoder for tests of the modules that have no YAML parser (core, compat-shim, through core's test jar):
 * understands the few shapes the API server's Psych wrote for flat hashes.
 * <pre>
 * --- {}                        an empty hash
 * --- 'text'                    a string (a double-encoded row)
 * ---                           then lines of
 * key: 'quoted ''text'''          a string
 * key: 12                         an integer (Long)
 * </pre>
 * Anything else is refused, as a real decoder refuses malformed YAML.
 */
public final class StubYamlDecoder implements YamlDecoder {

    @Override
    public Object decode(String yaml) throws UnparseableHashException {
        if (yaml.equals("--- {}\n")) {
            return new LinkedHashMap<String, Object>();
        }
        if (yaml.startsWith("--- '") && yaml.endsWith("'\n")) {
            return unquote(yaml.substring(4, yaml.length() - 1));
        }
        if (!yaml.startsWith("---\n")) {
            throw new UnparseableHashException("stub YAML: unsupported document start");
        }
        Map<String, Object> hash = new LinkedHashMap<>();
        for (String line : yaml.substring(4).split("\n")) {
            int colon = line.indexOf(": ");
            if (colon < 0) {
                throw new UnparseableHashException("stub YAML: no key in line");
            }
            String key = line.substring(0, colon);
            String value = line.substring(colon + 2);
            hash.put(key.startsWith("'") ? unquote(key) : key,
                    value.startsWith("'") ? unquote(value) : (Object) Long.parseLong(value));
        }
        return hash;
    }

    /** Psych's single-quoted form of a string; the inverse of {@link #unquote}. */
    public static String quote(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static String unquote(String quoted) throws UnparseableHashException {
        if (quoted.length() < 2 || !quoted.endsWith("'")) {
            throw new UnparseableHashException("stub YAML: unterminated quote");
        }
        return quoted.substring(1, quoted.length() - 1).replace("''", "'");
    }
}
