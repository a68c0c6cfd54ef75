package org.arvados.tasksasjobs.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.arvados.tasksasjobs.reuse.ReuseEngine;
import org.junit.jupiter.api.Test;

class SqlTextTest {

    @Test
    void fillsEverySlotByNameAndLeavesTheRestOfTheTextAlone() {
        String sql = "SELECT '{}'::jsonb, $fn$x$fn$ FROM ${table} t WHERE t.id = ? ORDER BY t.id ${tie}";
        assertEquals("SELECT '{}'::jsonb, $fn$x$fn$ FROM job_tasks_legacy t WHERE t.id = ? ORDER BY t.id DESC",
                SqlText.fill(sql, Map.of("table", "job_tasks_legacy", "tie", "DESC", "unused", "x")));
    }

    @Test
    void aSlotLeftUnfilledIsAnErrorNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SqlText.fill("SELECT 1 FROM ${table}", Map.of("tie", "ASC")));
        assertTrue(e.getMessage().contains("${table}"), e.getMessage());
    }

    @Test
    void loadsAResourceBesideItsClassAndRefusesAMissingOne() {
        String candidates = SqlText.load(ReuseEngine.class, "candidates.sql");
        assertTrue(candidates.contains("${world}"), candidates);
        assertFalse(SqlText.fill(candidates, Map.of("log", "c.log", "parent", "", "world", "", "tie", "ASC")).contains("${"));
        assertThrows(IllegalStateException.class, () -> SqlText.load(ReuseEngine.class, "nothing.sql"));
    }
}
