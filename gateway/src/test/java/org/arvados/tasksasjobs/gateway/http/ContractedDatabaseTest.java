package org.arvados.tasksasjobs.gateway.http;

import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.backfill.BackfillListener;
import org.arvados.tasksasjobs.backfill.BackfillSettings;
import org.arvados.tasksasjobs.changelog.MigrationChangelog;
import org.arvados.tasksasjobs.changelog.Phase;
import org.arvados.tasksasjobs.gateway.Gateway;
import org.arvados.tasksasjobs.gateway.MigratedArvadosExtension;
import org.arvados.tasksasjobs.gateway.http.ApiClient.Response;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** After the contract phase the gateway reads and writes tasks as before, and what it writes shows in the job_tasks view. */
@ExtendWith(MigratedArvadosExtension.class)
class ContractedDatabaseTest {

    private static final String JOB = "zzzzz-8i9sb-contractjob0001";
    private static final String MANIFEST = ". d41d8cd98f00b204e9800998ecf8427e+0 0:0:md5sum.txt\n";

    @Test
    void gatewayReadsAndWritesTasksOfAContractedDatabaseAndTheViewShowsThem(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ArvadosJobs.insertRunning(c, JOB, ALICE, "hash", Map.of("input", "x", "algorithm", "md5"));
            execute(c, "INSERT INTO job_tasks (uuid, owner_uuid, job_uuid, sequence, parameters, created_at, updated_at, qsequence)"
                    + " VALUES ('zzzzz-ot0gb-beforecontract1', '" + ALICE + "', '" + JOB + "', 0, '{}', now(), now(), 0)");
            MigrationChangelog changelog = new MigrationChangelog(c);
            changelog.update(List.of(Phase.BACKFILL), BackfillSettings.defaults(), BackfillListener.NONE);
            execute(c, "INSERT INTO tasks_as_jobs_verification (started_at, passed, checks) VALUES (now(), true, '{}')");
            changelog.update(List.of(Phase.CONTRACT), BackfillSettings.defaults(), BackfillListener.NONE);
        }
        String created;
        try (Gateway gateway = ArvadosJobs.gateway(db)) {
            ApiClient alice = new ApiClient(gateway.port(), ALICE_TOKEN);
            Response old = alice.get("/arvados/v1/job_tasks/zzzzz-ot0gb-beforecontract1");
            assertEquals(200, old.status(), old.body().toString());
            Response create = alice.post("/arvados/v1/job_tasks", "{\"job_task\": {\"job_uuid\": \"" + JOB + "\", \"sequence\": 1,"
                    + " \"parameters\": {\"input\": \"x/a.txt\"}}}");
            assertEquals(200, create.status(), create.body().toString());
            created = create.body().get("uuid").asText();
            Response update = alice.put("/arvados/v1/job_tasks/" + created, "{\"job_task\": {\"output\": "
                    + ApiClient.JSON.writeValueAsString(MANIFEST) + ", \"success\": true, \"progress\": 1.0}}");
            assertEquals(200, update.status(), update.body().toString());
            assertEquals(true, update.body().get("success").asBoolean());
            Response list = alice.get(ApiClient.query("/arvados/v1/job_tasks", "filters", "[[\"job_uuid\", \"=\", \"" + JOB + "\"]]"));
            assertEquals(2, list.body().get("items_available").asInt(), list.body().toString());
        }
        try (Connection c = db.connect()) {
            List<String> row = rows(c, "SELECT uuid, job_uuid, sequence::text, parameters, output, progress::text, success::text,"
                    + " (id IS NOT NULL)::text FROM job_tasks WHERE uuid = '" + created + "'");
            assertEquals(List.of(created, JOB, "1", "{\"input\":\"x/a.txt\"}", MANIFEST, "1", "true", "true"), row,
                    "a legacy SQL client sees the gateway's task, with an id from job_tasks_id_seq");
            assertEquals(rows(c, "SELECT t::text FROM job_tasks t ORDER BY id"), rows(c, "SELECT t::text FROM job_tasks_legacy t ORDER BY id"));
            List<String> view = rows(c, "SELECT t::text FROM job_tasks t ORDER BY id");

            assertTrue(new MigrationChangelog(c).rollbackContract());

            assertEquals(view, rows(c, "SELECT t::text FROM job_tasks t ORDER BY id"), "the table holds the gateway's task after rollback");
        }
    }

    private static void execute(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static List<String> rows(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= n; i++) {
                    out.add(rs.getString(i));
                }
            }
        }
        return out;
    }
}
