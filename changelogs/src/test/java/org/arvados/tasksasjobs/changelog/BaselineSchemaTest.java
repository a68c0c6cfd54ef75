package org.arvados.tasksasjobs.changelog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.arvados.tasksasjobs.changelog.BaselineSchema.BaselineRefusedException;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FreshDatabaseExtension.class)
class BaselineSchemaTest {

    @Test
    void createsBothTablesWithEveryColumnAndIndex(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            BaselineSchema.apply(c);

            assertEquals(34, columns(c, "jobs"));
            assertEquals(18, columns(c, "job_tasks"));
            assertTrue(index(c, "jobs_trgm_text_search_idx").contains("gin_trgm_ops"));
            assertTrue(index(c, "jobs_search_index").contains("arvados_sdk_version"));
            assertTrue(index(c, "index_job_tasks_on_uuid").startsWith("CREATE UNIQUE INDEX"));
            assertEquals(14, indexes(c, "jobs"), "primary key + 11 btree + search + trigram");
            assertEquals(10, indexes(c, "job_tasks"), "primary key + 9");
            assertEquals(1, count(c, "SELECT count(*) FROM pg_class WHERE relname = 'job_tasks_qsequence_seq' AND relkind = 'S'"));
        }
    }

    @Test
    void printsNothingOnStandardOutput(TestDatabase db) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (Connection c = db.connect()) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            BaselineSchema.apply(c);
        } finally {
            System.setOut(original);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void leavesTheCallersConnectionOpenWithItsAutoCommitMode(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            assertTrue(c.getAutoCommit());
            BaselineSchema.apply(c);
            assertFalse(c.isClosed());
            assertTrue(c.getAutoCommit());
            assertEquals(0, count(c, "SELECT count(*) FROM jobs"));
        }
    }

    @Test
    void refusesADatabaseThatAlreadyHasJobs(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            BaselineSchema.apply(c);

            BaselineRefusedException e = assertThrows(BaselineRefusedException.class, () -> BaselineSchema.apply(c));

            assertTrue(e.getMessage().startsWith(
                    "refusing to create the Arvados baseline schema: this database already has a jobs table"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
            assertFalse(c.isClosed());
        }
    }

    @Test
    void refusesAJobsTableItDidNotCreate(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE jobs (id bigint)");

            assertThrows(BaselineRefusedException.class, () -> BaselineSchema.apply(c));
            assertEquals(0, count(c, "SELECT count(*) FROM pg_class WHERE relname = 'job_tasks'"));
        }
    }

    private static long columns(Connection c, String table) throws SQLException {
        return count(c, "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '"
                + table + "'");
    }

    private static long indexes(Connection c, String table) throws SQLException {
        return count(c, "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND tablename = '" + table + "'");
    }

    private static String index(Connection c, String name) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT indexdef FROM pg_indexes WHERE indexname = ?")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                assertTrue(rs.next(), "index " + name + " exists");
                return rs.getString(1);
            }
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
