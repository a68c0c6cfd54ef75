package org.arvados.tasksasjobs.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The column table agrees with the model and with the mapping: every component of TaskLikeJob is one written column,
 * every TASK column gives back one job_tasks column, every PARENT column takes the parent's value.
 */
class JobColumnTest {

    private static final TaskJobMapping MAPPING = new TaskJobMapping(new SerializedHashReader(new StubYamlDecoder()),
            InheritPolicy.ALL, cluster -> cluster + "-8i9sb-000000000000000");

    private final TaskRow task = Fixtures.task().output(". d41d8cd98f00b204e9800998ecf8427e+0 0:0:out\n").build();
    private final ParentJob parent = Fixtures.parent().build();
    private final TaskLikeJob job = ((MappingOutcome.Mapped) MAPPING.map(task, parent, "zzzzz-8i9sb-firsttaskofjob1",
            uuid -> false)).job();

    @Test
    void everyComponentOfATaskLikeJobIsOneWrittenColumn() throws Exception {
        Set<String> components = new TreeSet<>();
        for (RecordComponent component : TaskLikeJob.class.getRecordComponents()) {
            String name = snakeCase(component.getName());
            components.add(name);
            JobColumn column = JobColumn.named(name);
            assertNotNull(column, "TaskLikeJob." + component.getName() + " has no row in JobColumn");
            Object value = component.getAccessor().invoke(job);
            assertEquals(value instanceof JobState state ? state.text() : value, column.valueOf(job), name);
        }
        Set<String> written = new TreeSet<>();
        JobColumn.written().forEach(c -> written.add(c.column()));
        assertEquals(components, written, "the columns a task-like job writes");
    }

    @Test
    void aTaskLikeJobIsRebuiltFromItsColumnsValues() {
        assertEquals(job, TaskLikeJob.of(column -> column.valueOf(job)));
        // As JDBC reads them: integers of any width, the state as text.
        TaskLikeJob read = TaskLikeJob.of(column -> column.valueOf(job) instanceof Integer i ? Long.valueOf(i) : column.valueOf(job));
        assertEquals(job, read);
        TaskLikeJob impure = job.impure();
        assertEquals(Boolean.TRUE, impure.nondeterministic());
        assertEquals(TaskLikeJob.of(column -> column == JobColumn.NONDETERMINISTIC ? Boolean.TRUE : column.valueOf(job)), impure);
        assertThrows(IllegalArgumentException.class,
                () -> TaskLikeJob.of(column -> column == JobColumn.STATE ? "Done" : column.valueOf(job)));
    }

    @Test
    void everyTaskColumnGivesBackItsJobTasksColumn() throws Exception {
        List<String> carried = new ArrayList<>();
        for (JobColumn column : JobColumn.values()) {
            if (column.taskColumn() == null) {
                continue;
            }
            assertEquals(JobColumn.Source.TASK, column.source(), column.column());
            carried.add(column.taskColumn());
            Object original = TaskRow.class.getMethod(camelCase(column.taskColumn())).invoke(task);
            assertEquals(original, column.valueOf(job), column.column() + " <- job_tasks." + column.taskColumn());
        }
        // Every job_tasks column but the surrogate id and success (rebuilt from state) is carried by exactly one.
        List<String> expected = new ArrayList<>();
        for (RecordComponent component : TaskRow.class.getRecordComponents()) {
            String name = snakeCase(component.getName());
            if (!name.equals("id") && !name.equals("success")) {
                expected.add(name);
            }
        }
        assertEquals(new TreeSet<>(expected), new TreeSet<>(carried));
        assertEquals(expected.size(), carried.size(), "no job_tasks column is carried twice");
    }

    @Test
    void everyParentColumnTakesTheParentsValue() throws Exception {
        for (JobColumn column : JobColumn.values()) {
            if (column.source() == JobColumn.Source.PARENT) {
                Object value = ParentJob.class.getMethod(camelCase(column.column())).invoke(parent);
                assertEquals(value, column.valueOf(job), column.column());
            }
        }
    }

    @Test
    void columnsLeftNullHaveNoValue() {
        for (JobColumn column : JobColumn.values()) {
            if (column.source() == JobColumn.Source.NONE) {
                assertThrows(IllegalStateException.class, () -> column.valueOf(job), column.column());
                assertNull(column.taskColumn());
            }
        }
    }

    @Test
    void theExpandPhaseAddsTheLastColumns() {
        List<String> expand = JobColumn.addedByExpandPhase().stream().map(JobColumn::column).toList();
        assertEquals("parent_job_uuid", expand.get(0));
        assertTrue(Arrays.stream(JobColumn.values()).filter(JobColumn::addedByExpand).allMatch(c -> c.source() != JobColumn.Source.NONE));
        assertEquals(33 + 9, JobColumn.values().length, "Arvados' 34 columns less id, and the expand phase's 9");
    }

    static String snakeCase(String camel) {
        return camel.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
    }

    static String camelCase(String snake) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char ch : snake.toCharArray()) {
            if (ch == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return out.toString();
    }
}
