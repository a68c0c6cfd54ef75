package org.arvados.tasksasjobs.gateway.tasks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every column of jobs the gateway reads, renders, filters or sorts on, in table order (the surrogate id aside):
 * the whitelist from which every column name in the gateway's SQL comes. Names are never taken from a request.
 */
final class JobColumns {

    record Column(String name, ColumnType type) {}

    static final List<Column> ALL = List.of(
            new Column("uuid", ColumnType.UUID),
            new Column("owner_uuid", ColumnType.UUID),
            new Column("modified_by_client_uuid", ColumnType.UUID),
            new Column("modified_by_user_uuid", ColumnType.UUID),
            new Column("modified_at", ColumnType.TIME),
            new Column("submit_id", ColumnType.TEXT),
            new Column("script", ColumnType.TEXT),
            new Column("script_version", ColumnType.TEXT),
            new Column("script_parameters", ColumnType.SERIALIZED),
            new Column("cancelled_by_client_uuid", ColumnType.UUID),
            new Column("cancelled_by_user_uuid", ColumnType.UUID),
            new Column("cancelled_at", ColumnType.TIME),
            new Column("started_at", ColumnType.TIME),
            new Column("finished_at", ColumnType.TIME),
            new Column("running", ColumnType.BOOLEAN),
            new Column("success", ColumnType.BOOLEAN),
            new Column("output", ColumnType.TEXT),
            new Column("created_at", ColumnType.TIME),
            new Column("updated_at", ColumnType.TIME),
            new Column("is_locked_by_uuid", ColumnType.UUID),
            new Column("log", ColumnType.TEXT),
            new Column("tasks_summary", ColumnType.SERIALIZED),
            new Column("runtime_constraints", ColumnType.SERIALIZED),
            new Column("nondeterministic", ColumnType.BOOLEAN),
            new Column("repository", ColumnType.TEXT),
            new Column("supplied_script_version", ColumnType.TEXT),
            new Column("docker_image_locator", ColumnType.TEXT),
            new Column("priority", ColumnType.INTEGER),
            new Column("description", ColumnType.TEXT),
            new Column("state", ColumnType.TEXT),
            new Column("arvados_sdk_version", ColumnType.TEXT),
            new Column("components", ColumnType.SERIALIZED),
            new Column("script_parameters_digest", ColumnType.TEXT),
            new Column("parent_job_uuid", ColumnType.UUID),
            new Column("legacy_task_uuid", ColumnType.UUID),
            new Column("task_sequence", ColumnType.INTEGER),
            new Column("task_qsequence", ColumnType.INTEGER),
            new Column("created_by_job_uuid", ColumnType.UUID),
            new Column("legacy_created_by_task_uuid", ColumnType.UUID),
            new Column("task_progress", ColumnType.FLOAT),
            new Column("task_parameters", ColumnType.SERIALIZED),
            new Column("task_output", ColumnType.TEXT));

    private static final Map<String, Integer> INDEX;

    static {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < ALL.size(); i++) {
            index.put(ALL.get(i).name(), i);
        }
        INDEX = Collections.unmodifiableMap(index);
    }

    private JobColumns() {}

    /** The column's position in {@link #ALL}, or -1 when jobs has no such column (as far as the gateway knows). */
    static int indexOf(String name) {
        Integer index = INDEX.get(name);
        return index == null ? -1 : index;
    }

    static Column named(String name) {
        int index = indexOf(name);
        return index < 0 ? null : ALL.get(index);
    }

    /** {@code alias.column} for every column, comma-separated, in {@link #ALL} order. */
    static String selectList(String alias) {
        List<String> names = new ArrayList<>(ALL.size());
        for (Column column : ALL) {
            names.add(alias + "." + column.name());
        }
        return String.join(", ", names);
    }
}
