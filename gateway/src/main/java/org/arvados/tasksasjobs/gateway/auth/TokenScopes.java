package org.arvados.tasksasjobs.gateway.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.arvados.tasksasjobs.mapping.UnparseableHashException;
import org.arvados.tasksasjobs.mapping.YamlDecoder;

/**
 * Reads {@code api_client_authorizations.scopes}: a JSON list in newer rows, a YAML list ({@code "---\n- all\n"})
 * in Rails-era ones. The gateway serves job and task calls only, which Arvados grants only to the scope
 * {@code "all"}; a narrower list (say {@code ["GET /arvados/v1/collections"]}) does not cover them.
 */
final class TokenScopes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final YamlDecoder yaml;

    TokenScopes(YamlDecoder yaml) {
        this.yaml = yaml;
    }

    /**
     * True when the scopes text is NULL or blank (no restriction recorded) or a list containing "all".
     * Text that reads as neither, or an empty list (Arvados: no scope, no access), does not allow.
     */
    boolean allowAll(String text) {
        if (text == null || text.isBlank()) {
            return true;
        }
        Object value;
        try {
            value = text.strip().startsWith("[") ? JSON.readValue(text, Object.class) : yaml.decode(text);
        } catch (JsonProcessingException | UnparseableHashException e) {
            return false; // unreadable scopes grant nothing: failing closed is the only safe reading
        }
        return value instanceof List<?> list && list.contains("all");
    }
}
