package org.arvados.tasksasjobs.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TaskWhereTest {

    @Test
    void whereEntriesBecomeEqualityInAndIsNullFiltersOnTheirColumns() throws Exception {
        assertEquals(List.of(
                new JobFilter("parent_job_uuid", "=", "zzzzz-8i9sb-pshmckwoma9plh7"),
                new JobFilter("task_sequence", "in", List.of(0L, 1L)),
                new JobFilter("task_output", "=", null),
                new JobFilter("state", "=", "Complete")),
                TaskFilters.where("""
                        {"job_uuid": "zzzzz-8i9sb-pshmckwoma9plh7", "sequence": [0, 1], "output": null, "success": true}
                        """));
    }

    @Test
    void whereIsCheckedAsFiltersAre() {
        assertTrue(assertThrows(InvalidTaskRequestException.class, () -> TaskFilters.where("{\"script\": \"hash\"}"))
                .getMessage().contains("unknown job_task attribute \"script\""));
        assertTrue(assertThrows(InvalidTaskRequestException.class, () -> TaskFilters.where("{\"sequence\": \"one\"}"))
                .getMessage().contains("sequence is compared with an integer"));
        assertTrue(assertThrows(InvalidTaskRequestException.class, () -> TaskFilters.where("[]"))
                .getMessage().startsWith("where must be an object"));
        assertTrue(assertThrows(InvalidTaskRequestException.class, () -> TaskFilters.where("{"))
                .getMessage().startsWith("where is not JSON"));
    }

    @Test
    void anAbsentWhereIsNoCondition() throws Exception {
        assertEquals(List.of(), TaskFilters.where((String) null));
        assertEquals(List.of(), TaskFilters.where("{}"));
    }
}
