package org.arvados.tasksasjobs.mapping;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which of the parent job's script_parameters keys a task inherits, per script name (the
 * {@code --inherit-policy FILE}). Scripts not listed inherit every key; a listed script inherits
 * only the listed keys (an empty list: none). Immutable.
 */
public final class InheritPolicy {

    /** Every script inherits every key: the contract's default. */
    public static final InheritPolicy ALL = new InheritPolicy(Map.of());

    private final Map<String, List<String>> keysByScript;

    private InheritPolicy(Map<String, List<String>> keysByScript) {
        this.keysByScript = keysByScript;
    }

    /** The narrowed scripts and the parent keys each inherits; scripts not in it inherit every key. Immutable. */
    public Map<String, List<String>> keysByScript() {
        return keysByScript;
    }

    public static InheritPolicy of(Map<String, List<String>> keysByScript) {
        Objects.requireNonNull(keysByScript, "keysByScript");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> entry : keysByScript.entrySet()) {
            String script = entry.getKey();
            if (script == null) {
                throw new IllegalArgumentException("inherit policy: script name is null");
            }
            if (entry.getValue() == null) {
                throw new IllegalArgumentException("inherit policy: keys of script \"" + script + "\" are null");
            }
            LinkedHashSet<String> keys = new LinkedHashSet<>();
            for (String key : entry.getValue()) {
                if (key == null) {
                    throw new IllegalArgumentException("inherit policy: script \"" + script + "\" lists a null key");
                }
                keys.add(key);
            }
            copy.put(script, List.copyOf(keys));
        }
        return new InheritPolicy(Collections.unmodifiableMap(copy));
    }

    /**
     * Reads {@code {"hash": ["input", "algorithm"], ...}}.
     *
     * @throws IllegalArgumentException with a one-line message naming what is wrong
     */
    public static InheritPolicy parse(String json) {
        if (json == null) {
            throw new IllegalArgumentException("inherit policy: no text");
        }
        Object value;
        try {
            value = JsonText.parse(json);
        } catch (UnparseableHashException e) {
            throw new IllegalArgumentException("inherit policy: " + e.getMessage(), e);
        }
        if (!(value instanceof Map<?, ?> hash)) {
            throw new IllegalArgumentException(
                    "inherit policy: expected a JSON object of script name -> list of keys, not " + describe(value));
        }
        Map<String, List<String>> keysByScript = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : hash.entrySet()) {
            String script = (String) entry.getKey();
            if (!(entry.getValue() instanceof List<?> list)) {
                throw new IllegalArgumentException("inherit policy: script \"" + script
                        + "\" must map to a list of key names, not " + describe(entry.getValue()));
            }
            List<String> keys = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                if (!(list.get(i) instanceof String key)) {
                    throw new IllegalArgumentException("inherit policy: key #" + (i + 1) + " of script \"" + script
                            + "\" must be a string, not " + describe(list.get(i)));
                }
                keys.add(key);
            }
            keysByScript.put(script, keys);
        }
        return of(keysByScript);
    }

    /**
     * The part of the parent's parameters that a task of {@code script} inherits, in the parent's
     * order, as a new map the caller may change.
     */
    public Map<String, Object> inherited(String script, Map<String, Object> parentParameters) {
        Map<String, Object> inherited = new LinkedHashMap<>(parentParameters);
        List<String> keys = script == null ? null : keysByScript.get(script);
        if (keys != null) {
            inherited.keySet().retainAll(keys);
        }
        return inherited;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InheritPolicy policy && policy.keysByScript.equals(keysByScript);
    }

    @Override
    public int hashCode() {
        return keysByScript.hashCode();
    }

    @Override
    public String toString() {
        return keysByScript.isEmpty() ? "InheritPolicy[all keys]" : "InheritPolicy" + keysByScript;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof List<?>) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        return value instanceof Boolean ? "a boolean" : "a number";
    }
}
