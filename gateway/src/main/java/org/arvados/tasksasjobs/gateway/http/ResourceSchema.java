package org.arvados.tasksasjobs.gateway.http;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.arvados.tasksasjobs.mapping.JobColumn;

/**
 * What the Arvados API server knew of one of the gateway's resources from its Rails model: the model's name
 * ({@code JobTask}), the request key its attributes come under ({@code job_task}), and each attribute's type. One
 * table serves the discovery document's schema, {@code wrap_parameters} (which top-level keys of an unwrapped JSON
 * body are attributes) and Rails's casting of form values ({@link RailsParameters}).
 *
 * @param model the Rails model name, {@code JobTask} or {@code Job}
 * @param objectKey the request key: {@code job_task}, {@code job}
 * @param collection the path segment under {@code /arvados/v1/}: {@code job_tasks}, {@code jobs}
 * @param attributes every attribute (column) of the model, in table order, with its discovery type
 */
record ResourceSchema(String model, String objectKey, String collection, Map<String, AttributeType> attributes) {

    /** A column's type as the discovery document named it, and as Rails cast a value sent for it. */
    enum AttributeType {
        STRING("string"), TEXT("text"), DATETIME("datetime"), BOOLEAN("boolean"), INTEGER("integer"),
        FLOAT("float"), HASH("Hash");

        private final String discoveryName;

        AttributeType(String discoveryName) {
            this.discoveryName = discoveryName;
        }

        String discoveryName() {
            return discoveryName;
        }

        static AttributeType of(JobColumn column) {
            if (column.content() == JobColumn.Content.SERIALIZED) {
                return HASH;
            }
            return switch (column.type()) {
                case VARCHAR, LONG_VARCHAR -> STRING;
                case TEXT -> TEXT;
                case TIMESTAMP -> DATETIME;
                case BOOLEAN -> BOOLEAN;
                case INTEGER, BIGINT -> INTEGER;
                case DOUBLE -> FLOAT;
            };
        }
    }

    ResourceSchema {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** jobs: every column of the migrated table ({@link JobColumn}), task-like job columns included. */
    static final ResourceSchema JOB = new ResourceSchema("Job", "job", "jobs", jobAttributes());

    /**
     * job_tasks: the columns of the old table, read off the column table's task columns (each task-like job
     * column that gives a task attribute back), plus success, which the task-like job computes from its state.
     */
    static final ResourceSchema JOB_TASK = new ResourceSchema("JobTask", "job_task", "job_tasks", taskAttributes());

    private static Map<String, AttributeType> jobAttributes() {
        Map<String, AttributeType> attributes = new LinkedHashMap<>();
        Arrays.stream(JobColumn.values()).forEach(c -> attributes.put(c.column(), AttributeType.of(c)));
        return attributes;
    }

    private static Map<String, AttributeType> taskAttributes() {
        Map<String, AttributeType> attributes = new LinkedHashMap<>();
        for (JobColumn column : JobColumn.values()) {
            if (column.taskColumn() != null) {
                attributes.put(column.taskColumn(), AttributeType.of(column));
            }
        }
        attributes.put("success", AttributeType.BOOLEAN);
        return attributes;
    }

    /** The list kind's schema name: {@code JobTaskList}. */
    String listModel() {
        return model + "List";
    }
}
