package org.arvados.tasksasjobs.gateway.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.util.List;
import org.arvados.tasksasjobs.shim.InvalidTaskRequestException;
import org.arvados.tasksasjobs.shim.JobFilter;
import org.arvados.tasksasjobs.shim.JobOrder;
import org.junit.jupiter.api.Test;

class JobFiltersTest {

    private static String rejected(String filters) {
        return assertThrows(InvalidTaskRequestException.class, () -> JobFilters.filters(filters)).getMessage();
    }

    @Test
    void attributesAreTheJobsColumnsWithTypedValues() throws Exception {
        assertEquals(List.of(
                new JobFilter("parent_job_uuid", "=", null),
                new JobFilter("nondeterministic", "!=", true),
                new JobFilter("task_progress", ">", 0.5),
                new JobFilter("priority", "in", List.of(0L, 1L)),
                new JobFilter("created_at", "<", LocalDateTime.of(2016, 3, 1, 11, 0)),
                new JobFilter("script_parameters", "ilike", "%HG19%")),
                JobFilters.filters("""
                        [["parent_job_uuid", "=", null], ["nondeterministic", "!=", true], ["task_progress", ">", 0.5],
                         ["priority", "in", [0, 1]], ["jobs.created_at", "<", "2016-03-01T12:00:00+01:00"],
                         ["script_parameters", "ilike", "%HG19%"]]
                        """));
    }

    @Test
    void whereBecomesEqualityInAndIsNull() throws Exception {
        assertEquals(List.of(new JobFilter("state", "in", List.of("Queued", "Running")), new JobFilter("log", "=", null)),
                JobFilters.where("{\"state\": [\"Queued\", \"Running\"], \"log\": null}"));
    }

    @Test
    void untranslatableFiltersAreRefusedByName() {
        assertTrue(rejected("[[\"id\", \"=\", 1]]").contains("unknown job attribute \"id\""));
        assertTrue(rejected("[[\"script_parameters\", \"=\", \"{}\"]]").contains("operator \"=\" is not allowed on script_parameters"));
        assertTrue(rejected("[[\"nondeterministic\", \"<\", true]]").contains("not allowed"));
        assertTrue(rejected("[[\"running\", \"=\", \"yes\"]]").contains("running is compared with true or false"));
        assertTrue(rejected("[[\"uuid\", \"in\", \"x\"]]").contains("needs an array"));
        assertTrue(rejected("{}").startsWith("filters must be an array"));
    }

    @Test
    void orderAndSelectNameColumns() throws Exception {
        assertEquals(List.of(new JobOrder("created_at", true), new JobOrder("uuid", false)), JobFilters.order("[\"jobs.created_at desc\", \"uuid\"]"));
        assertEquals(List.of(new JobOrder("task_sequence", false)), JobFilters.order("task_sequence asc"));
        assertThrows(InvalidTaskRequestException.class, () -> JobFilters.order("[\"uuid sideways\"]"));
        assertEquals(List.of("kind", "uuid"), JobFilters.select("[\"kind\", \"uuid\"]").attributes());
        assertThrows(InvalidTaskRequestException.class, () -> JobFilters.select("[\"sequence\"]"));
    }
}
