package org.arvados.tasksasjobs.mapping;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;

/**
 * Every column a task-like job row of {@code jobs} gets (docs/architecture.md "The contract").
 * Columns a task-like job leaves NULL (submit_id, is_locked_by_uuid, cancelled_*, tasks_summary,
 * components, description) and the surrogate id are not here.
 *
 * <p>{@code scriptParameters} is canonical compact JSON and {@code scriptParametersDigest} its
 * digest; {@code taskParameters} and {@code taskOutput} are the task's text byte for byte.
 */
public record TaskLikeJob(
    String uuid,
    String ownerUuid,
    String modifiedByClientUuid,
    String modifiedByUserUuid,
    LocalDateTime modifiedAt,
    LocalDateTime createdAt,
    LocalDateTime updatedAt,
    LocalDateTime startedAt,
    LocalDateTime finishedAt,
    String script,
    String scriptVersion,
    String suppliedScriptVersion,
    String repository,
    String dockerImageLocator,
    String arvadosSdkVersion,
    String runtimeConstraints,
    Boolean nondeterministic,
    String scriptParameters,
    String scriptParametersDigest,
    JobState state,
    Boolean running,
    Boolean success,
    String output,
    String log,
    int priority,
    String parentJobUuid,
    String legacyTaskUuid,
    Integer taskSequence,
    Long taskQsequence,
    String createdByJobUuid,
    String legacyCreatedByTaskUuid,
    Double taskProgress,
    String taskParameters,
    String taskOutput) {

    /**
     * This job marked impure ({@code nondeterministic = true}): it read its parent's record, so it is never reused.
     * Every later write keeps the mark, whatever the parent's flag (which the mapping copies) says.
     */
    public TaskLikeJob impure() {
        return of(column -> column == JobColumn.NONDETERMINISTIC ? Boolean.TRUE : column.valueOf(this));
    }

    /**
     * A task-like job from its columns' values as JDBC reads them, each asked of {@code value} by its row of the column
     * table: the state as its text, integers as any {@link Number}, NULL as null (priority NULL reads as 0).
     *
     * @throws IllegalArgumentException for a state that is not a job state
     */
    public static TaskLikeJob of(Function<JobColumn, Object> value) {
        Object[] arguments = new Object[COLUMNS.length];
        for (int i = 0; i < arguments.length; i++) {
            Object v = value.apply(COLUMNS[i]);
            Class<?> type = COMPONENTS[i].getType();
            if (type == JobState.class) {
                v = JobState.fromText((String) v);
            } else if ((type == Integer.class || type == int.class) && v instanceof Number n) {
                v = n.intValue();
            } else if (type == Long.class && v instanceof Number n) {
                v = n.longValue();
            } else if (type == int.class && v == null) {
                v = 0;
            }
            arguments[i] = v;
        }
        try {
            return CANONICAL.newInstance(arguments);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a TaskLikeJob: " + e.getMessage(), e);
        }
    }

    // The record's components and the column of each (components and written columns are one-to-one: JobColumnTest).
    private static final RecordComponent[] COMPONENTS = TaskLikeJob.class.getRecordComponents();
    private static final JobColumn[] COLUMNS = Arrays.stream(COMPONENTS)
            .map(c -> JobColumn.named(c.getName().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT)))
            .toArray(JobColumn[]::new);
    private static final Constructor<TaskLikeJob> CANONICAL = canonical();

    private static Constructor<TaskLikeJob> canonical() {
        try {
            return TaskLikeJob.class.getDeclaredConstructor(
                    Arrays.stream(COMPONENTS).map(RecordComponent::getType).toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
