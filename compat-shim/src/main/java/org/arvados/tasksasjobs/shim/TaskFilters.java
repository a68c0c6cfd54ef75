package org.arvados.tasksasjobs.shim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.mapping.JobColumn;
import org.arvados.tasksasjobs.shim.AttributeFilters.Attribute;
import org.arvados.tasksasjobs.shim.AttributeFilters.Type;

/**
 * The {@code filters}, {@code order} and {@code select} of a job_tasks list, translated to
 * conditions, sort keys and columns of {@code jobs} (docs/architecture.md "The contract"): the task attribute
 * {@code job_uuid} is the column {@code parent_job_uuid}, and so on. Output is values
 * ({@link JobFilter}, {@link JobOrder}, column names), never SQL text. The caller adds the
 * condition that makes a row a task-like job ({@code parent_job_uuid IS NOT NULL}).
 *
 * <p>{@code success} has no column of its own: it is the job's state read the way
 * {@code TaskJobMapping.toTaskRow} reads it (Complete: true; Failed: false; Queued, Running,
 * Cancelled: NULL), so a success filter becomes a state filter over exactly those states. The
 * mapping always sets state, so the complement of a state set is exact. Ordering by success has
 * no such translation and is refused.
 *
 * <p>Anything without a translation (an unknown attribute, an operator the attribute's type does
 * not allow, a value of the wrong type) is an {@link InvalidTaskRequestException} naming it. The
 * rules themselves are {@link AttributeFilters}', shared with the gateway's jobs endpoint.
 */
public final class TaskFilters {

    /** Task attribute -> jobs column: what the column table says each task column is carried in; success is state. */
    private static final AttributeFilters TASKS = new AttributeFilters("job_task", "job_tasks.", JobTaskResource.KIND, attributes());

    private static Map<String, Attribute> attributes() {
        Map<String, Attribute> attributes = new LinkedHashMap<>();
        for (JobColumn column : JobColumn.values()) {
            if (column.taskColumn() != null) {
                attributes.put(column.taskColumn(), new Attribute(column.column(), Type.of(column)));
            }
        }
        attributes.put("success", new Attribute(JobColumn.STATE.column(), Type.SUCCESS));
        return attributes;
    }

    private TaskFilters() {}

    /** The jobs column a task attribute is stored in, or null for an unknown attribute. */
    public static String columnOf(String attribute) {
        return TASKS.columnOf(attribute);
    }

    /** {@code filters} as the query parameter's text: a JSON array of {@code [attribute, operator, value]}. */
    public static List<JobFilter> filters(String text) throws InvalidTaskRequestException {
        return TASKS.filters(text);
    }

    public static List<JobFilter> filters(JsonNode filters) throws InvalidTaskRequestException {
        return TASKS.filters(filters);
    }

    /** {@code where}: a JSON object of attribute -> value, checked by the rules of {@link #filters}. */
    public static List<JobFilter> where(String text) throws InvalidTaskRequestException {
        return TASKS.where(text);
    }

    public static List<JobFilter> where(JsonNode where) throws InvalidTaskRequestException {
        return TASKS.where(where);
    }

    /** {@code order}: "attribute [asc|desc]" terms; an attribute may carry the prefix "job_tasks.". */
    public static List<JobOrder> order(String text) throws InvalidTaskRequestException {
        return TASKS.order(text);
    }

    public static List<JobOrder> order(JsonNode order) throws InvalidTaskRequestException {
        return TASKS.order(order);
    }

    /** {@code select} as the query parameter's text: a JSON array of attribute names. */
    public static List<String> select(String text) throws InvalidTaskRequestException {
        return TASKS.select(text);
    }

    /** The jobs columns that hold the selected attributes, in order, each once. */
    public static List<String> select(JsonNode select) throws InvalidTaskRequestException {
        return TASKS.select(select);
    }
}
