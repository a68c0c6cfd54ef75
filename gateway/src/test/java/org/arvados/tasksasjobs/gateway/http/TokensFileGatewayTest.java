package org.arvados.tasksasjobs.gateway.http;

import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ADMIN;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE_TOKEN;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.BOB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.arvados.tasksasjobs.gateway.Gateway;
import org.arvados.tasksasjobs.gateway.GatewayStartException;
import org.arvados.tasksasjobs.gateway.MigratedArvadosExtension;
import org.arvados.tasksasjobs.gateway.http.ApiClient.Response;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A migrated database without Arvados's users tables: tokens come from the file given to serve, or nothing starts. */
@ExtendWith(MigratedArvadosExtension.class)
class TokensFileGatewayTest {

    private static final String JOB = "zzzzz-8i9sb-alicejob0000001";
    private static final String FILE_TOKEN = "filetoken0123456789abcdefghijklmnopqrstuvwxyz01234";
    private static final String FILE_ADMIN_TOKEN = "fileadmin0123456789abcdefghijklmnopqrstuvwxyz01234";
    private static final String FILE_BOB_TOKEN = "filebob0123456789abcdefghijklmnopqrstuvwxyz0123456";

    @TempDir
    Path dir;

    /** Called by each test: a {@code @BeforeEach} method would be handed a database of its own. */
    private static void dropTheUsersTables(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE api_client_authorizations");
            st.execute("DROP TABLE users");
            ArvadosJobs.insertRunning(c, JOB, ALICE, "hash", Map.of("input", "x"));
        }
    }

    private Path tokensFile() throws Exception {
        return Files.writeString(dir.resolve("tokens"), """
                # who may call this gateway
                %s %s

                %s %s admin
                %s %s
                """.formatted(FILE_TOKEN, ALICE, FILE_ADMIN_TOKEN, ADMIN, FILE_BOB_TOKEN, BOB));
    }

    @Test
    void tokensFromTheFileAuthenticate(TestDatabase db) throws Exception {
        dropTheUsersTables(db);
        Path file = tokensFile();
        try (Gateway gateway = Gateway.start(ArvadosJobs.settings(db).withTokensFile(file))) {
            assertEquals("the tokens file " + file, gateway.tokenSource());
            ApiClient alice = new ApiClient(gateway.port(), FILE_TOKEN);
            Response created = alice.post("/arvados/v1/job_tasks",
                    "{\"job_task\": {\"job_uuid\": \"" + JOB + "\", \"sequence\": 0, \"parameters\": {}}}");
            assertEquals(200, created.status(), created.body().toString());
            String task = created.body().get("uuid").asText();

            assertEquals(200, new ApiClient(gateway.port(), FILE_ADMIN_TOKEN).get("/arvados/v1/job_tasks/" + task)
                    .status(), "the admin flag of the file counts");
            assertEquals(404, new ApiClient(gateway.port(), FILE_BOB_TOKEN).get("/arvados/v1/job_tasks/" + task)
                    .status());
            assertEquals(401, new ApiClient(gateway.port(), ALICE_TOKEN).get("/arvados/v1/job_tasks/" + task)
                    .status(), "a token not in the file");
            assertEquals(401, new ApiClient(gateway.port(), null).get("/arvados/v1/job_tasks").status());
        }
    }

    @Test
    void withoutTablesOrFileTheGatewayDoesNotStart(TestDatabase db) throws Exception {
        dropTheUsersTables(db);
        GatewayStartException e = assertThrows(GatewayStartException.class, () -> ArvadosJobs.gateway(db));
        assertEquals("no api_client_authorizations table in this database; give --tokens FILE", e.getMessage());
    }

    @Test
    void malformedTokensFileRefusesStartNamingTheLine(TestDatabase db) throws Exception {
        dropTheUsersTables(db);
        Path file = Files.writeString(dir.resolve("tokens"), "# ok\n" + FILE_TOKEN + " " + ALICE + "\n"
                + FILE_BOB_TOKEN + " not-a-uuid\n");
        GatewayStartException e = assertThrows(GatewayStartException.class,
                () -> Gateway.start(ArvadosJobs.settings(db).withTokensFile(file)));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertFalse(e.getMessage().contains(FILE_BOB_TOKEN), e.getMessage());
    }

    @Test
    void missingTokensFileRefusesStart(TestDatabase db) throws Exception {
        dropTheUsersTables(db);
        GatewayStartException e = assertThrows(GatewayStartException.class,
                () -> Gateway.start(ArvadosJobs.settings(db).withTokensFile(dir.resolve("absent"))));
        assertTrue(e.getMessage().startsWith("cannot read the tokens file"), e.getMessage());
    }
}
