package org.arvados.tasksasjobs.testdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FreshDatabaseExtension.class)
class FreshDatabaseExtensionTest {

    @Test
    void eachTestGetsAnEmptyDatabaseOfItsOwn(TestDatabase first, TestDatabase second) throws Exception {
        assertNotEquals(first.name(), second.name());
        try (Connection c = first.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE marker (id int)");
        }
        try (Connection c = second.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_name = 'marker'")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
    }
}
