package org.arvados.tasksasjobs.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The jobs indexes a maintenance-window migrate drops before its backfill and rebuilds after it: the 17-column
 * search btree and the trigram GIN index, which cost the backfill most of its time (docs/arvados.md §1).
 *
 * <p>Each definition (pg_get_indexdef) is written to {@value #TABLE} in the transaction that drops the index, so a
 * killed run never loses one; each rebuild deletes its row in the transaction of its CREATE INDEX. The table exists
 * only while an index waits: the last rebuild drops it, so a finished migration or a rollback leaves no trace.
 */
public final class DeferredIndexes {

    /** Where the dropped indexes' definitions wait. */
    public static final String TABLE = "tasks_as_jobs_deferred_index";

    /** The indexes of jobs (arvados-baseline.xml) that a deferred migrate drops, when they exist. */
    static final List<String> DEFERRABLE = List.of("jobs_search_index", "jobs_trgm_text_search_idx");

    /** maintenance_work_mem for the rebuilds unless told otherwise. */
    public static final String DEFAULT_MAINTENANCE_WORK_MEM = "512MB";

    private static final Pattern MEMORY = Pattern.compile("[1-9][0-9]{0,9}(kB|MB|GB|TB)?");

    private DeferredIndexes() {
    }

    /** Throws IllegalArgumentException unless {@code value} is a PostgreSQL memory setting such as 512MB. */
    static String requireMemory(String value) {
        if (value == null || !MEMORY.matcher(value).matches()) {
            throw new IllegalArgumentException("maintenance work mem must be a PostgreSQL memory size such as 512MB or 2GB, not '"
                    + value + "'");
        }
        return value;
    }

    /**
     * Records the definitions of the deferrable indexes that exist and drops them, in one transaction. Returns the
     * names dropped (none when they were already dropped by a killed run, whose records are still there).
     */
    static List<String> defer(Connection c) throws SQLException {
        return inTransaction(c, () -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (name text PRIMARY KEY, definition text NOT NULL,"
                        + " dropped_at timestamp with time zone NOT NULL DEFAULT now())");
            }
            String record = """
                    INSERT INTO %s (name, definition)
                    SELECT i.relname, pg_get_indexdef(i.oid)
                    FROM pg_index x
                    JOIN pg_class i ON i.oid = x.indexrelid
                    WHERE x.indrelid = to_regclass('jobs') AND i.relname = ANY (?)
                    ORDER BY i.relname
                    ON CONFLICT (name) DO NOTHING
                    RETURNING name
                    """.formatted(TABLE);
            List<String> dropped = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement(record)) {
                st.setArray(1, c.createArrayOf("text", DEFERRABLE.toArray()));
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        dropped.add(rs.getString(1));
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                for (String name : dropped) {
                    st.execute("DROP INDEX " + quote(c, name));
                }
            }
            return dropped;
        });
    }

    /** The indexes waiting to be rebuilt, by name (none when the table does not exist). */
    public static List<String> waiting(Connection c) throws SQLException {
        return new ArrayList<>(recorded(c).keySet());
    }

    /**
     * Rebuilds every recorded index, each in a transaction of its own that also deletes its record, with
     * maintenance_work_mem set for that transaction; then drops the table. Returns the names rebuilt.
     */
    static List<String> rebuild(Connection c, String maintenanceWorkMem) throws SQLException {
        Map<String, String> recorded = recorded(c);
        List<String> rebuilt = new ArrayList<>();
        for (Map.Entry<String, String> index : recorded.entrySet()) {
            inTransaction(c, () -> {
                try (PreparedStatement st = c.prepareStatement("SELECT set_config('maintenance_work_mem', ?, true)")) {
                    st.setString(1, maintenanceWorkMem);
                    st.execute();
                }
                boolean present;
                try (PreparedStatement st = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                    st.setString(1, quote(c, index.getKey()));
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        present = rs.getBoolean(1);
                    }
                }
                if (!present) {
                    try (Statement st = c.createStatement()) {
                        st.execute(index.getValue()); // pg_get_indexdef's own text: catalog output, trusted
                    }
                    rebuilt.add(index.getKey());
                }
                try (PreparedStatement st = c.prepareStatement("DELETE FROM " + TABLE + " WHERE name = ?")) {
                    st.setString(1, index.getKey());
                    st.executeUpdate();
                }
                return null;
            });
        }
        if (exists(c)) {
            inTransaction(c, () -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + TABLE)) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        st.execute("DROP TABLE " + TABLE);
                    }
                }
                return null;
            });
        }
        return rebuilt;
    }

    private static Map<String, String> recorded(Connection c) throws SQLException {
        Map<String, String> recorded = new LinkedHashMap<>();
        if (!exists(c)) {
            return recorded;
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name, definition FROM " + TABLE + " ORDER BY name")) {
            while (rs.next()) {
                recorded.put(rs.getString(1), rs.getString(2));
            }
        }
        return recorded;
    }

    private static boolean exists(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            st.setString(1, TABLE);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static String quote(Connection c, String name) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT quote_ident(?)")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }

    private static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }
}
