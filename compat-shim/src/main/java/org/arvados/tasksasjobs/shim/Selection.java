package org.arvados.tasksasjobs.shim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code select} list parameter applied to rendered objects: only the selected attributes are
 * kept, plus "kind", which Arvados always returned. Which names exist is the endpoint's business
 * ({@link TaskFilters#select} for tasks); this class only trims.
 *
 * @param attributes the selected attribute names in request order, each once; empty = everything
 */
public record Selection(List<String> attributes) {

    /** No select parameter: every attribute. */
    public static final Selection ALL = new Selection(List.of());

    private static final ObjectMapper JSON = new ObjectMapper();

    public Selection {
        attributes = List.copyOf(new LinkedHashSet<>(Objects.requireNonNull(attributes, "attributes")));
    }

    /**
     * The names in the parameter's raw text, a JSON array of strings; {@link #ALL} when absent.
     *
     * @throws InvalidTaskRequestException when the text is not a JSON array of strings
     */
    public static Selection parse(String text) throws InvalidTaskRequestException {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        JsonNode select;
        try {
            select = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidTaskRequestException("select is not JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
        if (select == null || select.isNull()) {
            return ALL;
        }
        if (!select.isArray()) {
            throw new InvalidTaskRequestException("select must be an array of attribute names, not " + PlainJson.kind(select));
        }
        List<String> names = new ArrayList<>();
        for (JsonNode name : select) {
            if (!name.isTextual()) {
                throw new InvalidTaskRequestException("select entry must be an attribute name, not " + PlainJson.kind(name));
            }
            names.add(name.asText());
        }
        return new Selection(names);
    }

    public boolean isAll() {
        return attributes.isEmpty();
    }

    /** {@code rendered} itself when everything is selected, else a copy holding kind and the selected attributes. */
    public ObjectNode apply(ObjectNode rendered) {
        if (isAll()) {
            return rendered;
        }
        Set<String> keep = new LinkedHashSet<>();
        keep.add("kind");
        keep.addAll(attributes);
        ObjectNode out = PlainJson.NODES.objectNode();
        for (String name : keep) {
            JsonNode value = rendered.get(name);
            if (value != null) {
                out.set(name, value);
            }
        }
        return out;
    }
}
