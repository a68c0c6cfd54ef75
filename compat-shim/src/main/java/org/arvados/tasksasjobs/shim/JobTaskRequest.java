package org.arvados.tasksasjobs.shim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.arvados.tasksasjobs.mapping.CanonicalJson;
import org.arvados.tasksasjobs.mapping.InheritPolicy;
import org.arvados.tasksasjobs.mapping.MappingOutcome;
import org.arvados.tasksasjobs.mapping.ParentJob;
import org.arvados.tasksasjobs.mapping.SerializedHashReader;
import org.arvados.tasksasjobs.mapping.TaskJobMapping;
import org.arvados.tasksasjobs.mapping.TaskLikeJob;
import org.arvados.tasksasjobs.mapping.TaskRow;
import org.arvados.tasksasjobs.mapping.UnparseableHashException;
import org.arvados.tasksasjobs.mapping.UuidMapping;
import org.arvados.tasksasjobs.mapping.YamlDecoder;

/**
 * The attributes of a job_tasks create or update body ({@code {"job_task": {...}}}), type-checked.
 *
 * <p>{@code given} names the writable attributes the body carried (API names, e.g. "job_uuid");
 * an attribute not in it is absent and its field is null, while one in it with a null field is an
 * explicit NULL. {@code parameters} is the task's own hash as plain values (Map, List, String,
 * Boolean, null, Long, BigInteger, Double), read by the same rules as a stored row, or null for a
 * NULL (which reads back as {@code {}}).
 *
 * <p>Attributes the server maintains (kind, uuid, created_at, updated_at, modified_at,
 * modified_by_client_uuid, modified_by_user_uuid) may be sent back as a client received them:
 * they are type-checked and then ignored, as the API server ignored them, so a script that
 * re-sends an object it fetched keeps working. Anything else is an unknown attribute.
 */
