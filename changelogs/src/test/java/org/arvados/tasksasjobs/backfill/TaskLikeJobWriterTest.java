package org.arvados.tasksasjobs.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.arvados.tasksasjobs.changelog.MigrationChangelog;
import org.arvados.tasksasjobs.changelog.Phase;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The walk's INSERT names legacy_task_uuid as its only arbiter; a row that conflicts on another unique index must
 * not fail the batch: the statement is rolled back to its savepoint and run again with every unique index an arbiter.
 */
@ExtendWith(ArvadosDatabaseExtension.class)
class TaskLikeJobWriterTest {

    private static final String PARENT = "zzzzz-8i9sb-parentjob000001";

    @Test
    void aConflictOnAnotherUniqueIndexSkipsThatRowAndWritesTheRest(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosRows rows = new ArvadosRows(c);
            rows.job(PARENT, "Complete", "{}");
            long renamed = rows.task("zzzzz-ot0gb-renamed00000001", PARENT, "{\"n\":1}", true, null, null);
            rows.task("zzzzz-ot0gb-carried00000002", PARENT, "{\"n\":2}", true, null, null);
            new MigrationChangelog(c).update(List.of(Phase.EXPAND), BackfillSettings.defaults(), new BackfillListener() { });
            c.setAutoCommit(false);
            BatchMapper mapper = new BatchMapper(c, BackfillSettings.defaults().mapping());
            TaskBatchReader reader = new TaskBatchReader(c, 100, 1 << 20);
            TaskLikeJobWriter writer = new TaskLikeJobWriter(c);
            assertEquals(2, writer.insert(mapper.map(reader.next(0, Long.MAX_VALUE)).jobs()));
            c.commit();

            // Renamed after it was carried: its new task-like job would take the legacy_task_id the old one holds.
            try (Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE job_tasks SET uuid = 'zzzzz-ot0gb-renamed00000009' WHERE id = " + renamed);
            }
            rows.task("zzzzz-ot0gb-fresh0000000003", PARENT, "{\"n\":3}", true, null, null);
            c.commit();
            List<TaskLikeJobWriter.Row> again = mapper.map(reader.next(0, Long.MAX_VALUE)).jobs();
            assertEquals(3, again.size());

            assertEquals(1, writer.insert(again), "only the new task's row: the renamed one and the carried one are skipped");
            c.commit();

            assertEquals("3", rows.scalar("SELECT count(*) FROM jobs WHERE legacy_task_uuid IS NOT NULL"));
            assertEquals("zzzzz-ot0gb-renamed00000001",
                    rows.scalar("SELECT legacy_task_uuid FROM jobs WHERE legacy_task_id = " + renamed));
            assertEquals("1", rows.scalar("SELECT count(*) FROM jobs WHERE legacy_task_uuid = 'zzzzz-ot0gb-fresh0000000003'"
                    + " AND legacy_task_id = (SELECT id FROM job_tasks WHERE uuid = 'zzzzz-ot0gb-fresh0000000003')"));
        }
    }
}
