package org.arvados.tasksasjobs.shim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.arvados.tasksasjobs.mapping.JobColumn;
import org.arvados.tasksasjobs.mapping.JobState;

/**
 * The {@code filters}, {@code where}, {@code order} and {@code select} of an Arvados list, for one resource's
 * attributes: each attribute names the jobs column that holds it and the type of its values, which decides the
 * operators it allows and the values it is compared with. Output is values ({@link JobFilter}, {@link JobOrder},
 * column names), never SQL text. {@link TaskFilters} is this over task attributes; the gateway's jobs endpoint
 * uses it over the columns of jobs, so both endpoints accept and refuse alike, with the same messages.
 *
 * <p>Anything without a translation (an unknown attribute, an operator the attribute's type does not allow, a
 * value of the wrong type) is an {@link InvalidTaskRequestException} naming it. Immutable and thread-safe.
 */
public final class AttributeFilters {

    /** What values an attribute holds, which decides the operators it allows. */
    public enum Type {
        UUID(Set.of("=", "!=", "<", "<=", ">", ">=", "in", "not in", "like", "ilike", "is_a")),
        TEXT(Set.of("=", "!=", "<", "<=", ">", ">=", "in", "not in", "like", "ilike")),
        /** A serialized hash: only text search over its stored form makes sense. */
        SERIALIZED(Set.of("like", "ilike")),
        INTEGER(Set.of("=", "!=", "<", "<=", ">", ">=", "in", "not in")),
        FLOAT(Set.of("=", "!=", "<", "<=", ">", ">=", "in", "not in")),
        TIME(Set.of("=", "!=", "<", "<=", ">", ">=", "in", "not in")),
        BOOLEAN(Set.of("=", "!=", "in", "not in")),
        /**
         * A task's success: no column of its own, it is the job's state read the way
         * {@code TaskJobMapping.toTaskRow} reads it (Complete: true; Failed: false; Queued, Running, Cancelled:
         * NULL), so a filter on it becomes a filter on state over exactly those states. The mapping always sets
         * state, so the complement of a state set is exact. Ordering by it has no translation.
         */
        SUCCESS(Set.of("=", "!=", "in", "not in"));

        private final Set<String> operators;

        Type(Set<String> operators) {
            this.operators = operators;
        }

        /** The type of a column of jobs, from what the column table says it holds. */
        public static Type of(JobColumn column) {
            return switch (column.content()) {
                case UUID -> UUID;
                case SERIALIZED -> SERIALIZED;
                case PLAIN -> switch (column.type()) {
                    case VARCHAR, LONG_VARCHAR, TEXT -> TEXT;
                    case INTEGER, BIGINT -> INTEGER;
                    case DOUBLE -> FLOAT;
                    case TIMESTAMP -> TIME;
                    case BOOLEAN -> BOOLEAN;
                };
            };
        }
    }

