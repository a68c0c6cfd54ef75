package org.arvados.tasksasjobs.shim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The {@code where} list parameter (a JSON object of attribute -> value), rewritten as the
 * {@code filters} it stands for, so that one translation (TaskFilters for tasks, the gateway's
 * for jobs) checks attributes, operators and value types for both: a null value is
 * {@code [attr, "=", null]} (IS NULL), an array {@code [attr, "in", array]}, anything else
 * {@code [attr, "=", value]}.
 */
public final class WhereParameter {

    private WhereParameter() {}

    /** The filter triples of the parameter's raw text; an empty array when absent (null or blank). */
    public static ArrayNode asFilters(String text) throws InvalidTaskRequestException {
        return asFilters(AttributeFilters.json("where", text));
    }

    public static ArrayNode asFilters(JsonNode where) throws InvalidTaskRequestException {
        ArrayNode filters = PlainJson.NODES.arrayNode();
        if (where == null || where.isNull()) {
            return filters;
        }
        if (!where.isObject()) {
            throw new InvalidTaskRequestException("where must be an object of attribute -> value, not " + PlainJson.kind(where));
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = where.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            filters.addArray()
                    .add(field.getKey())
                    .add(value.isArray() ? "in" : "=")
                    .add(value);
        }
        return filters;
    }
}
