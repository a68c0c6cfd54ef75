package org.arvados.tasksasjobs.gateway.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.arvados.tasksasjobs.shim.InvalidTaskRequestException;
import org.arvados.tasksasjobs.shim.JobTaskRequest;
import org.arvados.tasksasjobs.shim.PlainJson;

/**
 * A jobs create or update body ({@code {"job": {...}}}) for a task-like job, type-checked and expressed as the
 * {@link JobTaskRequest} it stands for, so that the jobs endpoint writes through the very path job_tasks does.
 * Attribute names are the jobs columns: parent_job_uuid is the task's job_uuid, task_parameters its parameters,
 * state its success (Queued, Running: NULL; Complete: true; Failed: false), and so on.
 *
 * @param request            the task request, except created_by_job_task_uuid, which {@link #withCreator} sets
 * @param createdByJobUuid   the creating task's job or task uuid as given (resolved by the service), or null
 * @param findOrCreate       the body's find_or_create (creates only)
 * @param markNondeterministic whether the body sets nondeterministic (only true is allowed; updates only)
 */
record JobBody(JobTaskRequest request, String createdByJobUuid, boolean findOrCreate, boolean markNondeterministic) {

    /** Job attribute -> task attribute, for the writable attributes that are the task's. */
    private static final Map<String, String> AS_TASK = Map.ofEntries(
            Map.entry("parent_job_uuid", "job_uuid"),
            Map.entry("task_parameters", "parameters"),
            Map.entry("task_sequence", "sequence"),
            Map.entry("task_qsequence", "qsequence"),
            Map.entry("created_by_job_uuid", "created_by_job_task_uuid"),
            Map.entry("owner_uuid", "owner_uuid"),
            Map.entry("task_output", "output"),
            Map.entry("task_progress", "progress"),
            Map.entry("state", "success"),
            Map.entry("started_at", "started_at"),
            Map.entry("finished_at", "finished_at"));

