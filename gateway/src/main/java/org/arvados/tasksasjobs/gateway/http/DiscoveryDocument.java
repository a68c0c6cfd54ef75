package org.arvados.tasksasjobs.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.gateway.http.ResourceSchema.AttributeType;

/**
 * The discovery document ({@code GET /discovery/v1/apis/arvados/v1/rest}) the 2019 SDKs read before their first
 * call: the Python SDK builds its client from it (googleapiclient), the Perl SDK looks up each method's path,
 * HTTP method and declared parameters in it and refuses to send a parameter it does not declare. It is built as
 * the API server's SchemaController built it (docs/arvados.md §7, "The discovery document"), for the gateway's own
 * resources (from {@link ResourceSchema}) and, with an upstream, for the resources it forwards.
 */
final class DiscoveryDocument {

    static final String PATH = "/discovery/v1/apis/arvados/v1/rest";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String SCOPE_WRITE = "https://api.curoverse.com/auth/arvados";
    private static final String SCOPE_READ = "https://api.curoverse.com/auth/arvados.readonly";
    private static final int DEFAULT_LIMIT = 100;

    /** A method beyond the generic five, as a Rails route declared it: name, HTTP method, path under arvados/v1. */
    record Action(String name, String httpMethod, String path) {
    }

    /**
     * The resources of a 2019 API server that the gateway forwards with {@code --upstream}, and their routes beyond
     * get, index/list, create, update and delete: what the SDKs and crunch scripts of the jobs era call.
     */
    static final Map<String, List<Action>> FORWARDED = forwarded();

    /** Extra routes of the gateway's own resources that are forwarded too (jobs/{uuid}/lock: crunch-job's). */
    static final Map<String, List<Action>> FORWARDED_ACTIONS = Map.of("jobs", List.of(
            new Action("lock", "POST", "jobs/{uuid}/lock"),
            new Action("cancel", "POST", "jobs/{uuid}/cancel"),
            new Action("queue", "GET", "jobs/queue"),
            new Action("queue_size", "GET", "jobs/queue_size")));

    private final ObjectNode template;

    /**
     * @param owned the gateway's own resources
     * @param uuidPrefix the cluster's five-character uuid prefix
     * @param forwarding whether an upstream takes the other paths (then they are declared too)
     */
    DiscoveryDocument(List<ResourceSchema> owned, String uuidPrefix, boolean forwarding) {
        ObjectNode doc = NODES.objectNode();
        doc.put("kind", "discovery#restDescription");
        doc.put("discoveryVersion", "v1");
        doc.put("id", "arvados:v1");
        doc.put("name", "arvados");
        doc.put("version", "v1");
        doc.put("revision", "20131114");
        doc.put("source_version", "tasks-as-jobs");
        doc.put("sourceVersion", "tasks-as-jobs");
        doc.put("generatedAt", Instant.now().toString());
        doc.put("title", "Arvados API");
        doc.put("description", "The API to interact with Arvados (job_tasks and jobs served by tasks-as-jobs).");
        doc.put("documentationLink", "http://doc.arvados.org/api/index.html");
        doc.put("defaultCollectionReplication", 2);
        doc.put("protocol", "rest");
        doc.put("basePath", "/arvados/v1/");
        doc.put("servicePath", "arvados/v1/");
        doc.put("batchPath", "batch");
        doc.put("uuidPrefix", uuidPrefix);
        doc.put("maxItemsPerResponse", 1000);
        doc.putObject("remoteHosts");
        ObjectNode parameters = doc.putObject("parameters");
        queryParameter(parameters, "alt", "Data format for the response.").put("default", "json")
                .set("enum", NODES.arrayNode().add("json"));
        queryParameter(parameters, "fields", "Selector specifying which fields to include in a partial response.");
        queryParameter(parameters, "key", "API key.");
        queryParameter(parameters, "oauth_token", "OAuth 2.0 token for the current user.");
        ObjectNode scopes = doc.putObject("auth").putObject("oauth2").putObject("scopes");
        scopes.putObject(SCOPE_WRITE).put("description", "View and manage objects");
        scopes.putObject(SCOPE_READ).put("description", "View objects");
        ObjectNode schemas = doc.putObject("schemas");
        ObjectNode resources = doc.putObject("resources");
        for (ResourceSchema schema : owned) {
            declare(schemas, resources, schema.model(), schema.collection(), schema.objectKey(), schema.attributes(),
                    forwarding ? FORWARDED_ACTIONS.getOrDefault(schema.collection(), List.of()) : List.of());
            if (schema.collection().equals("jobs")) {
                jobsCreateParameters((ObjectNode) resources.path("jobs").path("methods").path("create")
                        .path("parameters"));
            }
        }
        if (forwarding) {
            FORWARDED.forEach((collection, actions) -> declare(schemas, resources, model(collection), collection,
                    singular(collection), Map.of(), actions));
        }
        this.template = doc;
    }

