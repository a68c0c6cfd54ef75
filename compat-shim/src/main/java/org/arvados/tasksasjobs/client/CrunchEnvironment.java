package org.arvados.tasksasjobs.client;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * What crunch-job gives a task in its environment, validated once.
 *
 * @param jobUuid      JOB_UUID: the parent job
 * @param taskUuid     TASK_UUID: this task (its {@code ot0gb} task uuid or its task-like job's
 *                     {@code 8i9sb} uuid; the gateway takes either)
 * @param taskSequence TASK_SEQUENCE when set (informational; {@link Crunch} asks the API)
 * @param api          ARVADOS_API_HOST, ARVADOS_API_TOKEN, ARVADOS_API_HOST_INSECURE
 */
public record CrunchEnvironment(String jobUuid, String taskUuid, OptionalInt taskSequence, ApiConfig api) {

    private static final Pattern UUID = Pattern.compile("[0-9a-z]{5}-[0-9a-z]{5}-[0-9a-z]{15}");

    public CrunchEnvironment {
        requireUuid("JOB_UUID", jobUuid);
        requireUuid("TASK_UUID", taskUuid);
        Objects.requireNonNull(taskSequence, "taskSequence");
        Objects.requireNonNull(api, "api");
    }

    /** The environment of this process ({@link System#getenv()}). */
    public static CrunchEnvironment fromSystem() {
        return fromMap(System.getenv());
    }

    /**
     * The environment given as a map (tests, or a launcher that builds it).
     *
     * @throws ArvadosConfigException naming the variable that is missing or malformed
     */
    public static CrunchEnvironment fromMap(Map<String, String> env) {
        String sequence = env.get("TASK_SEQUENCE");
        OptionalInt taskSequence = OptionalInt.empty();
        if (sequence != null && !sequence.isBlank()) {
            try {
                taskSequence = OptionalInt.of(Integer.parseInt(sequence.trim()));
            } catch (NumberFormatException e) {
                throw new ArvadosConfigException("TASK_SEQUENCE is not an integer: " + sequence);
            }
        }
        return new CrunchEnvironment(trimmed(env.get("JOB_UUID")), trimmed(env.get("TASK_UUID")), taskSequence,
                ApiConfig.fromEnvironment(env));
    }

    private static String trimmed(String value) {
        return value == null ? null : value.trim();
    }

    private static void requireUuid(String variable, String value) {
        if (value == null || value.isEmpty()) {
            throw new ArvadosConfigException(variable + " is not set");
        }
        if (!UUID.matcher(value).matches()) {
            throw new ArvadosConfigException(variable + " is not an Arvados uuid: " + value);
        }
    }
}