public record JobTaskRequest(
        Set<String> given,
        String ownerUuid,
        String jobUuid,
        Integer sequence,
        Map<String, Object> parameters,
        String output,
        Double progress,
        Boolean success,
        String createdByJobTaskUuid,
        Long qsequence,
        LocalDateTime startedAt,
        LocalDateTime finishedAt) {

    /** The attributes a client may set, in the order the API lists them. */
    public static final Set<String> WRITABLE = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(
            "owner_uuid", "job_uuid", "sequence", "parameters", "output", "progress", "success",
            "created_by_job_task_uuid", "qsequence", "started_at", "finished_at")));

    private static final Set<String> SERVER_MAINTAINED = Set.of(
            "kind", "uuid", "created_at", "updated_at", "modified_at", "modified_by_client_uuid", "modified_by_user_uuid");

    private static final Set<String> TIMESTAMPS = Set.of("created_at", "updated_at", "modified_at");

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final SerializedHashReader OBJECT_READER = new SerializedHashReader(YamlDecoder.UNSUPPORTED);

    public JobTaskRequest {
        given = Collections.unmodifiableSet(new LinkedHashSet<>(given));
        if (!WRITABLE.containsAll(given)) {
            throw new IllegalArgumentException("not writable attributes in " + given);
        }
        parameters = parameters == null ? null : Collections.unmodifiableMap(parameters);
    }

    public boolean has(String attribute) {
        return given.contains(attribute);
    }

    /** This request with created_by_job_task_uuid's value replaced by {@code creatorTaskUuid} (which may be null). */
    public JobTaskRequest withCreator(String creatorTaskUuid) {
        return new JobTaskRequest(given, ownerUuid, jobUuid, sequence, parameters, output, progress, success,
                creatorTaskUuid, qsequence, startedAt, finishedAt);
    }

    /** Parses a request body as its text arrives over HTTP. */
    public static JobTaskRequest parse(String body) throws InvalidTaskRequestException {
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidTaskRequestException("request body is not JSON: " + firstLine(e.getOriginalMessage()));
        }
        return parse(tree);
    }

    /** Parses a request body already read as JSON. */
    public static JobTaskRequest parse(JsonNode body) throws InvalidTaskRequestException {
        if (body == null || !body.isObject()) {
            throw new InvalidTaskRequestException("request body must be a JSON object, not " + PlainJson.kind(body));
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("job_task")) {
                throw new InvalidTaskRequestException("unknown request field " + PlainJson.quote(name) + " (expected only \"job_task\")");
            }
        }
        JsonNode task = body.get("job_task");
        if (task == null || !task.isObject()) {
            throw new InvalidTaskRequestException("job_task must be a JSON object, not " + (task == null ? "missing" : PlainJson.kind(task)));
        }
        for (Iterator<String> names = task.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (SERVER_MAINTAINED.contains(name)) {
                checkServerMaintained(name, task.get(name));
            } else if (!WRITABLE.contains(name)) {
                throw new InvalidTaskRequestException("unknown attribute job_task." + (name.matches("[a-z0-9_]+") ? name : PlainJson.quote(name)));
            }
        }
        return attributes(task, name -> "job_task." + name);
    }

    /**
     * The writable attributes (API names) that {@code task} holds, type-checked: the one reading of a task's
     * attributes, for job_tasks bodies and for jobs bodies, which send the same attributes under the jobs columns'
     * names. Messages name each attribute as {@code shown} does ("job_task.sequence", "job.task_sequence").
     * Other attributes are the caller's to refuse or ignore.
     */
    public static JobTaskRequest attributes(JsonNode task, Function<String, String> shown) throws InvalidTaskRequestException {
        Set<String> given = new LinkedHashSet<>();
        for (Iterator<String> names = task.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (WRITABLE.contains(name)) {
                given.add(name);
            }
        }
        return new JobTaskRequest(given,
                uuid(task, "owner_uuid", shown),
                uuid(task, "job_uuid", shown),
                sequence(task, shown),
                parameters(task, shown),
                string(task, "output", shown),
                progress(task, shown),
                success(task, shown),
                uuid(task, "created_by_job_task_uuid", shown),
                qsequence(task, shown),
                timestamp(task, "started_at", shown),
                timestamp(task, "finished_at", shown));
    }

    /**
     * The job_tasks row a create stands for, ready for {@code TaskJobMapping.map}: what the API
     * server's create would have stored.
     *
     * <p>Parameters are written as canonical compact JSON (keys deep-sorted): the API server wrote
     * compact JSON in the client's key order, but every reader loads the text into a hash, so key
     * order carries nothing, and one form for new rows keeps them comparable byte for byte. A NULL
     * or absent parameters is stored as {@code {}}, as the server's serializer stored an empty hash.
     *
     * @param id the caller's surrogate id (no job_tasks row exists for a task created through the shim)
     * @param taskUuid the new task's uuid, allocated by the caller (an {@code ot0gb} uuid)
     * @param userUuid the requesting user: owner when owner_uuid is absent, and modified_by_user_uuid
     * @param clientUuid the requesting API client, or null
     * @param now the server's current time in UTC: created_at, updated_at, modified_at
     * @param nextQsequence the next value of the qsequence sequence, used when the body has none
     * @throws InvalidTaskRequestException when job_uuid is absent or NULL: a task needs its job
     */
    public TaskRow toNewTaskRow(long id, String taskUuid, String userUuid, String clientUuid, LocalDateTime now,
            long nextQsequence) throws InvalidTaskRequestException {
        Objects.requireNonNull(now, "now");
        if (!UuidMapping.isWellFormed(taskUuid)) {
            throw new IllegalArgumentException("not an Arvados uuid: " + taskUuid);
        }
        if (jobUuid == null) {
            throw new InvalidTaskRequestException("job_task.job_uuid is required to create a task");
        }
        return new TaskRow(
                id,
                taskUuid,
                has("owner_uuid") && ownerUuid != null ? ownerUuid : userUuid,
                clientUuid,
                userUuid,
                now,
                jobUuid,
                sequence,
                CanonicalJson.write(parameters == null ? Map.of() : parameters),
                output,
                progress,
                success,
                now,
                now,
                createdByJobTaskUuid,
                has("qsequence") && qsequence != null ? qsequence : nextQsequence,
                startedAt,
                finishedAt);
    }

    /**
     * An update applied to the task-like job it names: the task the job stands for
     * ({@code TaskJobMapping.toTaskRow}) with the given attributes replaced and the modification
     * stamped, mapped again by {@code TaskJobMapping} with the given reader and inherit policy
     * (the ones the migration ran with), so script_parameters and its digest, state, the
     * legacy flags and the output PDH follow the new values by the contract's one definition.
     * The job keeps its uuid, whether it was the derived one or a random one after a collision.
     *
     * @param parent the job named by the task's job_uuid after the update (the same parent unless
     *     job_uuid is given), or null when no such job exists (the outcome is then Quarantined)
     * @param creatorJobUuid the task-like job made from created_by_job_task_uuid after the update
     * @return Mapped with the updated job, or Quarantined when the new values cannot be carried
     *     (the caller rejects the update with the outcome's detail)
     */
    public MappingOutcome applyTo(TaskLikeJob job, ParentJob parent, String creatorJobUuid, SerializedHashReader reader,
            InheritPolicy policy, String userUuid, String clientUuid, LocalDateTime now) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(now, "now");
        TaskRow old = TaskJobMapping.toTaskRow(0, job);
        TaskRow updated = new TaskRow(
                old.id(),
                old.uuid(),
                has("owner_uuid") ? ownerUuid : old.ownerUuid(),
                clientUuid,
                userUuid,
                now,
                has("job_uuid") ? jobUuid : old.jobUuid(),
                has("sequence") ? sequence : old.sequence(),
                has("parameters") ? parametersText(old.parameters(), reader) : old.parameters(),
                has("output") ? output : old.output(),
                has("progress") ? progress : old.progress(),
                has("success") ? success : old.success(),
                old.createdAt(),
                now,
                has("created_by_job_task_uuid") ? createdByJobTaskUuid : old.createdByJobTaskUuid(),
                has("qsequence") ? qsequence : old.qsequence(),
                has("started_at") ? startedAt : old.startedAt(),
                has("finished_at") ? finishedAt : old.finishedAt());
        // The job's own uuid is the only free one: every other is "taken", and the allocator hands
        // out the job's uuid, so a job whose derived uuid was taken at migration keeps its random one.
        return new TaskJobMapping(reader, policy, cluster -> job.uuid())
                .map(updated, parent, creatorJobUuid, uuid -> !uuid.equals(job.uuid()));
    }

    /**
     * The text to store for the given parameters: the old text itself when it holds the same hash
     * (a script that sends back the object it fetched must not turn a YAML-era row into JSON, nor
     * reorder its keys), else canonical compact JSON as {@link #toNewTaskRow} writes it.
     */
    private String parametersText(String oldText, SerializedHashReader reader) {
        Map<String, Object> wanted = parameters == null ? Map.of() : parameters;
        try {
            if (reader.read(oldText).equals(wanted)) {
                return oldText;
            }
        } catch (UnparseableHashException e) {
            // The old text is beyond reading, so it cannot be kept; the new hash replaces it.
        }
        return CanonicalJson.write(wanted);
    }

    private static void checkServerMaintained(String name, JsonNode value) throws InvalidTaskRequestException {
        if (name.equals("kind")) {
            if (!value.isTextual() || !value.asText().equals(JobTaskResource.KIND)) {
                throw new InvalidTaskRequestException("job_task.kind must be \"" + JobTaskResource.KIND + "\"");
            }
        } else if (TIMESTAMPS.contains(name)) {
            requireTimestamp(name, value, n -> "job_task." + n);
        } else if (!value.isNull() && !value.isTextual()) {
            throw new InvalidTaskRequestException("job_task." + name + " must be a string or null, not " + PlainJson.kind(value));
        }
    }

    private static String string(JsonNode task, String name, Function<String, String> shown) throws InvalidTaskRequestException {
        JsonNode value = task.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidTaskRequestException(shown.apply(name) + " must be a string or null, not " + PlainJson.kind(value));
        }
        return value.asText();
    }

    private static String uuid(JsonNode task, String name, Function<String, String> shown) throws InvalidTaskRequestException {
        String value = string(task, name, shown);
        if (value != null && !UuidMapping.isWellFormed(value)) {
            throw new InvalidTaskRequestException(shown.apply(name) + " is not an Arvados uuid: " + PlainJson.quote(value));
        }
        return value;
    }

    private static Integer sequence(JsonNode task, Function<String, String> shown) throws InvalidTaskRequestException {
        JsonNode value = task.get("sequence");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new InvalidTaskRequestException(shown.apply("sequence") + " must be an integer (32 bits) or null, not " + PlainJson.kind(value));
        }
        return value.intValue();
    }

    private static Long qsequence(JsonNode task, Function<String, String> shown) throws InvalidTaskRequestException {
        JsonNode value = task.get("qsequence");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidTaskRequestException(shown.apply("qsequence") + " must be an integer (64 bits) or null, not " + PlainJson.kind(value));
        }
        return value.longValue();
    }

    private static Double progress(JsonNode task, Function<String, String> shown) throws InvalidTaskRequestException {
        JsonNode value = task.get("progress");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
            throw new InvalidTaskRequestException(shown.apply("progress") + " must be a number or null, not " + PlainJson.kind(value));
        }
        return value.doubleValue();
    }

    private static Boolean success(JsonNode task, Function<String, String> shown) throws InvalidTaskRequestException {
        JsonNode value = task.get("success");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new InvalidTaskRequestException(shown.apply("success") + " must be true, false or null, not " + PlainJson.kind(value));
        }
        return value.booleanValue();
    }

    private static Map<String, Object> parameters(JsonNode task, Function<String, String> shown) throws InvalidTaskRequestException {
        JsonNode value = task.get("parameters");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new InvalidTaskRequestException(shown.apply("parameters") + " must be an object or null, not " + PlainJson.kind(value));
        }
        // Through the stored-row reader, so a request's hash has the very shapes (Long, BigInteger,
        // Double, insertion order, well-formed strings) a stored row reads as. The text is JSON, so
        // the reader never needs a YAML decoder.
        try {
            return OBJECT_READER.read(value.toString());
        } catch (UnparseableHashException e) {
            throw new InvalidTaskRequestException(shown.apply("parameters") + ": " + e.getMessage());
        }
    }

    private static LocalDateTime timestamp(JsonNode task, String name, Function<String, String> shown)
            throws InvalidTaskRequestException {
        JsonNode value = task.get(name);
        return value == null ? null : requireTimestamp(name, value, shown);
    }

    private static LocalDateTime requireTimestamp(String name, JsonNode value, Function<String, String> shown)
            throws InvalidTaskRequestException {
        if (value.isNull()) {
            return null;
        }
        LocalDateTime time = value.isTextual() ? ApiTimestamps.read(value.asText()) : null;
        if (time == null) {
            throw new InvalidTaskRequestException(shown.apply(name) + " must be an ISO 8601 time such as "
                    + "\"2016-03-01T12:00:00.123456000Z\" or null, not " + describe(value));
        }
        return time;
    }

    private static String describe(JsonNode value) {
        return value.isTextual() ? value.toString() : PlainJson.kind(value);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no detail)";
        }
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).strip();
    }
}