    /** The document for a client that reached the gateway at {@code rootUrl} ({@code https://host:port/}). */
    ObjectNode forRoot(String rootUrl) {
        ObjectNode doc = template.deepCopy();
        doc.put("rootUrl", rootUrl);
        doc.put("baseUrl", rootUrl + "arvados/v1/");
        return doc;
    }

    private static void declare(ObjectNode schemas, ObjectNode resources, String model, String collection,
            String objectKey, Map<String, AttributeType> attributes, List<Action> actions) {
        ObjectNode list = schemas.putObject(model + "List");
        list.put("id", model + "List");
        list.put("description", model + " list");
        list.put("type", "object");
        ObjectNode listProperties = list.putObject("properties");
        listProperties.putObject("kind").put("type", "string").put("default", "arvados#" + lowerCamel(model) + "List");
        listProperties.putObject("etag").put("type", "string").put("description", "List version.");
        listProperties.putObject("items").put("type", "array").putObject("items").put("$ref", model);
        listProperties.putObject("next_link").put("type", "string");
        listProperties.putObject("next_page_token").put("type", "string");
        listProperties.putObject("selfLink").put("type", "string");

        ObjectNode object = schemas.putObject(model);
        object.put("id", model);
        object.put("description", model);
        object.put("type", "object");
        ObjectNode properties = object.putObject("properties");
        properties.putObject("uuid").put("type", "string").put("description", "Object ID.");
        properties.putObject("etag").put("type", "string").put("description", "Object version.");
        attributes.forEach((name, type) -> {
            if (!name.equals("uuid")) {
                properties.putObject(name).put("type", type.discoveryName());
            }
        });

        ObjectNode methods = resources.putObject(collection).putObject("methods");
        ObjectNode get = method(methods, "get", collection, collection + "/{uuid}", "GET", model, true);
        uuidParameter(get, model);
        ObjectNode index = method(methods, "index", collection, collection, "GET", model + "List", true);
        indexParameters((ObjectNode) index.get("parameters"));
        ObjectNode listMethod = index.deepCopy();
        listMethod.put("id", "arvados." + collection + ".list");
        listMethod.put("description", "List " + collection + ".");
        methods.set("list", listMethod);
        ObjectNode create = method(methods, "create", collection, collection, "POST", model, false);
        requestBody(create, objectKey, model);
        ObjectNode createParameters = (ObjectNode) create.get("parameters");
        booleanParameter(createParameters, "ensure_unique_name", "Adjust name to ensure uniqueness instead of returning"
                + " an error on (owner_uuid, name) collision.");
        stringParameter(createParameters, "cluster_id", "Create object on a remote federated cluster instead of the"
                + " current one.");
        ObjectNode update = method(methods, "update", collection, collection + "/{uuid}", "PUT", model, false);
        uuidParameter(update, model);
        requestBody(update, objectKey, model);
        ObjectNode delete = method(methods, "delete", collection, collection + "/{uuid}", "DELETE", model, false);
        uuidParameter(delete, model);
        for (Action action : actions) {
            ObjectNode method = method(methods, action.name(), collection, action.path(), action.httpMethod(),
                    action.name().equals("index") ? model + "List" : model, false);
            if (action.path().contains("{uuid}")) {
                uuidParameter(method, model);
            }
        }
    }

    private static ObjectNode method(ObjectNode methods, String name, String collection, String path,
            String httpMethod, String response, boolean readOnly) {
        ObjectNode method = methods.putObject(name);
        method.put("id", "arvados." + collection + "." + name);
        method.put("path", path);
        method.put("httpMethod", httpMethod);
        method.put("description", name + " " + collection);
        method.putObject("parameters");
        method.putObject("response").put("$ref", response);
        ArrayNode scopes = method.putArray("scopes").add(SCOPE_WRITE);
        if (readOnly) {
            scopes.add(SCOPE_READ);
        }
        return method;
    }

    private static void uuidParameter(ObjectNode method, String model) {
        ((ObjectNode) method.get("parameters")).putObject("uuid").put("type", "string")
                .put("description", "The UUID of the " + model + " in question.")
                .put("required", true).put("location", "path");
        method.putArray("parameterOrder").add("uuid");
    }

