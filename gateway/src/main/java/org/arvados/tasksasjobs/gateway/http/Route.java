package org.arvados.tasksasjobs.gateway.http;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.arvados.tasksasjobs.gateway.tasks.GatewayException;

/**
 * Where a request goes: a collection ({@code uuid} null) or one member of it. Paths are matched on their raw
 * form and the uuid is decoded afterwards, so an escaped {@code /} in a uuid cannot make a different path.
 */
record Route(String collection, Resource resource, String uuid) {

    static final String BASE = "/arvados/v1/";

    /**
     * Collection-level actions the API server routed before {@code {uuid}} (jobs/queue): not a uuid, and not the
     * gateway's, so they go upstream like every other path it does not own.
     */
    static final Map<String, Set<String>> COLLECTION_ACTIONS = Map.of("jobs", Set.of("queue", "queue_size"));

    /** The route of {@code rawPath}, or empty for a path the gateway does not serve (404). */
    static Optional<Route> of(String rawPath, Map<String, Resource> resources) {
        if (rawPath == null || !rawPath.startsWith(BASE)) {
            return Optional.empty();
        }
        String rest = rawPath.substring(BASE.length());
        int slash = rest.indexOf('/');
        String collection = slash < 0 ? rest : rest.substring(0, slash);
        Resource resource = resources.get(collection);
        if (resource == null) {
            return Optional.empty();
        }
        if (slash < 0) {
            return Optional.of(new Route(collection, resource, null));
        }
        String uuid = rest.substring(slash + 1);
        if (uuid.isEmpty() || uuid.indexOf('/') >= 0 || COLLECTION_ACTIONS.getOrDefault(collection, Set.of()).contains(uuid)) {
            return Optional.empty();
        }
        try {
            // In a path "+" is itself, not a space: escape it before the form decoder sees it.
            return Optional.of(new Route(collection, resource,
                    QueryString.component(uuid.replace("+", "%2B"), "the uuid", "the path")));
        } catch (GatewayException e) {
            // A malformed %-escape, bytes that are not UTF-8, a NUL: it names nothing the gateway holds.
            return Optional.empty();
        }
    }

    boolean isCollection() {
        return uuid == null;
    }

    /** The methods this route answers: the {@code Allow} header of a 405. */
    String allowed() {
        return isCollection() ? "GET, POST" : "GET, PUT, PATCH, DELETE";
    }
}
