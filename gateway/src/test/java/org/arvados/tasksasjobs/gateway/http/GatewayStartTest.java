package org.arvados.tasksasjobs.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.arvados.tasksasjobs.gateway.Gateway;
import org.arvados.tasksasjobs.gateway.GatewaySettings;
import org.arvados.tasksasjobs.gateway.GatewayStartException;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A gateway starts only over a database it can serve, and says why not in one line. */
@ExtendWith(FreshDatabaseExtension.class)
class GatewayStartTest {

    @Test
    void databaseNotMigratedRefusesStartNamingMigrate(TestDatabase db) {
        GatewayStartException e = assertThrows(GatewayStartException.class, () -> ArvadosJobs.gateway(db));
        assertTrue(e.getMessage().contains("migrate"), e.getMessage());
        assertTrue(e.getMessage().contains("jobs.parent_job_uuid"), e.getMessage());
    }

    @Test
    void unreachableDatabaseRefusesStartWithoutThePassword() {
        GatewaySettings settings = GatewaySettings.of("jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=2",
                "someone", "hunter2-secret", null);
        GatewayStartException e = assertThrows(GatewayStartException.class, () -> Gateway.start(settings));
        assertTrue(e.getMessage().startsWith("cannot connect to the database"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertFalse(settings.toString().contains("hunter2"), settings.toString());
    }

    @Test
    void settingsRejectABadPortOrThreadCount() {
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> GatewaySettings.of("jdbc:postgresql:x", null, null, null).withPort(70000));
        assertTrue(port.getMessage().contains("70000"));
        assertThrows(IllegalArgumentException.class,
                () -> GatewaySettings.of("jdbc:postgresql:x", null, null, null).withThreads(0));
        assertEquals(GatewaySettings.LOOPBACK, GatewaySettings.of("jdbc:postgresql:x", null, null, null).bindAddress());
    }
}
