package org.arvados.tasksasjobs.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A (top-level) job as a crunch script sees it.
 *
 * @param uuid             its uuid
 * @param script           the script it runs
 * @param scriptVersion    the commit
 * @param scriptParameters its parameters (e.g. {@code input}, a collection's portable data hash)
 * @param state            its state
 * @param output           its output's portable data hash, or null
 * @param json             the whole object as the API returned it
 */
public record Job(String uuid, String script, String scriptVersion, Map<String, Object> scriptParameters,
        String state, String output, ObjectNode json) {

    /** Reads a job object of the API. */
    public static Job of(ObjectNode job) {
        return new Job(
                JsonValues.text(job, "uuid"),
                JsonValues.text(job, "script"),
                JsonValues.text(job, "script_version"),
                JsonValues.hash(job, "script_parameters"),
                JsonValues.text(job, "state"),
                JsonValues.text(job, "output"),
                job.deepCopy());
    }
}
