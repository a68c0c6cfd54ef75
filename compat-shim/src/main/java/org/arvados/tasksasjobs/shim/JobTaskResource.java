package org.arvados.tasksasjobs.shim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDateTime;
import java.util.Objects;
import org.arvados.tasksasjobs.mapping.SerializedHashReader;
import org.arvados.tasksasjobs.mapping.TaskJobMapping;
import org.arvados.tasksasjobs.mapping.TaskLikeJob;
import org.arvados.tasksasjobs.mapping.TaskRow;
import org.arvados.tasksasjobs.mapping.UnparseableHashException;
import org.arvados.tasksasjobs.mapping.YamlDecoder;

/**
 * A task-like job as the old API showed the task it stands for: an {@code arvados#jobTask} object,
 * and lists of them as {@code arvados#jobTaskList} (docs/arvados.md §7).
 *
 * <p>The task's values come from {@link TaskJobMapping#toTaskRow}, so success follows the job's
 * state exactly as the reverse mapping (and the verifier's round trip) defines it; nothing is
 * derived a second time here. {@code parameters} is the task's own hash (task_parameters), never
 * the merged script_parameters: that is what a script's {@code current_task()['parameters']} saw.
 * Timestamps are written as {@link ApiTimestamps} describes. The surrogate id is not shown: the
 * API server's templates did not show it either.
 *
 * <p>Thread-safe when the YAML decoder is.
 */
public final class JobTaskResource {

    public static final String KIND = "arvados#jobTask";
    public static final String LIST_KIND = "arvados#jobTaskList";

    private final SerializedHashReader reader;

    public JobTaskResource(YamlDecoder yaml) {
        this.reader = new SerializedHashReader(Objects.requireNonNull(yaml, "yaml"));
    }

    /**
     * The {@code arvados#jobTask} object for a task-like job.
     *
     * @param id the job's surrogate id, handed to {@link TaskJobMapping#toTaskRow}
     * @throws IllegalArgumentException when task_parameters is not a serialized hash; the mapping
     *     quarantines such tasks, so a task-like job holding one was written by something else
     */
    public ObjectNode render(long id, TaskLikeJob job) {
        TaskRow task = TaskJobMapping.toTaskRow(id, job);
        ObjectNode out = PlainJson.NODES.objectNode();
        out.put("kind", KIND);
        out.put("uuid", task.uuid());
        out.put("owner_uuid", task.ownerUuid());
        out.put("modified_by_client_uuid", task.modifiedByClientUuid());
        out.put("modified_by_user_uuid", task.modifiedByUserUuid());
        putTime(out, "modified_at", task.modifiedAt());
        out.put("job_uuid", task.jobUuid());
        out.put("sequence", task.sequence());
        out.set("parameters", PlainJson.toNode(parameters(job, task.parameters())));
        out.put("output", task.output());
        out.put("progress", task.progress());
        out.put("success", task.success());
        putTime(out, "created_at", task.createdAt());
        putTime(out, "updated_at", task.updatedAt());
        out.put("created_by_job_task_uuid", task.createdByJobTaskUuid());
        out.put("qsequence", task.qsequence());
        putTime(out, "started_at", task.startedAt());
        putTime(out, "finished_at", task.finishedAt());
        return out;
    }

    private Object parameters(TaskLikeJob job, String text) {
        try {
            return reader.read(text);
        } catch (UnparseableHashException e) {
            throw new IllegalArgumentException("task_parameters of job " + job.uuid() + ": " + e.getMessage(), e);
        }
    }

    private static void putTime(ObjectNode out, String name, LocalDateTime utc) {
        if (utc == null) {
            out.putNull(name);
        } else {
            out.put(name, ApiTimestamps.write(utc));
        }
    }
}
