package org.arvados.tasksasjobs.shim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * What text a request may carry into the database: none with a NUL (PostgreSQL's text cannot hold one, and would
 * refuse the statement) and none with a lone UTF-16 surrogate (UTF-8 cannot encode one; the driver would store a
 * '?' in its place, altering the value without a word). Such text is refused with a message, never stored
 * altered. One rule for every way text arrives: query and form parameters, JSON bodies, JSON inside parameters.
 */
public final class TextRules {

    private TextRules() {
    }

    /** Why {@code text} cannot be taken, as a phrase ("contains a NUL character"), or null when it can. */
    public static String problem(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\0') {
                return "contains a NUL character";
            }
            if (Character.isHighSurrogate(ch) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(ch)) {
                return "contains a lone UTF-16 surrogate (\\u" + Integer.toHexString(ch) + "), which is not a character";
            }
        }
        return null;
    }

    /** As {@link #problem(CharSequence)} for every string and key in a JSON value, walked without recursion. */
    public static String problem(JsonNode value) {
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(value);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node.isTextual()) {
                String problem = problem(node.textValue());
                if (problem != null) {
                    return "a string " + problem;
                }
            } else if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    String problem = problem(field.getKey());
                    if (problem != null) {
                        return "a key " + problem;
                    }
                    pending.push(field.getValue());
                }
            } else if (node.isArray()) {
                node.forEach(pending::push);
            }
        }
        return null;
    }
}