    /** An attribute as the API names it: the column that holds it and its type. */
    public record Attribute(String column, Type type) {
        public Attribute {
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(type, "type");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Work bounded before any SQL is sent: more filters than this, or more order or select entries than
     * {@link #MAX_TERMS}, are refused (a client sending 30,000 filters once kept PostgreSQL busy for half a minute).
     */
    public static final int MAX_FILTERS = 1000;
    public static final int MAX_TERMS = 100;

    private final String noun;
    private final String tablePrefix;
    private final String exampleKind;
    private final Map<String, Attribute> attributes;

    /**
     * @param noun        what the attributes belong to in messages, e.g. "job_task"
     * @param tablePrefix a prefix clients may put before an attribute name, e.g. "job_tasks."
     * @param exampleKind the kind an is_a message suggests, e.g. "arvados#jobTask"
     * @param attributes  attribute name -> column and type
     */
    public AttributeFilters(String noun, String tablePrefix, String exampleKind, Map<String, Attribute> attributes) {
        this.noun = Objects.requireNonNull(noun, "noun");
        this.tablePrefix = Objects.requireNonNull(tablePrefix, "tablePrefix");
        this.exampleKind = Objects.requireNonNull(exampleKind, "exampleKind");
        this.attributes = Map.copyOf(attributes);
    }

    /** The column an attribute is stored in, or null for an unknown attribute. */
    public String columnOf(String attribute) {
        Attribute known = attributes.get(attribute);
        return known == null ? null : known.column();
    }

    /** {@code filters} as the query parameter's text: a JSON array of {@code [attribute, operator, value]}. */
    public List<JobFilter> filters(String text) throws InvalidTaskRequestException {
        return filters(json("filters", text));
    }

    public List<JobFilter> filters(JsonNode filters) throws InvalidTaskRequestException {
        if (filters == null || filters.isNull()) {
            return List.of();
        }
        if (!filters.isArray()) {
            throw new InvalidTaskRequestException("filters must be an array of [attribute, operator, value], not " + PlainJson.kind(filters));
        }
        if (filters.size() > MAX_FILTERS) {
            throw new InvalidTaskRequestException("at most " + MAX_FILTERS + " filters, not " + filters.size());
        }
        List<JobFilter> out = new ArrayList<>();
        for (JsonNode filter : filters) {
            out.add(filter(filter));
        }
        return List.copyOf(out);
    }

    /**
     * {@code where} as the query parameter's text: a JSON object of attribute -> value, each entry
     * checked by the rules of {@link #filters} ({@link WhereParameter}).
     */
    public List<JobFilter> where(String text) throws InvalidTaskRequestException {
        return filters(WhereParameter.asFilters(text));
    }

    public List<JobFilter> where(JsonNode where) throws InvalidTaskRequestException {
        return filters(WhereParameter.asFilters(where));
    }

    /**
     * {@code order} as the query parameter's text: a JSON array of strings, or one string, each
     * "attribute" or "attribute asc|desc"; a comma-separated plain string is taken too, as the
     * API server took it. An attribute may carry the table prefix.
     */
    public List<JobOrder> order(String text) throws InvalidTaskRequestException {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("[") || trimmed.startsWith("\"")) {
            return order(json("order", trimmed));
        }
        String[] terms = trimmed.split(",");
        if (terms.length > MAX_TERMS) {
            throw new InvalidTaskRequestException("at most " + MAX_TERMS + " order terms, not " + terms.length);
        }
        List<JobOrder> out = new ArrayList<>();
        for (String term : terms) {
            out.add(orderTerm(term));
        }
        return List.copyOf(out);
    }

    public List<JobOrder> order(JsonNode order) throws InvalidTaskRequestException {
        if (order == null || order.isNull()) {
            return List.of();
        }
        if (order.isTextual()) {
            return order(order.asText());
        }
        if (!order.isArray()) {
            throw new InvalidTaskRequestException("order must be a string or an array of strings, not " + PlainJson.kind(order));
        }
        if (order.size() > MAX_TERMS) {
            throw new InvalidTaskRequestException("at most " + MAX_TERMS + " order terms, not " + order.size());
        }
        List<JobOrder> out = new ArrayList<>();
        for (JsonNode term : order) {
            if (!term.isTextual()) {
                throw new InvalidTaskRequestException("order term must be a string such as \"created_at desc\", not " + PlainJson.kind(term));
            }
            out.add(orderTerm(term.asText()));
        }
        return List.copyOf(out);
    }

    /** {@code select} as the query parameter's text: a JSON array of attribute names. */
    public List<String> select(String text) throws InvalidTaskRequestException {
        return select(json("select", text));
    }

    /** The columns that hold the selected attributes, in order, each once ("kind" is held by none). */
    public List<String> select(JsonNode select) throws InvalidTaskRequestException {
        if (select == null || select.isNull()) {
            return List.of();
        }
        if (!select.isArray()) {
            throw new InvalidTaskRequestException("select must be an array of attribute names, not " + PlainJson.kind(select));
        }
        if (select.size() > MAX_TERMS) {
            throw new InvalidTaskRequestException("at most " + MAX_TERMS + " select entries, not " + select.size());
        }
        Set<String> columns = new LinkedHashSet<>();
        for (JsonNode name : select) {
            if (!name.isTextual()) {
                throw new InvalidTaskRequestException("select entry must be an attribute name, not " + PlainJson.kind(name));
            }
            if (name.asText().equals("kind")) {
                continue; // always rendered, held by no column
            }
            columns.add(attribute("select", name.asText()).column());
        }
        return List.copyOf(columns);
    }

    /** {@code select} as the attributes to render ({@link Selection}), every name checked. */
    public Selection selection(String text) throws InvalidTaskRequestException {
        Selection selection = Selection.parse(text);
        for (String name : selection.attributes()) {
            if (!name.equals("kind")) {
                attribute("select", name);
            }
        }
        return selection;
    }

    private JobFilter filter(JsonNode filter) throws InvalidTaskRequestException {
        if (!filter.isArray() || filter.size() != 3 || !filter.get(0).isTextual() || !filter.get(1).isTextual()) {
            throw new InvalidTaskRequestException("filter " + echo(filter) + " is not [attribute, operator, value]");
        }
        String name = filter.get(0).asText();
        String op = filter.get(1).asText().toLowerCase();
        JsonNode operand = filter.get(2);
        Attribute attribute = attribute("filter on", unprefixed(name));
        if (!JobFilter.OPERATORS.contains(op)) {
            throw new InvalidTaskRequestException("filter " + echo(filter) + ": unknown operator " + PlainJson.quote(filter.get(1).asText()));
        }
        if (!attribute.type().operators.contains(op)) {
            throw new InvalidTaskRequestException("filter " + echo(filter) + ": operator \"" + op + "\" is not allowed on " + name);
        }
        if (attribute.type() == Type.SUCCESS) {
            return successFilter(filter, attribute.column(), op, operand);
        }
        Object value;
        switch (op) {
            case "in", "not in" -> {
                if (!operand.isArray()) {
                    throw new InvalidTaskRequestException("filter " + echo(filter) + ": operator \"" + op + "\" needs an array");
                }
                List<Object> values = new ArrayList<>();
                for (JsonNode element : operand) {
                    if (element.isNull()) {
                        throw new InvalidTaskRequestException("filter " + echo(filter) + ": null in an \"" + op + "\" list matches nothing; use = or !=");
                    }
                    values.add(scalar(filter, name, attribute.type(), element));
                }
                value = values;
            }
            case "is_a" -> {
                List<Object> kinds = new ArrayList<>();
                for (JsonNode element : operand.isArray() ? operand : JSON.createArrayNode().add(operand)) {
                    if (!element.isTextual() || !element.asText().startsWith("arvados#")) {
                        throw new InvalidTaskRequestException("filter " + echo(filter) + ": is_a needs a kind such as \"" + exampleKind + "\"");
                    }
                    kinds.add(element.asText());
                }
                value = kinds;
            }
            case "like", "ilike" -> {
                if (!operand.isTextual()) {
                    throw new InvalidTaskRequestException("filter " + echo(filter) + ": operator \"" + op + "\" needs a string pattern");
                }
                if (endsInEscape(operand.asText())) {
                    // PostgreSQL refuses such a pattern only when it compares it with a row, so the answer would
                    // depend on the data: refused here, always.
                    throw new InvalidTaskRequestException("filter " + echo(filter) + ": the pattern ends with the escape"
                            + " character \\, which escapes nothing; write \\\\ for a literal backslash");
                }
                value = operand.asText();
            }
            default -> {
                if (operand.isNull() && !op.equals("=") && !op.equals("!=")) {
                    throw new InvalidTaskRequestException("filter " + echo(filter) + ": null can only be compared with = or !=");
                }
                value = operand.isNull() ? null : scalar(filter, name, attribute.type(), operand);
            }
        }
        return new JobFilter(attribute.column(), op, value);
    }

    /**
     * success = v becomes state IN (the states whose task success is v); != and not in take the
     * complement. {@code success = true} is the single state Complete and is written as "=".
     */
    private static JobFilter successFilter(JsonNode filter, String column, String op, JsonNode operand)
            throws InvalidTaskRequestException {
        EnumSet<JobState> states = EnumSet.noneOf(JobState.class);
        if (op.equals("in") || op.equals("not in")) {
            if (!operand.isArray()) {
                throw new InvalidTaskRequestException("filter " + echo(filter) + ": operator \"" + op + "\" needs an array");
            }
            for (JsonNode element : operand) {
                states.addAll(statesWithSuccess(filter, element));
            }
        } else {
            states.addAll(statesWithSuccess(filter, operand));
        }
        if (op.equals("!=") || op.equals("not in")) {
            states = EnumSet.complementOf(states);
        }
        if (states.size() == 1) {
            return new JobFilter(column, "=", states.iterator().next().text());
        }
        List<Object> texts = new ArrayList<>();
        for (JobState state : states) {
            texts.add(state.text());
        }
        return new JobFilter(column, "in", texts);
    }

    /** A filter as messages quote it: whole when short, its first 200 characters otherwise (an in-list may be huge). */
    private static String echo(JsonNode filter) {
        String text = filter.toString();
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    /** Whether a LIKE pattern's last backslash escapes nothing (backslash is LIKE's escape; two make a literal one). */
    private static boolean endsInEscape(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            if (pattern.charAt(i) == '\\') {
                if (i + 1 == pattern.length()) {
                    return true;
                }
                i++; // the escaped character, whatever it is
            }
        }
        return false;
    }

    private static Set<JobState> statesWithSuccess(JsonNode filter, JsonNode value) throws InvalidTaskRequestException {
        if (value.isNull()) {
            return EnumSet.of(JobState.QUEUED, JobState.RUNNING, JobState.CANCELLED);
        }
        if (!value.isBoolean()) {
            throw new InvalidTaskRequestException("filter " + echo(filter) + ": success is compared with true, false or null, not " + PlainJson.kind(value));
        }
        return value.booleanValue() ? EnumSet.of(JobState.COMPLETE) : EnumSet.of(JobState.FAILED);
    }

    private static Object scalar(JsonNode filter, String name, Type type, JsonNode value) throws InvalidTaskRequestException {
        switch (type) {
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
            default -> throw new IllegalStateException("no scalar values for " + type);
        }
        throw new InvalidTaskRequestException("filter " + echo(filter) + ": " + name + " is compared with "
                + switch (type) {
                    case UUID, TEXT -> "a string";
                    case INTEGER -> "an integer";
                    case FLOAT -> "a number";
                    case BOOLEAN -> "true or false";
                    default -> "an ISO 8601 time";
                } + ", not " + PlainJson.kind(value));
    }

    private JobOrder orderTerm(String term) throws InvalidTaskRequestException {
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
        String name = unprefixed(words[0]);
        Attribute attribute = attribute("order by", name);
        if (attribute.type() == Type.SUCCESS) {
            throw new InvalidTaskRequestException("cannot order by " + name + ": it is derived from the job state and has no column");
        }
        return new JobOrder(attribute.column(), descending);
    }

    private String unprefixed(String name) {
        return name.startsWith(tablePrefix) ? name.substring(tablePrefix.length()) : name;
    }

    private Attribute attribute(String use, String name) throws InvalidTaskRequestException {
        Attribute attribute = attributes.get(name);
        if (attribute == null) {
            throw new InvalidTaskRequestException("cannot " + use + " unknown " + noun + " attribute " + PlainJson.quote(name));
        }
        return attribute;
    }

    /** A parameter's JSON text, parsed and held to {@link TextRules}; null when blank. */
    static JsonNode json(String parameter, String text) throws InvalidTaskRequestException {
        if (text == null || text.isBlank()) {
            return null;
        }
        JsonNode value;
        try {
            value = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidTaskRequestException(parameter + " is not JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
        String problem = value == null ? null : TextRules.problem(value);
        if (problem != null) {
            throw new InvalidTaskRequestException(parameter + ": " + problem);
        }
        return value;
    }
}
