package org.arvados.tasksasjobs.mapping;

import java.sql.Types;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The columns of {@code jobs} as this toolkit knows them, in table order (the surrogate id and the expand phase's
 * bookkeeping column legacy_task_id aside): the one place they are listed (docs/architecture.md, "One table of
 * columns"). For each: its SQL type, what it holds, whether Arvados or the expand phase made it, where a task-like
 * job's value comes from, the job_tasks column it gives back byte for byte, and how to read it off a
 * {@link TaskLikeJob}.
 *
 * <p>Everything else that names these columns is derived from this table: the backfill's and the gateway's writers,
 * the gateway's readable columns, the round-trip and contract checks; a test in each module proves that the SQL kept
 * as SQL (expand.xml, contract.xml) lists the same columns with the same types.
 */
public enum JobColumn {
    UUID("uuid", SqlType.VARCHAR, Content.UUID, Source.COMPUTED, null, TaskLikeJob::uuid),
    OWNER_UUID("owner_uuid", SqlType.VARCHAR, Content.UUID, Source.TASK, "owner_uuid", TaskLikeJob::ownerUuid),
    MODIFIED_BY_CLIENT_UUID("modified_by_client_uuid", SqlType.VARCHAR, Content.UUID, Source.TASK,
            "modified_by_client_uuid", TaskLikeJob::modifiedByClientUuid),
    MODIFIED_BY_USER_UUID("modified_by_user_uuid", SqlType.VARCHAR, Content.UUID, Source.TASK,
            "modified_by_user_uuid", TaskLikeJob::modifiedByUserUuid),
    MODIFIED_AT("modified_at", SqlType.TIMESTAMP, Content.PLAIN, Source.TASK, "modified_at", TaskLikeJob::modifiedAt),
    SUBMIT_ID("submit_id", SqlType.VARCHAR, Content.PLAIN, Source.NONE, null, null),
    SCRIPT("script", SqlType.VARCHAR, Content.PLAIN, Source.PARENT, null, TaskLikeJob::script),
    SCRIPT_VERSION("script_version", SqlType.VARCHAR, Content.PLAIN, Source.PARENT, null, TaskLikeJob::scriptVersion),
    SCRIPT_PARAMETERS("script_parameters", SqlType.TEXT, Content.SERIALIZED, Source.COMPUTED, null,
            TaskLikeJob::scriptParameters),
    CANCELLED_BY_CLIENT_UUID("cancelled_by_client_uuid", SqlType.VARCHAR, Content.UUID, Source.NONE, null, null),
    CANCELLED_BY_USER_UUID("cancelled_by_user_uuid", SqlType.VARCHAR, Content.UUID, Source.NONE, null, null),
    CANCELLED_AT("cancelled_at", SqlType.TIMESTAMP, Content.PLAIN, Source.NONE, null, null),
    STARTED_AT("started_at", SqlType.TIMESTAMP, Content.PLAIN, Source.TASK, "started_at", TaskLikeJob::startedAt),
    FINISHED_AT("finished_at", SqlType.TIMESTAMP, Content.PLAIN, Source.TASK, "finished_at", TaskLikeJob::finishedAt),
    RUNNING("running", SqlType.BOOLEAN, Content.PLAIN, Source.COMPUTED, null, TaskLikeJob::running),
    SUCCESS("success", SqlType.BOOLEAN, Content.PLAIN, Source.COMPUTED, null, TaskLikeJob::success),
    OUTPUT("output", SqlType.VARCHAR, Content.PLAIN, Source.COMPUTED, null, TaskLikeJob::output),
    CREATED_AT("created_at", SqlType.TIMESTAMP, Content.PLAIN, Source.TASK, "created_at", TaskLikeJob::createdAt),
    UPDATED_AT("updated_at", SqlType.TIMESTAMP, Content.PLAIN, Source.TASK, "updated_at", TaskLikeJob::updatedAt),
    IS_LOCKED_BY_UUID("is_locked_by_uuid", SqlType.VARCHAR, Content.UUID, Source.NONE, null, null),
    LOG("log", SqlType.VARCHAR, Content.PLAIN, Source.PARENT, null, TaskLikeJob::log),
    TASKS_SUMMARY("tasks_summary", SqlType.TEXT, Content.SERIALIZED, Source.NONE, null, null),
    RUNTIME_CONSTRAINTS("runtime_constraints", SqlType.TEXT, Content.SERIALIZED, Source.PARENT, null,
            TaskLikeJob::runtimeConstraints),
    NONDETERMINISTIC("nondeterministic", SqlType.BOOLEAN, Content.PLAIN, Source.PARENT, null,
            TaskLikeJob::nondeterministic),
    REPOSITORY("repository", SqlType.VARCHAR, Content.PLAIN, Source.PARENT, null, TaskLikeJob::repository),
    SUPPLIED_SCRIPT_VERSION("supplied_script_version", SqlType.VARCHAR, Content.PLAIN, Source.PARENT, null,
            TaskLikeJob::suppliedScriptVersion),
    DOCKER_IMAGE_LOCATOR("docker_image_locator", SqlType.VARCHAR, Content.PLAIN, Source.PARENT, null,
            TaskLikeJob::dockerImageLocator),
    PRIORITY("priority", SqlType.INTEGER, Content.PLAIN, Source.COMPUTED, null, TaskLikeJob::priority),
    DESCRIPTION("description", SqlType.LONG_VARCHAR, Content.PLAIN, Source.NONE, null, null),
    STATE("state", SqlType.VARCHAR, Content.PLAIN, Source.COMPUTED, null, job -> job.state().text()),
    ARVADOS_SDK_VERSION("arvados_sdk_version", SqlType.VARCHAR, Content.PLAIN, Source.PARENT, null,
            TaskLikeJob::arvadosSdkVersion),
    COMPONENTS("components", SqlType.TEXT, Content.SERIALIZED, Source.NONE, null, null),
    SCRIPT_PARAMETERS_DIGEST("script_parameters_digest", SqlType.VARCHAR, Content.PLAIN, Source.COMPUTED, null,
            TaskLikeJob::scriptParametersDigest),

    // Added by the expand phase (expand.xml); NULL on every top-level job.
    PARENT_JOB_UUID("parent_job_uuid", SqlType.VARCHAR, Content.UUID, Source.TASK, "job_uuid", TaskLikeJob::parentJobUuid),
    LEGACY_TASK_UUID("legacy_task_uuid", SqlType.VARCHAR, Content.UUID, Source.TASK, "uuid", TaskLikeJob::legacyTaskUuid),
    TASK_SEQUENCE("task_sequence", SqlType.INTEGER, Content.PLAIN, Source.TASK, "sequence", TaskLikeJob::taskSequence),
    TASK_QSEQUENCE("task_qsequence", SqlType.BIGINT, Content.PLAIN, Source.TASK, "qsequence", TaskLikeJob::taskQsequence),
    CREATED_BY_JOB_UUID("created_by_job_uuid", SqlType.VARCHAR, Content.UUID, Source.COMPUTED, null,
            TaskLikeJob::createdByJobUuid),
    LEGACY_CREATED_BY_TASK_UUID("legacy_created_by_task_uuid", SqlType.VARCHAR, Content.UUID, Source.TASK,
            "created_by_job_task_uuid", TaskLikeJob::legacyCreatedByTaskUuid),
    TASK_PROGRESS("task_progress", SqlType.DOUBLE, Content.PLAIN, Source.TASK, "progress", TaskLikeJob::taskProgress),
    TASK_PARAMETERS("task_parameters", SqlType.TEXT, Content.SERIALIZED, Source.TASK, "parameters",
            TaskLikeJob::taskParameters),
    TASK_OUTPUT("task_output", SqlType.TEXT, Content.PLAIN, Source.TASK, "output", TaskLikeJob::taskOutput);

    /** A column's PostgreSQL type, as the DDL spells it and as an array element type name for unnest. */
    public enum SqlType {
        VARCHAR("character varying(255)", "varchar", Types.VARCHAR),
        /** jobs.description only. */
        LONG_VARCHAR("character varying(524288)", "varchar", Types.VARCHAR),
        TEXT("text", "text", Types.VARCHAR),
        TIMESTAMP("timestamp without time zone", "timestamp", Types.TIMESTAMP),
        BOOLEAN("boolean", "boolean", Types.BOOLEAN),
        INTEGER("integer", "int4", Types.INTEGER),
        BIGINT("bigint", "int8", Types.BIGINT),
        DOUBLE("double precision", "float8", Types.DOUBLE);

        private final String ddl;
        private final String element;
        private final int jdbc;

        SqlType(String ddl, String element, int jdbc) {
            this.ddl = ddl;
            this.element = element;
            this.jdbc = jdbc;
        }

        /** The {@link Types} code, for binding a NULL. */
        public int jdbcType() {
            return jdbc;
        }

        /** The type as CREATE TABLE and ALTER TABLE spell it. */
        public String ddl() {
            return ddl;
        }

        /** The type's short name, for {@code ?::name[]} and {@code Connection.createArrayOf}. */
        public String element() {
            return element;
        }
    }

    /** What a column's text means, beyond its SQL type: how the API renders and filters it. */
    public enum Content {
        PLAIN,
        /** An Arvados uuid (or NULL). */
        UUID,
        /** A serialized hash (docs/arvados.md §3: JSON or YAML text), rendered as an object. */
        SERIALIZED
    }

    /** Where a task-like job's value of the column comes from (docs/architecture.md, "The contract"). */
    public enum Source {
        /** The task's own column, byte for byte. */
        TASK,
        /** The parent job's column of the same name. */
        PARENT,
        /** Computed by {@link TaskJobMapping} (uuid, merged parameters, digest, state and flags, output hash, ...). */
        COMPUTED,
        /** Left NULL on a task-like job (or the column's default). */
        NONE
    }

    private static final List<JobColumn> WRITTEN = Arrays.stream(values()).filter(c -> c.source != Source.NONE).toList();
    // The expand phase's columns are the table's last ones, from parent_job_uuid on.
    private static final List<JobColumn> EXPAND =
            Arrays.stream(values()).filter(c -> c.ordinal() >= PARENT_JOB_UUID.ordinal()).toList();

    private static final List<JobColumn> ARVADOS =
            Arrays.stream(values()).filter(c -> c.ordinal() < PARENT_JOB_UUID.ordinal()).toList();

    private final String column;
    private final SqlType type;
    private final Content content;
    private final Source source;
    private final String taskColumn;
    private final Function<TaskLikeJob, ?> value;

    JobColumn(String column, SqlType type, Content content, Source source, String taskColumn,
              Function<TaskLikeJob, ?> value) {
        this.column = column;
        this.type = type;
        this.content = content;
        this.source = source;
        this.taskColumn = taskColumn;
        this.value = value;
    }

    /** The column's name in {@code jobs}. */
    public String column() {
        return column;
    }

    public SqlType type() {
        return type;
    }

    public Content content() {
        return content;
    }

    public Source source() {
        return source;
    }

    /**
     * The job_tasks column this one gives back byte for byte (the round trip and the contract's view read it from
     * here), or null. job_tasks' {@code success} is not here: it is rebuilt from {@link #STATE}.
     */
    public String taskColumn() {
        return taskColumn;
    }

    /** Whether the expand phase adds the column (it is not in Arvados' own jobs table). */
    public boolean addedByExpand() {
        return EXPAND.contains(this);
    }

    /** The column's value in a task-like job, as JDBC binds it (timestamps as LocalDateTime, state as its text). */
    public Object valueOf(TaskLikeJob job) {
        Objects.requireNonNull(job, "job");
        if (value == null) {
            throw new IllegalStateException(column + " is left NULL on a task-like job");
        }
        return value.apply(job);
    }

    /** Every column a task-like job writes (every one whose source is not NONE), in table order. */
    public static List<JobColumn> written() {
        return WRITTEN;
    }

    /** Arvados' own columns of jobs (the surrogate id aside), in table order: what the table holds before expand. */
    public static List<JobColumn> arvados() {
        return ARVADOS;
    }

    /** The columns the expand phase adds to jobs, in table order. */
    public static List<JobColumn> addedByExpandPhase() {
        return EXPAND;
    }

    /** The column named {@code name}, or null. */
    public static JobColumn named(String name) {
        for (JobColumn c : values()) {
            if (c.column.equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** The names of {@code columns}, comma-separated, each behind {@code prefix} (e.g. {@code "j."}, or ""). */
    public static String names(List<JobColumn> columns, String prefix) {
        StringBuilder out = new StringBuilder();
        for (JobColumn c : columns) {
            if (!out.isEmpty()) {
                out.append(", ");
            }
            out.append(prefix).append(c.column);
        }
        return out.toString();
    }
}
