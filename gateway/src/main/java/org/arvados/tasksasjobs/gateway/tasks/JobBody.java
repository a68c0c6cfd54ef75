package org.arvados.tasksasjobs.gateway.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDateTime;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.arvados.tasksasjobs.mapping.SerializedHashReader;
import org.arvados.tasksasjobs.mapping.UnparseableHashException;
import org.arvados.tasksasjobs.mapping.UuidMapping;
import org.arvados.tasksasjobs.mapping.YamlDecoder;
import org.arvados.tasksasjobs.shim.ApiTimestamps;
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

    private static final SerializedHashReader OBJECT_READER = new SerializedHashReader(YamlDecoder.UNSUPPORTED);

    static JobBody parseCreate(JsonNode body) throws GatewayException {
        return parse(body, true);
    }

    static JobBody parseUpdate(JsonNode body) throws GatewayException {
        return parse(body, false);
    }

    /** The request with created_by_job_task_uuid set to the creating task's uuid (or NULL). */
    JobBody withCreator(String creatorTaskUuid) {
        JobTaskRequest r = request;
        return new JobBody(new JobTaskRequest(r.given(), r.ownerUuid(), r.jobUuid(), r.sequence(), r.parameters(), r.output(),
                r.progress(), r.success(), creatorTaskUuid, r.qsequence(), r.startedAt(), r.finishedAt()),
                createdByJobUuid, findOrCreate, markNondeterministic);
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
        Set<String> given = new LinkedHashSet<>();
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
                    given.add(AS_TASK.get(name));
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
        String parentJobUuid = uuid(job, "parent_job_uuid");
        if (create && parentJobUuid == null) {
            throw unprocessable(job.has("parent_job_uuid")
                    ? "job.parent_job_uuid is required: the gateway creates task-like jobs only"
                    : "the gateway creates task-like jobs only; submit jobs to the Arvados API server");
        }
        JobTaskRequest request = new JobTaskRequest(given,
                uuid(job, "owner_uuid"),
                parentJobUuid,
                sequence(job),
                parameters(job),
                string(job, "task_output"),
                progress(job),
                success(job),
                null,
                qsequence(job),
                timestamp(job, "started_at"),
                timestamp(job, "finished_at"));
        return new JobBody(request, uuid(job, "created_by_job_uuid"), findOrCreate, markNondeterministic);
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

    private static String string(JsonNode job, String name) throws GatewayException {
        JsonNode value = job.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw unprocessable("job." + name + " must be a string or null, not " + PlainJson.kind(value));
        }
        return value.asText();
    }

    private static String uuid(JsonNode job, String name) throws GatewayException {
        String value = string(job, name);
        if (value != null && !UuidMapping.isWellFormed(value)) {
            throw unprocessable("job." + name + " is not an Arvados uuid: " + PlainJson.quote(value));
        }
        return value;
    }

    private static Integer sequence(JsonNode job) throws GatewayException {
        JsonNode value = job.get("task_sequence");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw unprocessable("job.task_sequence must be an integer (32 bits) or null, not " + PlainJson.kind(value));
        }
        return value.intValue();
    }

    private static Long qsequence(JsonNode job) throws GatewayException {
        JsonNode value = job.get("task_qsequence");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw unprocessable("job.task_qsequence must be an integer (64 bits) or null, not " + PlainJson.kind(value));
        }
        return value.longValue();
    }

    private static Double progress(JsonNode job) throws GatewayException {
        JsonNode value = job.get("task_progress");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
            throw unprocessable("job.task_progress must be a number or null, not " + PlainJson.kind(value));
        }
        return value.doubleValue();
    }

    /** state -> the task's success: the inverse of the contract's state rule for a task that has not been cancelled. */
    private static Boolean success(JsonNode job) throws GatewayException {
        JsonNode value = job.get("state");
        if (value == null) {
            return null;
        }
        String state = value.isTextual() ? value.asText() : null;
        if ("Queued".equals(state) || "Running".equals(state)) {
            return null;
        }
        if ("Complete".equals(state)) {
            return Boolean.TRUE;
        }
        if ("Failed".equals(state)) {
            return Boolean.FALSE;
        }
        throw unprocessable("job.state must be one of Queued, Running, Complete, Failed, not "
                + (value.isTextual() ? PlainJson.quote(state) : PlainJson.kind(value)));
    }

    private static Map<String, Object> parameters(JsonNode job) throws GatewayException {
        JsonNode value = job.get("task_parameters");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw unprocessable("job.task_parameters must be an object or null, not " + PlainJson.kind(value));
        }
        // Through the stored-row reader, as JobTaskRequest reads a task's parameters: the same value shapes.
        try {
            return OBJECT_READER.read(value.toString());
        } catch (UnparseableHashException e) {
            throw unprocessable("job.task_parameters: " + e.getMessage());
        }
    }

    private static LocalDateTime timestamp(JsonNode job, String name) throws GatewayException {
        JsonNode value = job.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        LocalDateTime time = value.isTextual() ? ApiTimestamps.read(value.asText()) : null;
        if (time == null) {
            throw unprocessable("job." + name + " must be an ISO 8601 time such as \"2016-03-01T12:00:00.123456000Z\" or null, not "
                    + (value.isTextual() ? value.toString() : PlainJson.kind(value)));
        }
        return time;
    }

    private static GatewayException unprocessable(String message) {
        return GatewayException.unprocessable(message);
    }
}
