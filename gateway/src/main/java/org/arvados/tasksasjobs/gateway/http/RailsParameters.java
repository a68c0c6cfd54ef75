package org.arvados.tasksasjobs.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.arvados.tasksasjobs.gateway.http.ResourceSchema.AttributeType;
import org.arvados.tasksasjobs.gateway.tasks.GatewayException;
import org.arvados.tasksasjobs.shim.PlainJson;

/**
 * A request's parameters as Rails (the Arvados API server's framework) took them, so that every client that
 * worked against it works here (gateway/README.md, "Requests as Rails took them"):
 * <ul>
 * <li>query, form and JSON body parameters are one set, the body winning over the query;</li>
 * <li>the resource's attributes come under its key ({@code job_task}) as an object, or as a JSON text (forms), or,
 *     in a JSON body without that key, as top-level keys that name attributes ({@code wrap_parameters});</li>
 * <li>attributes Rails never assigned from a request ({@code kind}, {@code etag}, {@code href}) are dropped, so a
 *     client can send back the whole object it was given;</li>
 * <li>boolean, integer and float attributes and parameters are cast as ActiveRecord cast them: {@code "1"},
 *     {@code 1}, {@code "true"} are true, {@code "0"}, {@code 0}, {@code "false"} false (crunch-job saved a
 *     failed task with {@code success => 0}), {@code "3"} is 3, and {@code ""} is null.</li>
 * </ul>
 * Anything else that Rails would have cast to something surprising (ActiveRecord made {@code "yes"} true and
 * {@code "3abc"} 3) is refused with 422 instead: a value that means nothing clear is not stored.
 */
final class RailsParameters {

    /** Never attributes: what the API server rendered about an object rather than stored in it. */
    private static final Set<String> RENDERED_ONLY = Set.of("kind", "etag", "href");