    private static void requestBody(ObjectNode method, String objectKey, String model) {
        ObjectNode request = method.putObject("request");
        request.put("required", true);
        request.putObject("properties").putObject(objectKey).put("$ref", model);
    }

    /** ApplicationController._index_requires_parameters: defaults as strings, as the API server wrote them. */
    private static void indexParameters(ObjectNode parameters) {
        typed(parameters, "filters", "array");
        typed(parameters, "where", "object");
        typed(parameters, "order", "array");
        typed(parameters, "select", "array");
        typed(parameters, "distinct", "boolean");
        typed(parameters, "limit", "integer").put("default", Integer.toString(DEFAULT_LIMIT));
        typed(parameters, "offset", "integer").put("default", "0");
        typed(parameters, "count", "string").put("default", "exact");
        stringParameter(parameters, "cluster_id", "List objects on a remote federated cluster instead of the current"
                + " one.");
    }

    /** JobsController._create_requires_parameters. */
    private static void jobsCreateParameters(ObjectNode parameters) {
        typed(parameters, "find_or_create", "boolean").put("default", "false");
        typed(parameters, "filters", "array");
        typed(parameters, "minimum_script_version", "string");
        typed(parameters, "exclude_script_versions", "array");
    }

    private static ObjectNode typed(ObjectNode parameters, String name, String type) {
        return parameters.putObject(name).put("type", type).put("required", false).put("description", "")
                .put("location", "query");
    }

    private static void booleanParameter(ObjectNode parameters, String name, String description) {
        typed(parameters, name, "boolean").put("description", description).put("default", "false");
    }

    private static void stringParameter(ObjectNode parameters, String name, String description) {
        typed(parameters, name, "string").put("description", description);
    }

    private static ObjectNode queryParameter(ObjectNode parameters, String name, String description) {
        return parameters.putObject(name).put("type", "string").put("description", description)
                .put("location", "query");
    }

    private static Map<String, List<Action>> forwarded() {
        Map<String, List<Action>> resources = new LinkedHashMap<>();
        resources.put("api_client_authorizations", List.of(new Action("current", "GET",
                "api_client_authorizations/current")));
        resources.put("api_clients", List.of());
        resources.put("authorized_keys", List.of());
        resources.put("collections", List.of(
                new Action("provenance", "GET", "collections/{uuid}/provenance"),
                new Action("used_by", "GET", "collections/{uuid}/used_by"),
                new Action("trash", "POST", "collections/{uuid}/trash"),
                new Action("untrash", "POST", "collections/{uuid}/untrash")));
        resources.put("container_requests", List.of());
        resources.put("containers", List.of(
                new Action("auth", "GET", "containers/{uuid}/auth"),
                new Action("current", "GET", "containers/current")));
        resources.put("groups", List.of(
                new Action("contents", "GET", "groups/contents"),
                new Action("shared", "GET", "groups/shared")));
        resources.put("humans", List.of());
        resources.put("keep_disks", List.of());
        resources.put("keep_services", List.of(new Action("accessible", "GET", "keep_services/accessible")));
        resources.put("links", List.of());
        resources.put("logs", List.of());
        resources.put("nodes", List.of(new Action("ping", "POST", "nodes/{uuid}/ping")));
        resources.put("pipeline_instances", List.of(new Action("cancel", "POST", "pipeline_instances/{uuid}/cancel")));
        resources.put("pipeline_templates", List.of());
        resources.put("repositories", List.of(new Action("get_all_permissions", "GET",
                "repositories/get_all_permissions")));
        resources.put("specimens", List.of());
        resources.put("traits", List.of());
        resources.put("users", List.of(
                new Action("current", "GET", "users/current"),
                new Action("system", "GET", "users/system")));
        resources.put("virtual_machines", List.of(new Action("logins", "GET", "virtual_machines/{uuid}/logins")));
        resources.put("workflows", List.of());
        return java.util.Collections.unmodifiableMap(resources);
    }

    /** {@code keep_services} -> {@code KeepService}, as Rails named the model of a controller. */
    static String model(String collection) {
        StringBuilder out = new StringBuilder();
        for (String word : singular(collection).split("_")) {
            out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return out.toString();
    }

    private static String singular(String collection) {
        if (collection.endsWith("ies")) {
            return collection.substring(0, collection.length() - 3) + "y";
        }
        return collection.endsWith("s") ? collection.substring(0, collection.length() - 1) : collection;
    }

    private static String lowerCamel(String model) {
        return Character.toLowerCase(model.charAt(0)) + model.substring(1);
    }
}
