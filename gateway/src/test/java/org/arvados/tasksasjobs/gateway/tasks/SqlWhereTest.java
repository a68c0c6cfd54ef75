package org.arvados.tasksasjobs.gateway.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.arvados.tasksasjobs.shim.InvalidTaskRequestException;
import org.arvados.tasksasjobs.shim.JobFilter;
import org.arvados.tasksasjobs.shim.JobOrder;
import org.arvados.tasksasjobs.shim.TaskFilters;
import org.junit.jupiter.api.Test;

class SqlWhereTest {

    @Test
    void valuesAreBoundAndNeverSpliced() {
        SqlWhere where = SqlWhere.NONE.and(List.of(
                new JobFilter("script", "=", "x'; DROP TABLE jobs; --"),
                new JobFilter("task_output", "=", null),
                new JobFilter("state", "!=", "Failed"),
                new JobFilter("task_sequence", "in", List.of(1L, 2L)),
                new JobFilter("owner_uuid", "not in", List.of("zzzzz-tpzed-alice0000000001")),
                new JobFilter("uuid", "is_a", List.of("arvados#job", "arvados#nothing"))));

        assertEquals(" WHERE j.script = ? AND j.task_output IS NULL AND (j.state <> ? OR j.state IS NULL)"
                + " AND j.task_sequence = ANY(?) AND (j.owner_uuid <> ALL(?) OR j.owner_uuid IS NULL) AND (j.uuid LIKE ?)",
                where.sql());
    }

    @Test
    void anEmptyInMatchesNothingAndAnUnknownKindToo() {
        assertEquals(" WHERE FALSE", SqlWhere.NONE.and(new JobFilter("uuid", "in", List.of())).sql());
        assertEquals(" WHERE FALSE", SqlWhere.NONE.and(new JobFilter("uuid", "is_a", List.of("arvados#nothing"))).sql());
        assertEquals("", SqlWhere.NONE.and(new JobFilter("uuid", "not in", List.of())).sql());
    }

    @Test
    void onlyWhitelistedColumnsReachSql() {
        assertThrows(IllegalArgumentException.class, () -> SqlWhere.NONE.and(new JobFilter("uuid; DROP TABLE jobs", "=", "x")));
        assertThrows(IllegalArgumentException.class, () -> SqlWhere.orderBy(List.of(new JobOrder("id desc, (SELECT 1)", false))));
    }

    @Test
    void ordersEndWithIdSoPagesNeitherOverlapNorSkip() throws InvalidTaskRequestException {
        assertEquals(" ORDER BY j.task_sequence DESC, j.legacy_task_uuid ASC, j.id ASC",
                SqlWhere.orderBy(TaskFilters.order("sequence desc, uuid")));
    }
}
