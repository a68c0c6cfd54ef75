package org.arvados.tasksasjobs.gateway.http;

import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.arvados.tasksasjobs.gateway.Gateway;
import org.arvados.tasksasjobs.gateway.GatewayStartException;
import org.arvados.tasksasjobs.gateway.MigratedArvadosExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Start, serve, close, start again on the same port; a port already taken is a one-line refusal. */
@ExtendWith(MigratedArvadosExtension.class)
class GatewayLifecycleTest {

    @Test
    void closedGatewayFreesItsPort(TestDatabase db) throws Exception {
        int port;
        try (Gateway gateway = ArvadosJobs.gateway(db)) {
            port = gateway.port();
            assertTrue(port > 0);
            assertEquals("127.0.0.1", gateway.address().getAddress().getHostAddress());
            assertEquals("the database's api_client_authorizations and users tables", gateway.tokenSource());
            assertEquals(200, new ApiClient(port, ALICE_TOKEN).get("/arvados/v1/jobs").status());
        }
        try (Gateway again = Gateway.start(ArvadosJobs.settings(db).withPort(port))) {
            assertEquals(port, again.port());
            assertEquals(200, new ApiClient(port, ALICE_TOKEN).get("/arvados/v1/job_tasks").status());
        }
    }

    @Test
    void portInUseRefusesStart(TestDatabase db) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            GatewayStartException e = assertThrows(GatewayStartException.class,
                    () -> Gateway.start(ArvadosJobs.settings(db).withPort(taken.getLocalPort())));
            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort()),
                    e.getMessage());
        }
    }
}
