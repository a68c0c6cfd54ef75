package org.arvados.tasksasjobs.gateway.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class DatabaseOutageTest {

    @Test
    void connectionFailuresAreOutages() {
        assertTrue(DatabaseOutage.isOutage(new SQLException("I/O error", "08006")));
        assertTrue(DatabaseOutage.isOutage(new SQLException("terminating connection", "57P01")));
        assertTrue(DatabaseOutage.isOutage(new SQLTransientConnectionException("pool: timed out")));
        assertTrue(DatabaseOutage.isOutage(new SQLException("wrapped", null, new SQLException("refused", "08001"))));
    }

    @Test
    void failingStatementsAreNot() {
        assertFalse(DatabaseOutage.isOutage(new SQLException("syntax error", "42601")));
        assertFalse(DatabaseOutage.isOutage(new SQLException("duplicate key", "23505")));
        assertFalse(DatabaseOutage.isOutage(new SQLException("no state")));
    }
}
