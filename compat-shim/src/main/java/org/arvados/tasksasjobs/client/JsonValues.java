package org.arvados.tasksasjobs.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jackson nodes as plain values (Map, List, String, Long, BigInteger, Double, BigDecimal, Boolean,
 * null), unmodifiable, so records can hold them; the same shapes {@code SerializedHashReader}
 * returns for a stored hash.
 */
final class JsonValues {

    private JsonValues() {}

    static Object plain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                map.put(field.getKey(), plain(field.getValue()));
            }
            return Collections.unmodifiableMap(map);
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(element -> list.add(plain(element)));
            return Collections.unmodifiableList(list);
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.asLong() : node.bigIntegerValue();
        }
        if (node.isBigDecimal()) {
            return node.decimalValue();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        return node.asText();
    }

    /**
     * A hash attribute (script_parameters, task_parameters) as a map: missing or null is empty.
     *
     * @throws IllegalStateException when it is not an object (the gateway renders a stored hash it
     *                               cannot read as its raw text)
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> hash(JsonNode object, String attribute) {
        JsonNode node = object.get(attribute);
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new IllegalStateException(object.path("uuid").asText("(no uuid)") + ": " + attribute
                    + " is not a JSON object (the stored hash could not be read): " + abbreviate(node.toString()));
        }
        return (Map<String, Object>) plain(node);
    }

    static String text(JsonNode object, String attribute) {
        JsonNode node = object.get(attribute);
        return node == null || node.isNull() ? null : node.asText();
    }

    static Long number(JsonNode object, String attribute) {
        JsonNode node = object.get(attribute);
        return node == null || node.isNull() ? null : node.asLong();
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
