package org.arvados.tasksasjobs.gateway.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.arvados.tasksasjobs.shim.ApiTimestamps;
import org.arvados.tasksasjobs.shim.InvalidTaskRequestException;
import org.arvados.tasksasjobs.shim.JobFilter;
import org.arvados.tasksasjobs.shim.JobOrder;
import org.arvados.tasksasjobs.shim.PlainJson;
import org.arvados.tasksasjobs.shim.Selection;
import org.arvados.tasksasjobs.shim.WhereParameter;

/**
 * The {@code filters}, {@code where}, {@code order} and {@code select} of a jobs list: attributes are the columns of
 * jobs themselves ({@link JobColumns}), with the operators their type allows (serialized hashes: like and ilike
 * only). The jobs-endpoint counterpart of {@code TaskFilters}, with the same messages, so both endpoints refuse
 * alike; output is values, never SQL.
 */
final class JobFilters {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JobFilters() {}

    static List<JobFilter> filters(String text) throws InvalidTaskRequestException {
        return filters(json("filters", text));
    }

    static List<JobFilter> where(String text) throws InvalidTaskRequestException {
        return filters(WhereParameter.asFilters(text));
    }

    static List<JobFilter> filters(JsonNode filters) throws InvalidTaskRequestException {
        if (filters == null || filters.isNull()) {
            return List.of();
        }
        if (!filters.isArray()) {
            throw new InvalidTaskRequestException("filters must be an array of [attribute, operator, value], not " + PlainJson.kind(filters));
        }
        List<JobFilter> out = new ArrayList<>();
        for (JsonNode filter : filters) {
            out.add(filter(filter));
        }
        return List.copyOf(out);
    }

    /** A JSON array of strings, one string, or a comma-separated plain string; "attribute [asc|desc]" each. */
    static List<JobOrder> order(String text) throws InvalidTaskRequestException {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        String trimmed = text.strip();
        List<String> terms = new ArrayList<>();
        if (trimmed.startsWith("[") || trimmed.startsWith("\"")) {
            JsonNode order = json("order", trimmed);
            if (order.isTextual()) {
                terms.addAll(List.of(order.asText().split(",")));
            } else if (order.isArray()) {
                for (JsonNode term : order) {
                    if (!term.isTextual()) {
                        throw new InvalidTaskRequestException("order term must be a string such as \"created_at desc\", not " + PlainJson.kind(term));
                    }
                    terms.add(term.asText());
                }
            } else {
                throw new InvalidTaskRequestException("order must be a string or an array of strings, not " + PlainJson.kind(order));
            }
        } else {
            terms.addAll(List.of(trimmed.split(",")));
        }
        List<JobOrder> out = new ArrayList<>();
        for (String term : terms) {
            out.add(orderTerm(term));
        }
        return List.copyOf(out);
    }

    /** The select parameter, every name checked against the columns ("kind" is always rendered). */
    static Selection select(String text) throws InvalidTaskRequestException {
        Selection selection = Selection.parse(text);
        for (String name : selection.attributes()) {
            if (!name.equals("kind")) {
                column("select", name);
            }
        }
        return selection;
    }

