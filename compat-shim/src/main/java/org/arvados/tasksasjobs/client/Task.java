package org.arvados.tasksasjobs.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A task as a crunch script sees it: a task-like job ({@code arvados#job} with a parent).
 *
 * @param uuid             the task-like job's uuid ({@code ...-8i9sb-...})
 * @param legacyTaskUuid   the job_tasks uuid it stands for ({@code ...-ot0gb-...}), as old code knew it
 * @param parentJobUuid    the job it is a task of
 * @param taskSequence     its sequence (0 for the first task, 1 for the tasks it created, ...), or
 *                         null when the record has none
 * @param taskQsequence    its queue position, or null
 * @param taskParameters   the task's own parameters (what {@code current_task()['parameters']} gave)
 * @param scriptParameters the parent's script_parameters overlaid with the task's own parameters;
 *                         reading them does not make the task impure
 * @param state            Queued, Running, Complete or Failed
 * @param taskOutput       its output (manifest text or a locator), or null
 * @param json             the whole object as the API returned it, for anything else
 */
public record Task(String uuid, String legacyTaskUuid, String parentJobUuid, Long taskSequence, Long taskQsequence,
        Map<String, Object> taskParameters, Map<String, Object> scriptParameters, String state, String taskOutput,
        ObjectNode json) {

    /** Reads a task-like job object of the API. */
    public static Task of(ObjectNode job) {
        return new Task(
                JsonValues.text(job, "uuid"),
                JsonValues.text(job, "legacy_task_uuid"),
                JsonValues.text(job, "parent_job_uuid"),
                JsonValues.number(job, "task_sequence"),
                JsonValues.number(job, "task_qsequence"),
                JsonValues.hash(job, "task_parameters"),
                JsonValues.hash(job, "script_parameters"),
                JsonValues.text(job, "state"),
                JsonValues.text(job, "task_output"),
                job.deepCopy());
    }

    /** A task's own parameter (e.g. {@code "input"}), or null. */
    public Object parameter(String name) {
        return taskParameters.get(name);
    }
}
