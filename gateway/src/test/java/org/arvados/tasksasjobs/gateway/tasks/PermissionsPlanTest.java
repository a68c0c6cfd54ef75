package org.arvados.tasksasjobs.gateway.tasks;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.arvados.tasksasjobs.gateway.ArvadosUsers;
import org.arvados.tasksasjobs.gateway.MigratedArvadosExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The permission walk stays on the indexes when the tables are large: with 100,000 links and 50,000 groups, the
 * plan of the one query a request makes reads links by tail_uuid and groups by owner_uuid, never the whole table.
 */
@ExtendWith(MigratedArvadosExtension.class)
class PermissionsPlanTest {

    @Test
    void theWalkUsesTheIndexesOnALargeGraph(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO groups (uuid, owner_uuid, group_class) SELECT"
                        + " 'zzzzz-j7d0g-' || lpad(to_hex(g), 15, '0'), 'zzzzz-tpzed-' || lpad(to_hex(g % 10000), 15, '0'),"
                        + " 'project' FROM generate_series(1, 50000) g");
                st.execute("INSERT INTO links (tail_uuid, link_class, name, head_uuid) SELECT"
                        + " 'zzzzz-tpzed-' || lpad(to_hex(l % 10000), 15, '0'), 'permission', 'can_read',"
                        + " 'zzzzz-j7d0g-' || lpad(to_hex(l % 50000 + 1), 15, '0') FROM generate_series(1, 100000) l");
                st.execute("ANALYZE groups; ANALYZE links");
            }
            StringBuilder plan = new StringBuilder();
            try (PreparedStatement st = c.prepareStatement("EXPLAIN " + Permissions.LEVEL)) {
                st.setString(1, ArvadosUsers.BOB);
                st.setArray(2, c.createArrayOf("varchar", new Object[] {"zzzzz-8i9sb-x00000000000001", ArvadosUsers.ALICE}));
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
            }
            assertTrue(plan.toString().contains("index_links_on_tail_uuid"), plan.toString());
            assertTrue(plan.toString().contains("index_groups_on_owner_uuid"), plan.toString());
            assertFalse(plan.toString().contains("Seq Scan on links"), plan.toString());
            assertFalse(plan.toString().contains("Seq Scan on groups"), plan.toString());
        }
    }
}