    private static JobFilter filter(JsonNode filter) throws InvalidTaskRequestException {
        if (!filter.isArray() || filter.size() != 3 || !filter.get(0).isTextual() || !filter.get(1).isTextual()) {
            throw new InvalidTaskRequestException("filter " + filter + " is not [attribute, operator, value]");
        }
        String name = filter.get(0).asText();
        String op = filter.get(1).asText().toLowerCase();
        JsonNode operand = filter.get(2);
        JobColumns.Column column = column("filter on", name.startsWith("jobs.") ? name.substring(5) : name);
        if (!JobFilter.OPERATORS.contains(op)) {
            throw new InvalidTaskRequestException("filter " + filter + ": unknown operator " + PlainJson.quote(filter.get(1).asText()));
        }
        if (!column.type().operators.contains(op)) {
            throw new InvalidTaskRequestException("filter " + filter + ": operator \"" + op + "\" is not allowed on " + column.name());
        }
        Object value;
        switch (op) {
            case "in", "not in" -> {
                if (!operand.isArray()) {
                    throw new InvalidTaskRequestException("filter " + filter + ": operator \"" + op + "\" needs an array");
                }
                List<Object> values = new ArrayList<>();
                for (JsonNode element : operand) {
                    if (element.isNull()) {
                        throw new InvalidTaskRequestException("filter " + filter + ": null in an \"" + op + "\" list matches nothing; use = or !=");
                    }
                    values.add(scalar(filter, column, element));
                }
                value = values;
            }
            case "is_a" -> {
                List<Object> kinds = new ArrayList<>();
                for (JsonNode element : operand.isArray() ? operand : JSON.createArrayNode().add(operand)) {
                    if (!element.isTextual() || !element.asText().startsWith("arvados#")) {
                        throw new InvalidTaskRequestException("filter " + filter + ": is_a needs a kind such as \"arvados#job\"");
                    }
                    kinds.add(element.asText());
                }
                value = kinds;
            }
            case "like", "ilike" -> {
                if (!operand.isTextual()) {
                    throw new InvalidTaskRequestException("filter " + filter + ": operator \"" + op + "\" needs a string pattern");
                }
                value = operand.asText();
            }
            default -> {
                if (operand.isNull() && !op.equals("=") && !op.equals("!=")) {
                    throw new InvalidTaskRequestException("filter " + filter + ": null can only be compared with = or !=");
                }
                value = operand.isNull() ? null : scalar(filter, column, operand);
            }
        }
        return new JobFilter(column.name(), op, value);
    }

    private static Object scalar(JsonNode filter, JobColumns.Column column, JsonNode value) throws InvalidTaskRequestException {
        switch (column.type()) {
            case UUID, TEXT -> {
                if (value.isTextual()) {
                    return value.asText();
                }
            }
            case INTEGER -> {
                if (value.isIntegralNumber() && value.canConvertToLong()) {
                    return value.longValue();
                }
            }
            case FLOAT -> {
                if (value.isNumber() && Double.isFinite(value.doubleValue())) {
                    return value.doubleValue();
                }
            }
            case BOOLEAN -> {
                if (value.isBoolean()) {
                    return value.booleanValue();
                }
            }
            case TIME -> {
                LocalDateTime time = value.isTextual() ? ApiTimestamps.read(value.asText()) : null;
                if (time != null) {
                    return time;
                }
            }
            default -> throw new IllegalStateException("no scalar values for " + column.type());
        }
        throw new InvalidTaskRequestException("filter " + filter + ": " + column.name() + " is compared with "
                + switch (column.type()) {
                    case UUID, TEXT -> "a string";
                    case INTEGER -> "an integer";
                    case FLOAT -> "a number";
                    case BOOLEAN -> "true or false";
                    default -> "an ISO 8601 time";
                } + ", not " + PlainJson.kind(value));
    }

    private static JobOrder orderTerm(String term) throws InvalidTaskRequestException {
        String[] words = term.strip().split("\\s+");
        if (words.length == 0 || words.length > 2 || words[0].isEmpty()) {
            throw new InvalidTaskRequestException("order term " + PlainJson.quote(term) + " is not \"attribute [asc|desc]\"");
        }
        boolean descending = false;
        if (words.length == 2) {
            switch (words[1].toLowerCase()) {
                case "asc" -> descending = false;
                case "desc" -> descending = true;
                default -> throw new InvalidTaskRequestException("order term " + PlainJson.quote(term) + ": direction must be asc or desc");
            }
        }
        String name = words[0].startsWith("jobs.") ? words[0].substring("jobs.".length()) : words[0];
        return new JobOrder(column("order by", name).name(), descending);
    }

    private static JobColumns.Column column(String use, String name) throws InvalidTaskRequestException {
        JobColumns.Column column = JobColumns.named(name);
        if (column == null) {
            throw new InvalidTaskRequestException("cannot " + use + " unknown job attribute " + PlainJson.quote(name));
        }
        return column;
    }

    private static JsonNode json(String parameter, String text) throws InvalidTaskRequestException {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidTaskRequestException(parameter + " is not JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
    }
}
