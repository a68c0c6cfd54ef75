package org.arvados.tasksasjobs.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.arvados.tasksasjobs.gateway.Gateway;
import org.arvados.tasksasjobs.gateway.GatewaySettings;
import org.arvados.tasksasjobs.gateway.GatewayStartException;
import org.junit.jupiter.api.Test;

/**
 * A gateway starts only where it can connect and listen, and says why not in one line. Whether the database is
 * migrated is serve's check (ServeCommandTest), through changelogs' SchemaState.
 */
class GatewayStartTest {

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
        assertEquals(GatewaySettings.LOOPBACK, GatewaySettings.of("jdbc:postgresql:x", null, null, null).server().bindAddress());
    }
}
