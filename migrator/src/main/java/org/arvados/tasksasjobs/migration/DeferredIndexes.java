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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.arvados.tasksasjobs.backfill.ConnectionSource;

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

    /** The trigram index, the one whose deferral depends on the server and the workers ({@link #choose}). */
    static final String TRIGRAM = "jobs_trgm_text_search_idx";

    /** The indexes of jobs (arvados-baseline.xml) that a deferred migrate may drop, when they exist. */
    static final List<String> DEFERRABLE = List.of("jobs_search_index", TRIGRAM);

    /** The first PostgreSQL major version that builds a GIN index with parallel workers. */
    static final int PARALLEL_GIN_BUILD = 18;

    /** Which deferrable indexes a run drops, and which it keeps for its workers to maintain. */
    public record Choice(List<String> deferred, List<String> kept) {
        public Choice {
            deferred = List.copyOf(deferred);
            kept = List.copyOf(kept);
        }
    }

    /**
     * The deferrable indexes worth dropping for a backfill of {@code workers} workers on a server of major version
     * {@code serverMajor}. Before PostgreSQL 18 a GIN index is built by one process: measured on PostgreSQL 15 at
     * 200,000 tasks (docs/benchmarks.md), that build alone took 24-27 s, longer than a two-worker backfill keeping the
     * trigram index up to date in both of its backends; so with two or more workers it stays. One worker, or a
     * server that builds GIN in parallel, drops it.
     */
    static Choice choose(int serverMajor, int workers) {
        if (workers >= 2 && serverMajor < PARALLEL_GIN_BUILD) {
            return new Choice(DEFERRABLE.stream().filter(name -> !name.equals(TRIGRAM)).toList(), List.of(TRIGRAM));
        }
        return new Choice(DEFERRABLE, List.of());
    }

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
     * Records the definitions of the indexes {@code names} that exist and drops them, in one transaction. Returns the
     * names dropped (none when they were already dropped by a killed run, whose records are still there).
     */
    static List<String> defer(Connection c, List<String> names) throws SQLException {
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
                st.setArray(1, c.createArrayOf("text", names.toArray()));
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
     * maintenance_work_mem set for that transaction; then drops the table. Returns the names rebuilt. With
     * {@code more}, each index after the first is built at the same time on a connection of its own: the trigram
     * index is one process's work (PostgreSQL builds GIN indexes in one process), the search btree runs beside it.
     */
    static List<String> rebuild(Connection c, ConnectionSource more, String maintenanceWorkMem) throws SQLException {
        List<Map.Entry<String, String>> recorded = new ArrayList<>(recorded(c).entrySet());
        List<String> rebuilt = new ArrayList<>();
        if (more == null || recorded.size() < 2) {
            for (Map.Entry<String, String> index : recorded) {
                if (rebuildOne(c, index, maintenanceWorkMem)) {
                    rebuilt.add(index.getKey());
                }
            }
        } else {
            ExecutorService others = Executors.newFixedThreadPool(recorded.size() - 1, r -> {
                Thread t = new Thread(r, "tasks-as-jobs-index-rebuild");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<Boolean>> running = new ArrayList<>();
                for (Map.Entry<String, String> index : recorded.subList(1, recorded.size())) {
                    running.add(others.submit(() -> {
                        try (Connection own = more.open()) {
                            return rebuildOne(own, index, maintenanceWorkMem);
                        }
                    }));
                }
                SQLException failure = null;
                try {
                    if (rebuildOne(c, recorded.get(0), maintenanceWorkMem)) {
                        rebuilt.add(recorded.get(0).getKey());
                    }
                } catch (SQLException e) {
                    failure = e;
                }
                for (int i = 0; i < running.size(); i++) {
                    try {
                        if (running.get(i).get()) {
                            rebuilt.add(recorded.get(i + 1).getKey());
                        }
                    } catch (ExecutionException e) {
                        if (failure == null) {
                            failure = e.getCause() instanceof SQLException x ? x
                                    : new SQLException("rebuilding " + recorded.get(i + 1).getKey() + " failed: " + e.getCause(), e.getCause());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new SQLException("interrupted while the deferred indexes were rebuilt; run migrate again to finish", e);
                    }
                }
                if (failure != null) {
                    throw failure; // what was rebuilt is committed; the rest is still recorded for the next run
                }
            } finally {
                others.shutdownNow();
            }
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

    /** Builds one recorded index unless it exists, and deletes its record, in one transaction. */
    private static boolean rebuildOne(Connection c, Map.Entry<String, String> index, String maintenanceWorkMem) throws SQLException {
        return inTransaction(c, () -> {
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
            }
            try (PreparedStatement st = c.prepareStatement("DELETE FROM " + TABLE + " WHERE name = ?")) {
                st.setString(1, index.getKey());
                st.executeUpdate();
            }
            return !present;
        });
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