    private static final Set<String> TRUE = Set.of("true", "t", "1", "on");
    private static final Set<String> FALSE = Set.of("false", "f", "0", "off");
    private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9]{1,300}(\\.[0-9]{0,300})?|\\.[0-9]{1,300})([eE][-+]?[0-9]{1,3})?");

    private final ObjectNode parameters;
    private final ObjectNode jsonBody;

    private RailsParameters(ObjectNode parameters, ObjectNode jsonBody) {
        this.parameters = parameters;
        this.jsonBody = jsonBody;
    }

    /**
     * @param query the decoded query string
     * @param form the decoded form body, or null
     * @param jsonBody the JSON body object, or null
     */
    static RailsParameters of(Map<String, String> query, Map<String, String> form, ObjectNode jsonBody) {
        ObjectNode parameters = JsonNodeFactory.instance.objectNode();
        query.forEach(parameters::put);
        if (form != null) {
            form.forEach(parameters::put);
        }
        if (jsonBody != null) {
            parameters.setAll(jsonBody);
        }
        return new RailsParameters(parameters, jsonBody);
    }

    /** A parameter as text, as the services take list parameters: a JSON value other than a string as JSON text. */
    String text(String name) {
        JsonNode value = parameters.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isTextual() ? value.asText() : value.toString();
    }

    boolean has(String name) {
        return parameters.has(name) && !parameters.get(name).isNull();
    }

    /** A boolean parameter cast as Rails cast it (absent: null). */
    Boolean bool(String name) throws GatewayException {
        JsonNode value = parameters.get(name);
        return value == null ? null : castBoolean(value, name);
    }

    /**
     * The resource's attributes as the services take them, or null when the request carries none (the service then
     * says what is missing).
     */
    ObjectNode object(ResourceSchema schema) throws GatewayException {
        JsonNode given = parameters.get(schema.objectKey());
        ObjectNode object;
        if (given == null || given.isNull()) {
            object = wrapped(schema);
            if (object == null) {
                return null;
            }
        } else if (given.isObject()) {
            object = ((ObjectNode) given).deepCopy();
        } else if (given.isTextual()) {
            object = (ObjectNode) JsonBody.parseObject(given.asText(), "parameter " + schema.objectKey());
        } else {
            throw new GatewayException(422, schema.objectKey() + " must be an object, not " + PlainJson.kind(given));
        }
        object.remove(RENDERED_ONLY);
        cast(object, schema);
        return object;
    }

    /** Rails's wrap_parameters: a JSON body without the key gives its attribute-named keys as the object. */
    private ObjectNode wrapped(ResourceSchema schema) {
        if (jsonBody == null) {
            return null;
        }
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = jsonBody.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (schema.attributes().containsKey(field.getKey())) {
                object.set(field.getKey(), field.getValue());
            }
        }
        return object.isEmpty() ? null : object;
    }

    private static void cast(ObjectNode object, ResourceSchema schema) throws GatewayException {
        for (String name : List.copyOf(object.properties().stream().map(Map.Entry::getKey).toList())) {
            AttributeType type = schema.attributes().get(name);
            if (type == null) {
                continue; // not an attribute: the service names it in its 422
            }
            JsonNode value = object.get(name);
            String shown = schema.objectKey() + "." + name;
            switch (type) {
                case BOOLEAN -> put(object, name, castBoolean(value, shown));
                case INTEGER -> object.set(name, castInteger(value, shown));
                case FLOAT -> object.set(name, castFloat(value, shown));
                default -> {
                    // strings, times and hashes are checked by the services as sent
                }
            }
        }
    }

    private static void put(ObjectNode object, String name, Boolean value) {
        if (value == null) {
            object.putNull(name);
        } else {
            object.put(name, value);
        }
    }

    private static Boolean castBoolean(JsonNode value, String shown) throws GatewayException {
        if (value.isNull()) {
            return null;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber() && (value.asLong() == 0 || value.asLong() == 1) && value.canConvertToLong()) {
            return value.asLong() == 1;
        }
        if (value.isTextual()) {
            String text = value.asText().strip().toLowerCase(Locale.ROOT);
            if (text.isEmpty()) {
                return null;
            }
            if (TRUE.contains(text)) {
                return true;
            }
            if (FALSE.contains(text)) {
                return false;
            }
        }
        throw new GatewayException(422, shown + " must be true or false (or 1/0, \"true\"/\"false\"), not "
                + describe(value));
    }

    private static JsonNode castInteger(JsonNode value, String shown) throws GatewayException {
        if (value.isNull() || value.isIntegralNumber()) {
            return value;
        }
        // A JSON number past a double's range (1e400) is parsed as an infinity, which has no decimal value.
        if (value.isFloatingPointNumber() && Double.isFinite(value.doubleValue())
                && value.decimalValue().stripTrailingZeros().scale() <= 0
                && value.decimalValue().abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
            return JsonNodeFactory.instance.numberNode(value.decimalValue().longValueExact());
        }
        if (value.isTextual()) {
            String text = value.asText().strip();
            if (text.isEmpty()) {
                return JsonNodeFactory.instance.nullNode();
            }
            if (INTEGER.matcher(text).matches()) {
                return JsonNodeFactory.instance.numberNode(Long.parseLong(text));
            }
        }
        throw new GatewayException(422, shown + " must be an integer, not " + describe(value));
    }

    private static JsonNode castFloat(JsonNode value, String shown) throws GatewayException {
        if (value.isNull() || value.isNumber() && Double.isFinite(value.doubleValue())) {
            return value;
        }
        if (value.isTextual()) {
            String text = value.asText().strip();
            if (text.isEmpty()) {
                return JsonNodeFactory.instance.nullNode();
            }
            if (DECIMAL.matcher(text).matches()) {
                double number = Double.parseDouble(text);
                if (Double.isFinite(number)) {
                    return JsonNodeFactory.instance.numberNode(number);
                }
            }
        }
        throw new GatewayException(422, shown + " must be a number, not " + describe(value));
    }

    private static String describe(JsonNode value) {
        if (value.isTextual()) {
            String text = value.asText();
            return PlainJson.quote(text.length() > 40 ? text.substring(0, 40) + "..." : text);
        }
        return PlainJson.kind(value);
    }
}
