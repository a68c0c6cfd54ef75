package org.arvados.tasksasjobs.cli;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.arvados.tasksasjobs.testdb.TestDatabase;

/** Short queries for assertions. */
final class Sql {

    private Sql() {
    }

    static long count(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void execute(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** The first column of every row, as text. */
    static List<String> column(TestDatabase db, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /** A checksum of every column of every row of a table; columns added and dropped again leave it unchanged. */
    static String checksum(TestDatabase db, String table) throws SQLException {
        return column(db, "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM " + table + " t").get(0);
    }
}
