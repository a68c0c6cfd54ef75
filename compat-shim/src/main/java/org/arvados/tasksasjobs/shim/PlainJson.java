package org.arvados.tasksasjobs.shim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Plain values (what {@code SerializedHashReader} returns: Map, List, String, Boolean, null, Long,
 * BigInteger, Double) as Jackson nodes. Built by hand rather than through {@code valueToTree} so
 * that number types are exactly the ones given: a value rendered here and read back through
 * {@code SerializedHashReader} is equal to what went in. Public so that the gateway renders the serialized
 * hashes of {@code arvados#job} objects, and quotes values in its messages, the same way.
 */
public final class PlainJson {

    public static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private PlainJson() {}

    public static JsonNode toNode(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof String text) {
            return NODES.textNode(text);
        }
        if (value instanceof Boolean flag) {
            return NODES.booleanNode(flag);
        }
        if (value instanceof Long number) {
            return NODES.numberNode(number);
        }
        if (value instanceof Integer number) {
            return NODES.numberNode(number.longValue());
        }
        if (value instanceof BigInteger number) {
            return NODES.numberNode(number);
        }
        if (value instanceof Double number) {
            return NODES.numberNode(number);
        }
        if (value instanceof Map<?, ?> hash) {
            ObjectNode object = NODES.objectNode();
            for (Map.Entry<?, ?> entry : hash.entrySet()) {
                object.set((String) entry.getKey(), toNode(entry.getValue()));
            }
            return object;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode();
            for (Object element : list) {
                array.add(toNode(element));
            }
            return array;
        }
        throw new IllegalArgumentException("not a plain JSON value: " + value.getClass().getName());
    }

    /** {@code text} as a JSON string literal: quoted, with newlines and controls escaped, so messages stay one line. */
    public static String quote(String text) {
        return NODES.textNode(text).toString();
    }

    /** A short name of a node's JSON type, for error messages. */
    public static String kind(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isIntegralNumber()) {
            return "an integer";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isArray()) {
            return "an array";
        }
        return node.isObject() ? "an object" : node.getNodeType().toString().toLowerCase();
    }
}
