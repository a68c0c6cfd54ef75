package org.arvados.tasksasjobs.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every connection of the gateway's pool runs with the statement timeout and without JIT, on a real server. */
@ExtendWith(MigratedArvadosExtension.class)
class GatewaySessionTest {

    @Test
    void sessionsHaveAStatementTimeoutAndNoJit(TestDatabase db) throws Exception {
        try (HikariDataSource pool = Gateway.pool(GatewaySettings.of(db.jdbcUrl(), db.user(), db.password(), null).withThreads(2));
             Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            assertEquals(Gateway.STATEMENT_TIMEOUT_SECONDS + "s", show(st, "statement_timeout"));
            assertEquals("off", show(st, "jit"));
        }
    }

    private static String show(Statement st, String setting) throws Exception {
        try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
