package org.arvados.tasksasjobs.gateway.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.arvados.tasksasjobs.mapping.UnparseableHashException;
import org.arvados.tasksasjobs.mapping.YamlDecoder;

/**
 * Reads {@code api_client_authorizations.scopes}: a JSON list in newer rows, a YAML list ({@code "---\n- all\n"})
 * in Rails-era ones. What they allow is {@link Scopes}'s to decide, per request.
 */
final class TokenScopes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final YamlDecoder yaml;

    TokenScopes(YamlDecoder yaml) {
        this.yaml = yaml;
    }

    /**
     * {@link Scopes#ALL} for NULL or blank text (no restriction recorded); the strings of a list; {@link Scopes#NONE}
     * for text that reads as no list (failing closed). An empty list is no scope: Arvados granted it nothing.
     */
    Scopes read(String text) {
        if (text == null || text.isBlank()) {
            return Scopes.ALL;
        }
        Object value;
        try {
            value = text.strip().startsWith("[") ? JSON.readValue(text, Object.class) : yaml.decode(text);
        } catch (JsonProcessingException | UnparseableHashException e) {
            return Scopes.NONE; // unreadable scopes grant nothing: failing closed is the only safe reading
        }
        if (!(value instanceof List<?> list)) {
            return Scopes.NONE;
        }
        return new Scopes(list.stream().filter(String.class::isInstance).map(String.class::cast).toList());
    }
}
