package org.arvados.tasksasjobs.gateway.auth;

import java.util.List;
import java.util.Objects;

/**
 * A token's scopes, decided as the Arvados API server decided them
 * ({@code ApiClientAuthorization#scopes_allow_request?}): a request is allowed when a scope is {@code "all"}, is
 * exactly {@code "METHOD /path"}, or ends with {@code /} and prefixes it. The method is the one the request means
 * (after {@code _method} and {@code X-HTTP-Method-Override}); a HEAD is also allowed by a GET scope. No scope
 * allows nothing.
 *
 * @param granted the scope strings, in the order the token lists them
 */
public record Scopes(List<String> granted) {

    /** No restriction: a NULL or blank scopes column, and every token of a tokens file. */
    public static final Scopes ALL = new Scopes(List.of("all"));

    /** Nothing: an empty list, or scopes text that cannot be read (failing closed). */
    public static final Scopes NONE = new Scopes(List.of());

    public Scopes {
        granted = List.copyOf(Objects.requireNonNull(granted, "granted"));
    }

    /** Whether a request of {@code method} on {@code path} (as sent, without the query string) is allowed. */
    public boolean allow(String method, String path) {
        if (method.equals("HEAD")) {
            return allows("HEAD " + path) || allows("GET " + path);
        }
        return allows(method + " " + path);
    }

    private boolean allows(String request) {
        for (String scope : granted) {
            if (scope.equals("all") || scope.equals(request) || (scope.endsWith("/") && request.startsWith(scope))) {
                return true;
            }
        }
        return false;
    }
}
