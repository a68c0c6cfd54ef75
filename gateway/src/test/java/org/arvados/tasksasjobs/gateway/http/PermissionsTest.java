package org.arvados.tasksasjobs.gateway.http;

import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE_TOKEN;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.BOB;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.BOB_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.arvados.tasksasjobs.gateway.Gateway;
import org.arvados.tasksasjobs.gateway.MigratedArvadosExtension;
import org.arvados.tasksasjobs.gateway.http.ApiClient.Response;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Access as the API server decided it, through the links and groups of a real cluster: Alice's jobs live in her
 * projects, and Bob reaches them through a can_read link to a project, a can_write link to a parent project
 * (nested), membership of a role group that can manage a job, or not at all.
 */
@ExtendWith(MigratedArvadosExtension.class)
class PermissionsTest {

    private static final String READ_PROJECT = "zzzzz-j7d0g-readproject0001";
    private static final String WRITE_PROJECT = "zzzzz-j7d0g-writeproject001";
    private static final String SUBPROJECT = "zzzzz-j7d0g-subproject00001";
    private static final String ROLE = "zzzzz-j7d0g-rolegroup000001";
    private static final String READ_JOB = "zzzzz-8i9sb-readjob00000001";
    private static final String NESTED_JOB = "zzzzz-8i9sb-nestedjob000001";
    private static final String ROLE_JOB = "zzzzz-8i9sb-rolejob00000001";
    private static final String PRIVATE_JOB = "zzzzz-8i9sb-privatejob00001";

    @Test
    void bobGetsExactlyWhatTheLinksGrant(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO groups (uuid, owner_uuid, name, group_class) VALUES"
                    + " ('" + READ_PROJECT + "', '" + ALICE + "', 'shared to read', 'project'),"
                    + " ('" + WRITE_PROJECT + "', '" + ALICE + "', 'shared to write', 'project'),"
                    + " ('" + SUBPROJECT + "', '" + WRITE_PROJECT + "', 'nested', 'project'),"
                    + " ('" + ROLE + "', '" + ALICE + "', 'a team', 'role')");
            st.execute("INSERT INTO links (tail_uuid, link_class, name, head_uuid) VALUES"
                    + " ('" + BOB + "', 'permission', 'can_read', '" + READ_PROJECT + "'),"
                    + " ('" + BOB + "', 'permission', 'can_write', '" + WRITE_PROJECT + "'),"
                    + " ('" + BOB + "', 'permission', 'can_manage', '" + ROLE + "'),"
                    + " ('" + ROLE + "', 'permission', 'can_manage', '" + ROLE_JOB + "'),"
                    + " ('" + BOB + "', 'tag', 'can_manage', '" + PRIVATE_JOB + "')"); // not a permission link
            ArvadosJobs.insertRunning(c, READ_JOB, READ_PROJECT, "hash", Map.of("n", 1));
            ArvadosJobs.insertRunning(c, NESTED_JOB, SUBPROJECT, "hash", Map.of("n", 2));
            ArvadosJobs.insertRunning(c, ROLE_JOB, ALICE, "hash", Map.of("n", 3));
            ArvadosJobs.insertRunning(c, PRIVATE_JOB, ALICE, "hash", Map.of("n", 4));
        }
        try (Gateway gateway = ArvadosJobs.gateway(db)) {
            ApiClient alice = new ApiClient(gateway.port(), ALICE_TOKEN);
            ApiClient bob = new ApiClient(gateway.port(), BOB_TOKEN);
            // Alice owns the projects, so she reaches every job in them, nested ones included.
            Map<String, String> tasks = Map.of(READ_JOB, task(alice, READ_JOB), NESTED_JOB, task(alice, NESTED_JOB),
                    ROLE_JOB, task(alice, ROLE_JOB), PRIVATE_JOB, task(alice, PRIVATE_JOB));

            // can_read through a project: read, not write.
            assertEquals(200, bob.get("/arvados/v1/job_tasks/" + tasks.get(READ_JOB)).status());
            assertEquals(200, bob.get("/arvados/v1/jobs/" + READ_JOB).status());
            assertEquals(403, bob.put("/arvados/v1/job_tasks/" + tasks.get(READ_JOB),
                    "{\"job_task\": {\"progress\": 0.5}}").status());
            assertEquals(403, bob.post("/arvados/v1/job_tasks", body(READ_JOB)).status());
            assertEquals(403, bob.delete("/arvados/v1/job_tasks/" + tasks.get(READ_JOB)).status());

            // can_write on a parent project reaches a job in its subproject: read and write.
            assertEquals(200, bob.put("/arvados/v1/job_tasks/" + tasks.get(NESTED_JOB),
                    "{\"job_task\": {\"progress\": 0.5}}").status());
            assertEquals(200, bob.post("/arvados/v1/job_tasks", body(NESTED_JOB)).status());

            // Membership of a role group that can manage the job.
            assertEquals(200, bob.put("/arvados/v1/job_tasks/" + tasks.get(ROLE_JOB),
                    "{\"job_task\": {\"progress\": 0.25}}").status());

            // No permission (a tag link is not one): 404, as for a uuid that does not exist.
            Response hidden = bob.get("/arvados/v1/job_tasks/" + tasks.get(PRIVATE_JOB));
            assertEquals(404, hidden.status());
            assertEquals(404, bob.get("/arvados/v1/jobs/" + PRIVATE_JOB).status());
            assertEquals(404, bob.put("/arvados/v1/job_tasks/" + tasks.get(PRIVATE_JOB),
                    "{\"job_task\": {\"progress\": 0.5}}").status());

            // Lists show exactly the readable ones.
            Set<String> listed = new HashSet<>();
            bob.get(ApiClient.query("/arvados/v1/job_tasks", "limit", "100")).body().get("items")
                    .forEach(item -> listed.add(item.get("job_uuid").asText()));
            assertEquals(Set.of(READ_JOB, NESTED_JOB, ROLE_JOB), listed);
            Set<String> jobs = new HashSet<>();
            bob.get(ApiClient.query("/arvados/v1/jobs", "filters", "[[\"parent_job_uuid\",\"=\",null]]", "limit",
                    "100")).body().get("items").forEach(item -> jobs.add(item.get("uuid").asText()));
            assertTrue(jobs.containsAll(Set.of(READ_JOB, NESTED_JOB, ROLE_JOB)), jobs.toString());
            assertTrue(!jobs.contains(PRIVATE_JOB), jobs.toString());
        }
    }

    private static String task(ApiClient client, String job) throws Exception {
        Response created = client.post("/arvados/v1/job_tasks", body(job));
        assertEquals(200, created.status(), created.body().toString());
        return created.body().get("uuid").asText();
    }

    private static String body(String job) {
        return "{\"job_task\": {\"job_uuid\": \"" + job + "\", \"sequence\": 0, \"parameters\": {}}}";
    }
}
