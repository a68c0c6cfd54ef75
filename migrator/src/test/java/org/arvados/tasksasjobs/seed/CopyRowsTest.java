package org.arvados.tasksasjobs.seed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FreshDatabaseExtension.class)
class CopyRowsTest {

    private static final List<String> TRICKY = List.of(
            "tab\there", "line\nbreak", "carriage\rreturn", "back\\slash", "\\N", "\\.", "Köln", "日本語", "reads_🧬_1.fastq",
            "---\nan_integer: '1'\n", ". d41d8cd98f00b204e9800998ecf8427e+0 0:0:empty\\040name.txt\n", "");

    @Test
    void textSurvivesCopyByteForByte(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (n int, s text, ts timestamp, b boolean, d double precision)");
            try (CopyRows out = new CopyRows(c, "t", "n, s, ts, b, d")) {
                for (int i = 0; i < TRICKY.size(); i++) {
                    out.number(i).text(TRICKY.get(i)).time(JobPlanner.BASE + 123_456L).bool(i % 2 == 0).real(0.25);
                    out.endRow();
                }
                out.number(99).text(null).time(CopyRows.NO_TIME).bool(null).real(null);
                out.endRow();
                out.finish();
                assertEquals(TRICKY.size() + 1, out.rows());
            }
            try (ResultSet rs = st.executeQuery("SELECT n, s, convert_to(s, 'UTF8'), ts::text, b, d FROM t ORDER BY n")) {
                for (String expected : TRICKY) {
                    rs.next();
                    assertEquals(expected, rs.getString(2));
                    assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), rs.getBytes(3));
                    assertEquals("2016-01-04 00:00:00.123456", rs.getString(4));
                    assertEquals(0.25, rs.getDouble(6));
                }
                rs.next();
                assertNull(rs.getString(2));
                assertNull(rs.getString(4));
                assertNull(rs.getObject(5));
                assertNull(rs.getObject(6));
            }
        }
    }
}
