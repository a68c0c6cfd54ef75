package org.arvados.tasksasjobs.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The one place text of the operator's (inherit-policy keys) is written into SQL as a literal: it reads back unchanged. */
@ExtendWith(FreshDatabaseExtension.class)
class SqlLiteralTest {

    @Test
    void inheritPolicyKeysReadBackUnchangedWhateverStandardConformingStringsSays(TestDatabase db) throws Exception {
        List<String> keys = List.of("input", "it's", "back\\slash", "\\'; DROP TABLE jobs; --", "日本 \uD83D\uDE00", "$$", "");
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String setting : List.of("on", "off")) {
                st.execute("SET standard_conforming_strings = " + setting);
                for (String key : keys) {
                    try (ResultSet rs = st.executeQuery("SELECT " + ContractCheck.literal(key))) {
                        rs.next();
                        assertEquals(key, rs.getString(1), "standard_conforming_strings = " + setting);
                    }
                }
            }
        }
    }
}
