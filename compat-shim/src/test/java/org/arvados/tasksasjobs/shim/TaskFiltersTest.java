package org.arvados.tasksasjobs.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDateTime;
import java.util.List;
import org.arvados.tasksasjobs.mapping.JobState;
import org.arvados.tasksasjobs.mapping.StubYamlDecoder;
import org.arvados.tasksasjobs.mapping.TaskJobMapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TaskFiltersTest {

    private static String rejected(Executable call) {
        String message = assertThrows(InvalidTaskRequestException.class, call).getMessage();
        assertFalse(message.contains("\n"), message);
        return message;
    }

    @Test
    void workIsBoundedBeforeAnySqlIsWritten() throws Exception {
        String filter = "[\"sequence\", \"=\", 1]";
        String atCap = "[" + String.join(",", java.util.Collections.nCopies(AttributeFilters.MAX_FILTERS, filter)) + "]";
        assertEquals(AttributeFilters.MAX_FILTERS, TaskFilters.filters(atCap).size());
        String overCap = "[" + String.join(",", java.util.Collections.nCopies(30_000, filter)) + "]";
        assertEquals("at most 1000 filters, not 30000", rejected(() -> TaskFilters.filters(overCap)));
        String manyOrders = String.join(",", java.util.Collections.nCopies(101, "sequence"));
        assertEquals("at most 100 order terms, not 101", rejected(() -> TaskFilters.order(manyOrders)));
        assertEquals("at most 100 order terms, not 101", rejected(() -> TaskFilters.order("[" + String.join(",",
                java.util.Collections.nCopies(101, "\"sequence\"")) + "]")));
        assertEquals("at most 100 select entries, not 101", rejected(() -> TaskFilters.select("[" + String.join(",",
                java.util.Collections.nCopies(101, "\"sequence\"")) + "]")));
    }

    @Test
    void taskAttributesBecomeTheirJobsColumns() throws Exception {
        assertEquals(List.of(
                new JobFilter("parent_job_uuid", "=", "zzzzz-8i9sb-pshmckwoma9plh7"),
                new JobFilter("task_sequence", ">=", 1L),
                new JobFilter("task_qsequence", "<", 100L),
                new JobFilter("legacy_task_uuid", "in", List.of("zzzzz-ot0gb-runningjobtask1")),
                new JobFilter("task_progress", "<=", 0.5),
                new JobFilter("task_parameters", "like", "%input%"),
                new JobFilter("task_output", "!=", null),
                new JobFilter("legacy_created_by_task_uuid", "in", List.of("zzzzz-ot0gb-firsttaskofjob1")),
                new JobFilter("owner_uuid", "=", "zzzzz-tpzed-xurymjxw79nv3jz"),
                new JobFilter("created_at", ">", LocalDateTime.of(2016, 3, 1, 12, 0))),
                TaskFilters.filters("""
                        [["job_uuid", "=", "zzzzz-8i9sb-pshmckwoma9plh7"], ["sequence", ">=", 1], ["qsequence", "<", 100],
                         ["uuid", "in", ["zzzzz-ot0gb-runningjobtask1"]], ["progress", "<=", 0.5], ["parameters", "like", "%input%"],
                         ["output", "!=", null], ["created_by_job_task_uuid", "in", ["zzzzz-ot0gb-firsttaskofjob1"]],
                         ["owner_uuid", "=", "zzzzz-tpzed-xurymjxw79nv3jz"], ["created_at", ">", "2016-03-01T13:00:00+01:00"]]
                        """));
    }

    @Test
    void successBecomesTheStatesTheReverseMappingReadsIt() throws Exception {
        assertEquals(new JobFilter("state", "=", "Complete"), TaskFilters.filters("[[\"success\", \"=\", true]]").get(0));
        assertEquals(new JobFilter("state", "=", "Failed"), TaskFilters.filters("[[\"success\", \"=\", false]]").get(0));
        assertEquals(new JobFilter("state", "in", List.of("Queued", "Running", "Cancelled")),
                TaskFilters.filters("[[\"success\", \"=\", null]]").get(0));
        assertEquals(new JobFilter("state", "in", List.of("Queued", "Running", "Cancelled", "Failed")),
                TaskFilters.filters("[[\"success\", \"!=\", true]]").get(0));
        assertEquals(new JobFilter("state", "in", List.of("Failed", "Complete")),
                TaskFilters.filters("[[\"success\", \"in\", [true, false]]]").get(0));
        assertEquals(new JobFilter("state", "in", List.of("Queued", "Running", "Cancelled")),
                TaskFilters.filters("[[\"success\", \"not in\", [true, false]]]").get(0));
    }

    @Test
    void successFilterMatchesExactlyTheJobsWhoseRenderedSuccessIsThatValue() throws Exception {
        for (String value : List.of("true", "false", "null")) {
            JobFilter filter = TaskFilters.filters("[[\"success\", \"=\", " + value + "]]").get(0);
            for (JobState state : JobState.values()) {
                boolean matches = filter.op().equals("=") ? filter.value().equals(state.text())
                        : ((List<?>) filter.value()).contains(state.text());
                Boolean success = TaskJobMapping.toTaskRow(1, Tasks.job(state, "{}")).success();
                assertEquals(String.valueOf(success).equals(value), matches, value + " / " + state);
            }
        }
    }

    @Test
    void everyRenderedAttributeCanBeFilteredOrderedOrSelected() {
        ObjectNode task = new JobTaskResource(new StubYamlDecoder()).render(1, Tasks.job(JobState.QUEUED, "{}"));
        task.fieldNames().forEachRemaining(name -> {
            if (!name.equals("kind")) {
                assertNotNull(TaskFilters.columnOf(name), name);
            }
        });
    }

    @Test
    void isAOnAUuidAttributeKeepsTheKinds() throws Exception {
        assertEquals(new JobFilter("legacy_task_uuid", "is_a", List.of("arvados#jobTask")),
                TaskFilters.filters("[[\"uuid\", \"is_a\", \"arvados#jobTask\"]]").get(0));
    }

    @Test
    void noFiltersIsNoConditions() throws Exception {
        assertEquals(List.of(), TaskFilters.filters((String) null));
        assertEquals(List.of(), TaskFilters.filters("[]"));
    }

    @Test
    void untranslatableFiltersAreRejectedByName() {
        assertEquals("filter [\"progress\",\"like\",\"0%\"]: operator \"like\" is not allowed on progress",
                rejected(() -> TaskFilters.filters("[[\"progress\", \"like\", \"0%\"]]")));
        assertEquals("cannot filter on unknown job_task attribute \"script\"",
                rejected(() -> TaskFilters.filters("[[\"script\", \"=\", \"hash\"]]")));
        assertEquals("filter [\"success\",\"<\",true]: operator \"<\" is not allowed on success",
                rejected(() -> TaskFilters.filters("[[\"success\", \"<\", true]]")));
        assertEquals("filter [\"parameters\",\"=\",{}]: operator \"=\" is not allowed on parameters",
                rejected(() -> TaskFilters.filters("[[\"parameters\", \"=\", {}]]")));
        assertEquals("filter [\"sequence\",\"is_a\",\"arvados#jobTask\"]: operator \"is_a\" is not allowed on sequence",
                rejected(() -> TaskFilters.filters("[[\"sequence\", \"is_a\", \"arvados#jobTask\"]]")));
        assertEquals("filter [\"uuid\",\"~\",\"x\"]: unknown operator \"~\"",
                rejected(() -> TaskFilters.filters("[[\"uuid\", \"~\", \"x\"]]")));
    }

    @Test
    void wrongValuesAreRejected() {
        assertEquals("filter [\"sequence\",\"=\",\"1\"]: sequence is compared with an integer, not a string",
                rejected(() -> TaskFilters.filters("[[\"sequence\", \"=\", \"1\"]]")));
        assertEquals("filter [\"created_at\",\">\",\"soon\"]: created_at is compared with an ISO 8601 time, not a string",
                rejected(() -> TaskFilters.filters("[[\"created_at\", \">\", \"soon\"]]")));
        assertEquals("filter [\"uuid\",\"in\",\"x\"]: operator \"in\" needs an array",
                rejected(() -> TaskFilters.filters("[[\"uuid\", \"in\", \"x\"]]")));
        assertEquals("filter [\"sequence\",\"<\",null]: null can only be compared with = or !=",
                rejected(() -> TaskFilters.filters("[[\"sequence\", \"<\", null]]")));
        assertEquals("filter [\"success\",\"=\",\"true\"]: success is compared with true, false or null, not a string",
                rejected(() -> TaskFilters.filters("[[\"success\", \"=\", \"true\"]]")));
        assertEquals("filter [\"uuid\",\"=\"] is not [attribute, operator, value]",
                rejected(() -> TaskFilters.filters("[[\"uuid\", \"=\"]]")));
        assertEquals("filters must be an array of [attribute, operator, value], not an object",
                rejected(() -> TaskFilters.filters("{}")));
        rejected(() -> TaskFilters.filters("[[\"uuid\""));
    }

    @Test
    void orderTranslatesEveryForm() throws Exception {
        List<JobOrder> expected = List.of(new JobOrder("task_sequence", false), new JobOrder("task_qsequence", true));
        assertEquals(expected, TaskFilters.order("[\"sequence asc\", \"qsequence desc\"]"));
        assertEquals(expected, TaskFilters.order("sequence, job_tasks.qsequence DESC"));
        assertEquals(List.of(new JobOrder("created_at", false)), TaskFilters.order("\"created_at\""));
        assertEquals(List.of(), TaskFilters.order((String) null));
    }

    @Test
    void untranslatableOrderIsRejected() {
        assertEquals("cannot order by success: it is derived from the job state and has no column",
                rejected(() -> TaskFilters.order("success desc")));
        assertEquals("cannot order by unknown job_task attribute \"script\"", rejected(() -> TaskFilters.order("[\"script\"]")));
        assertEquals("order term \"sequence sideways\": direction must be asc or desc",
                rejected(() -> TaskFilters.order("sequence sideways")));
    }

    @Test
    void selectNamesTheColumnsThatHoldTheAttributes() throws Exception {
        assertEquals(List.of("legacy_task_uuid", "parent_job_uuid", "state", "task_output"),
                TaskFilters.select("[\"kind\", \"uuid\", \"job_uuid\", \"success\", \"output\", \"uuid\"]"));
        assertEquals("cannot select unknown job_task attribute \"script_parameters\"",
                rejected(() -> TaskFilters.select("[\"script_parameters\"]")));
    }
}