    /** Task attribute -> job attribute, to name a task attribute in a message as the body named it. */
    private static final Map<String, String> AS_JOB = AS_TASK.entrySet().stream()
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getValue, Map.Entry::getKey));

    private static final Set<String> CREATABLE = AS_TASK.keySet();

    private static final Set<String> UPDATABLE = Set.of("task_output", "task_progress", "state", "started_at", "finished_at",
            "task_parameters", "task_sequence", "nondeterministic");

    /** What a task-like job takes from its parent job by the contract: never set directly. */
    private static final Set<String> FROM_PARENT = Set.of("script", "script_version", "supplied_script_version", "repository",
            "docker_image_locator", "arvados_sdk_version", "runtime_constraints", "script_parameters",
            "script_parameters_digest", "log");

    /** Sent back as a client received them: checked loosely and ignored, as the API server ignored them. */
    private static final Set<String> SERVER_MAINTAINED = Set.of("kind", "uuid", "created_at", "updated_at", "modified_at",
            "modified_by_client_uuid", "modified_by_user_uuid");

    static JobBody parseCreate(JsonNode body) throws GatewayException {
        return parse(body, true);
    }

    static JobBody parseUpdate(JsonNode body) throws GatewayException {
        return parse(body, false);
    }

    /** The request with created_by_job_task_uuid set to the creating task's uuid (or NULL). */
    JobBody withCreator(String creatorTaskUuid) {
        return new JobBody(request.withCreator(creatorTaskUuid), createdByJobUuid, findOrCreate, markNondeterministic);
    }

    private static JobBody parse(JsonNode body, boolean create) throws GatewayException {
        if (body == null || !body.isObject()) {
            throw unprocessable("request body must be a JSON object, not " + PlainJson.kind(body));
        }
        boolean findOrCreate = false;
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.equals("find_or_create") && create) {
                JsonNode flag = body.get(name);
                if (!flag.isBoolean()) {
                    throw unprocessable("find_or_create must be true or false, not " + PlainJson.kind(flag));
                }
                findOrCreate = flag.booleanValue();
            } else if (!name.equals("job")) {
                throw unprocessable("unknown request field " + PlainJson.quote(name)
                        + (create ? " (expected \"job\" and \"find_or_create\")" : " (expected only \"job\")"));
            }
        }
        JsonNode job = body.get("job");
        if (job == null || !job.isObject()) {
            throw unprocessable("job must be a JSON object, not " + (job == null ? "missing" : PlainJson.kind(job)));
        }
        Set<String> writable = create ? CREATABLE : UPDATABLE;
        ObjectNode task = JsonNodeFactory.instance.objectNode();
        boolean markNondeterministic = false;
        for (Iterator<String> names = job.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            JsonNode value = job.get(name);
            if (writable.contains(name)) {
                if (name.equals("nondeterministic")) {
                    if (!value.isBoolean() || !value.booleanValue()) {
                        throw unprocessable(value.isBoolean() ? "a task's impurity cannot be cleared (job.nondeterministic may only be set to true)"
                                : "job.nondeterministic must be true, not " + PlainJson.kind(value));
                    }
                    markNondeterministic = true;
                } else {
                    task.set(AS_TASK.get(name), name.equals("state") ? success(value) : value);
                }
            } else if (SERVER_MAINTAINED.contains(name)) {
                checkServerMaintained(name, value);
            } else if (FROM_PARENT.contains(name)) {
                throw unprocessable("job." + name + " comes from the parent job and cannot be set on a task-like job");
            } else if (JobColumns.indexOf(name) >= 0) {
                throw unprocessable("job." + name + " cannot be " + (create ? "set when creating" : "changed on")
                        + " a task-like job through the gateway");
            } else {
                throw unprocessable("unknown attribute job." + (name.matches("[a-z0-9_]+") ? name : PlainJson.quote(name)));
            }
        }
        JobTaskRequest request;
        try {
            request = JobTaskRequest.attributes(task, attribute -> "job." + AS_JOB.get(attribute));
        } catch (InvalidTaskRequestException e) {
            throw unprocessable(e.getMessage());
        }
        if (create && request.jobUuid() == null) {
            throw unprocessable(job.has("parent_job_uuid")
                    ? "job.parent_job_uuid is required: the gateway creates task-like jobs only"
                    : "the gateway creates task-like jobs only; submit jobs to the Arvados API server");
        }
        // created_by_job_uuid names the creating task's job (or its task): the service resolves it to the task's uuid
        // and puts that in the request (withCreator) before the request is used.
        return new JobBody(request, request.createdByJobTaskUuid(), findOrCreate, markNondeterministic);
    }

    private static void checkServerMaintained(String name, JsonNode value) throws GatewayException {
        if (name.equals("kind")) {
            if (!value.isTextual() || !value.asText().equals(JobRenderer.KIND)) {
                throw unprocessable("job.kind must be \"" + JobRenderer.KIND + "\"");
            }
        } else if (!value.isNull() && !value.isTextual()) {
            throw unprocessable("job." + name + " must be a string or null, not " + PlainJson.kind(value));
        }
    }

    /** state -> the task's success: the inverse of the contract's state rule for a task that has not been cancelled. */
    private static JsonNode success(JsonNode value) throws GatewayException {
        String state = value.isTextual() ? value.asText() : null;
        if ("Queued".equals(state) || "Running".equals(state)) {
            return NullNode.getInstance();
        }
        if ("Complete".equals(state)) {
            return BooleanNode.TRUE;
        }
        if ("Failed".equals(state)) {
            return BooleanNode.FALSE;
        }
        throw unprocessable("job.state must be one of Queued, Running, Complete, Failed, not "
                + (value.isTextual() ? PlainJson.quote(state) : PlainJson.kind(value)));
    }

    private static GatewayException unprocessable(String message) {
        return GatewayException.unprocessable(message);
    }
}
