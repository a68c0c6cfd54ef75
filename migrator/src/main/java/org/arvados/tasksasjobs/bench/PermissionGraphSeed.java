package org.arvados.tasksasjobs.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.arvados.tasksasjobs.sql.SqlText;

/**
 * The part of a real cluster's permission graph the gateway walks (docs/arvados.md §7, "Permissions"): the
 * {@code groups} and {@code links} tables as the API server defined them (the columns and indexes the gateway
 * uses), and a graph of a given size. The benchmark's user reaches its jobs as users of a real cluster do, not as
 * their owner: through a role group it belongs to, which can write a project, whose nested subprojects own the
 * jobs. Every other link joins other users and groups, so the walk stays the user's own while the tables are large.
 */
public final class PermissionGraphSeed {

    /** Read from core, where the test beds read it too. */
    private static final String TABLES = SqlText.load(SqlText.class, "arvados-permission-tables.sql");

    private PermissionGraphSeed() {
    }

    /** The two tables, empty: a cluster where nothing is shared. */
    public static void createTables(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(TABLES);
        }
    }

    /**
     * {@code links} permission links (and half as many groups) in all; {@code user} reaches {@code jobs} through a
     * role group, a shared project and two levels of subprojects, which then own the jobs.
     */
    public static void populate(Connection c, int links, String user, List<String> jobs) throws SQLException {
        String owner = "zzzzz-tpzed-benchowner00001";
        String role = "zzzzz-j7d0g-benchrole000001";
        String project = "zzzzz-j7d0g-benchproject001";
        String sub = "zzzzz-j7d0g-benchsubproj001";
        String subsub = "zzzzz-j7d0g-benchsubproj002";
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO groups (uuid, owner_uuid, name, group_class) VALUES"
                    + " ('" + role + "', '" + owner + "', 'bench role', 'role'),"
                    + " ('" + project + "', '" + owner + "', 'bench project', 'project'),"
                    + " ('" + sub + "', '" + project + "', 'bench subproject', 'project'),"
                    + " ('" + subsub + "', '" + sub + "', 'bench subsubproject', 'project')");
            st.execute("INSERT INTO links (tail_uuid, link_class, name, head_uuid) VALUES"
                    + " ('" + user + "', 'permission', 'can_manage', '" + role + "'),"
                    + " ('" + role + "', 'permission', 'can_write', '" + project + "')");
            // The rest of the cluster: 10,000 users sharing groups among themselves, and groups owning groups.
            int groups = Math.max(1, links / 2);
            st.execute("INSERT INTO groups (uuid, owner_uuid, name, group_class) SELECT"
                    + " 'zzzzz-j7d0g-' || lpad(to_hex(g), 15, '0'),"
                    + " CASE WHEN g % 3 = 0 THEN 'zzzzz-tpzed-' || lpad(to_hex(g % 10000), 15, '0')"
                    + "      ELSE 'zzzzz-j7d0g-' || lpad(to_hex(g / 2), 15, '0') END,"
                    + " 'group ' || g, CASE WHEN g % 5 = 0 THEN 'role' ELSE 'project' END"
                    + " FROM generate_series(1, " + groups + ") g");
            st.execute("INSERT INTO links (tail_uuid, link_class, name, head_uuid) SELECT"
                    + " CASE WHEN l % 2 = 0 THEN 'zzzzz-tpzed-' || lpad(to_hex(l % 10000), 15, '0')"
                    + "      ELSE 'zzzzz-j7d0g-' || lpad(to_hex(l % " + groups + " + 1), 15, '0') END,"
                    + " 'permission', (ARRAY['can_read', 'can_write', 'can_manage'])[l % 3 + 1],"
                    + " 'zzzzz-j7d0g-' || lpad(to_hex((l * 7919) % " + groups + " + 1), 15, '0')"
                    + " FROM generate_series(1, " + Math.max(0, links - 2) + ") l");
        }
        try (PreparedStatement st = c.prepareStatement("UPDATE jobs SET owner_uuid = ? WHERE uuid = ANY(?)")) {
            st.setString(1, subsub);
            st.setArray(2, c.createArrayOf("varchar", jobs.toArray()));
            st.executeUpdate();
        }
        try (Statement st = c.createStatement()) {
            st.execute("ANALYZE groups; ANALYZE links; ANALYZE jobs");
        }
    }
}
