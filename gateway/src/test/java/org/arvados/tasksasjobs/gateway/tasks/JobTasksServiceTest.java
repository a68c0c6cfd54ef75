package org.arvados.tasksasjobs.gateway.tasks;

import static org.arvados.tasksasjobs.gateway.tasks.GatewayRows.ADMIN;
import static org.arvados.tasksasjobs.gateway.tasks.GatewayRows.ALICE;
import static org.arvados.tasksasjobs.gateway.tasks.GatewayRows.ALICE_JOB;
import static org.arvados.tasksasjobs.gateway.tasks.GatewayRows.ALICE_OTHER_JOB;
import static org.arvados.tasksasjobs.gateway.tasks.GatewayRows.BOB;
import static org.arvados.tasksasjobs.gateway.tasks.GatewayRows.BOB_JOB;
import static org.arvados.tasksasjobs.gateway.tasks.GatewayRows.INPUT;
import static org.arvados.tasksasjobs.gateway.tasks.GatewayRows.MANIFEST;
import static org.arvados.tasksasjobs.gateway.tasks.GatewayRows.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.gateway.ArvadosUsers;
import org.arvados.tasksasjobs.gateway.MigratedArvadosExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

@ExtendWith(MigratedArvadosExtension.class)
class JobTasksServiceTest {

    private static ObjectNode task(String jobUuid, String extra) {
        return (ObjectNode) json("{\"job_task\": {\"job_uuid\": \"" + jobUuid + "\"" + (extra.isEmpty() ? "" : ", " + extra) + "}}");
    }

    private static GatewayException refused(int status, Executable call) {
        GatewayException e = assertThrows(GatewayException.class, call);
        assertEquals(status, e.status(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    @Test
    void createMakesATaskLikeJobByTheContractAndShowsItAsATask(TestDatabase db) throws Exception {
        GatewayRows rows = new GatewayRows(db);
        rows.job(ALICE_JOB, ArvadosUsers.ALICE, "{\"reference\":\"hg19\",\"input\":\"whole\"}");

        ObjectNode created = rows.tasks().create(ALICE, task(ALICE_JOB, "\"sequence\": 1, \"parameters\": {\"input\": \"" + INPUT + "\"}"));

        String taskUuid = created.get("uuid").asText();
        assertTrue(taskUuid.matches("zzzzz-ot0gb-[0-9a-z]{15}"), taskUuid);
        assertEquals("arvados#jobTask", created.get("kind").asText());
        assertEquals(ALICE_JOB, created.get("job_uuid").asText());
        assertEquals(1, created.get("sequence").asInt());
        assertEquals(INPUT, created.get("parameters").get("input").asText());
        assertTrue(created.get("success").isNull());
        assertEquals(ArvadosUsers.ALICE, created.get("owner_uuid").asText());
        assertEquals("2026-01-02T03:04:05.123456000Z", created.get("created_at").asText());
        assertTrue(created.get("qsequence").asLong() >= 0);

        Map<String, Object> row = rows.row("zzzzz-8i9sb-" + taskUuid.substring(12));
        assertEquals(taskUuid, row.get("legacy_task_uuid"));
        assertEquals(ALICE_JOB, row.get("parent_job_uuid"));
        assertEquals("hash", row.get("script"));
        assertEquals("{\"input\":\"" + INPUT + "\",\"reference\":\"hg19\"}", row.get("script_parameters"));
        assertEquals("{\"input\":\"" + INPUT + "\"}", row.get("task_parameters"));
        assertEquals("Queued", row.get("state"));
        assertNull(row.get("log"), "the parent has no log yet");
    }

    @Test
    void getFindsATaskByItsOldUuidAndByItsJobsUuid(TestDatabase db) throws Exception {
        GatewayRows rows = new GatewayRows(db);
        rows.job(ALICE_JOB, ArvadosUsers.ALICE, "{}");
        JobTasksService tasks = rows.tasks();
        ObjectNode created = tasks.create(ALICE, task(ALICE_JOB, ""));
        String taskUuid = created.get("uuid").asText();

        assertEquals(created, tasks.get(ALICE, taskUuid));
        assertEquals(created, tasks.get(ALICE, "zzzzz-8i9sb-" + taskUuid.substring(12)));
    }

    @Test
    void unknownTasksAndTopLevelJobsAreNotFound(TestDatabase db) throws Exception {
        GatewayRows rows = new GatewayRows(db);
        rows.job(ALICE_JOB, ArvadosUsers.ALICE, "{}");
        JobTasksService tasks = rows.tasks();

        refused(404, () -> tasks.get(ALICE, "zzzzz-ot0gb-nosuchtask00001"));
        refused(404, () -> tasks.get(ALICE, ALICE_JOB));
        refused(404, () -> tasks.update(ALICE, "zzzzz-ot0gb-nosuchtask00001", json("{\"job_task\": {}}")));
        refused(404, () -> tasks.delete(ALICE, "zzzzz-ot0gb-nosuchtask00001"));
    }

    @Test
    void anotherUsersTaskIsForbiddenAndAdminsSeeEverything(TestDatabase db) throws Exception {
        GatewayRows rows = new GatewayRows(db);
        rows.job(ALICE_JOB, ArvadosUsers.ALICE, "{}");
        rows.job(BOB_JOB, ArvadosUsers.BOB, "{}");
        JobTasksService tasks = rows.tasks();
        String alices = tasks.create(ALICE, task(ALICE_JOB, "")).get("uuid").asText();
        String bobs = tasks.create(BOB, task(BOB_JOB, "")).get("uuid").asText();

        refused(404, () -> tasks.get(BOB, alices));
        refused(404, () -> tasks.update(BOB, alices, json("{\"job_task\": {\"progress\": 0.5}}")));
        refused(404, () -> tasks.delete(BOB, alices));
        refused(403, () -> tasks.create(BOB, task(ALICE_JOB, "")));
        // Moving her own task under Bob's job is as forbidden as creating one there.
        refused(403, () -> tasks.update(ALICE, alices, json("{\"job_task\": {\"job_uuid\": \"" + BOB_JOB + "\"}}")));
        // The calling-task header must name a task the caller may write.
        refused(404, () -> tasks.get(GatewayRows.calling(BOB, alices), bobs));
        refused(404, () -> tasks.get(GatewayRows.calling(BOB, "zzzzz-ot0gb-nosuchtask00001"), bobs));

        assertEquals(alices, tasks.get(ADMIN, alices).get("uuid").asText());
        assertEquals(List.of(bobs), uuids(tasks.list(BOB, ListQuery.NONE)));
        assertEquals(2, tasks.list(ADMIN, ListQuery.NONE).get("items_available").asInt());
        assertEquals(1, tasks.list(ALICE, ListQuery.NONE).get("items_available").asInt());
    }

    @Test
    void listTakesFiltersWhereOrderLimitOffsetSelectAndCount(TestDatabase db) throws Exception {
        GatewayRows rows = new GatewayRows(db);
        rows.job(ALICE_JOB, ArvadosUsers.ALICE, "{}");
        rows.job(ALICE_OTHER_JOB, ArvadosUsers.ALICE, "{}");
        JobTasksService tasks = rows.tasks();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(tasks.create(ALICE, task(ALICE_JOB, "\"sequence\": " + i + ", \"qsequence\": " + (10 - i))).get("uuid").asText());
        }
        tasks.create(ALICE, task(ALICE_OTHER_JOB, "\"sequence\": 1"));

        ObjectNode page = tasks.list(ALICE, new ListQuery("[[\"job_uuid\", \"=\", \"" + ALICE_JOB + "\"]]",
                "{\"sequence\": [1, 2, 3, 4]}", "[\"sequence desc\"]", "2", "1", "[\"uuid\", \"sequence\"]", null));

        assertEquals("arvados#jobTaskList", page.get("kind").asText());
        assertEquals(4, page.get("items_available").asInt());
        assertEquals(1, page.get("offset").asInt());
        assertEquals(2, page.get("limit").asInt());
        assertEquals(List.of(created.get(3), created.get(2)), uuids(page));
        JsonNode first = page.get("items").get(0);
        assertEquals(List.of("kind", "uuid", "sequence"), fieldNames(first));

        ObjectNode uncounted = tasks.list(ALICE, new ListQuery(null, "{\"job_uuid\": \"" + ALICE_OTHER_JOB + "\"}", "qsequence",
                null, null, null, "none"));
        assertFalse(uncounted.has("items_available"));
        assertEquals(1, uncounted.get("items").size());
        assertEquals(100, uncounted.get("limit").asInt());

        ObjectNode byQsequence = tasks.list(ALICE, new ListQuery("[[\"success\", \"=\", null]]", "{\"job_uuid\": \"" + ALICE_JOB + "\"}",
                "[\"qsequence asc\"]", "0", null, null, null));
        assertEquals(0, byQsequence.get("items").size());
        assertEquals(5, byQsequence.get("items_available").asInt());
    }

    @Test
    void badListParametersAreUnprocessable(TestDatabase db) throws Exception {
        JobTasksService tasks = new GatewayRows(db).tasks();

        assertTrue(refused(422, () -> tasks.list(ALICE, new ListQuery("[[\"script\", \"=\", \"x\"]]", null, null, null, null, null, null)))
                .getMessage().contains("unknown job_task attribute"));
        refused(422, () -> tasks.list(ALICE, new ListQuery(null, "{\"sequence\": \"one\"}", null, null, null, null, null)));
        refused(422, () -> tasks.list(ALICE, new ListQuery(null, null, "[\"success\"]", null, null, null, null)));
        refused(422, () -> tasks.list(ALICE, new ListQuery(null, null, null, "-1", null, null, null)));
        refused(422, () -> tasks.list(ALICE, new ListQuery(null, null, null, null, "x", null, null)));
        refused(422, () -> tasks.list(ALICE, new ListQuery(null, null, null, null, null, "[\"script\"]", null)));
        refused(422, () -> tasks.list(ALICE, new ListQuery(null, null, null, null, null, null, "maybe")));
    }

    @Test
    void createsThatCannotBeCarriedAreUnprocessable(TestDatabase db) throws Exception {
        GatewayRows rows = new GatewayRows(db);
        rows.job(ALICE_JOB, ArvadosUsers.ALICE, "{}");
        rows.job("zzzzz-8i9sb-unreadable00001", ArvadosUsers.ALICE, "not a hash");
        JobTasksService tasks = rows.tasks();
        String child = tasks.create(ALICE, task(ALICE_JOB, "")).get("uuid").asText();

        assertTrue(refused(422, () -> tasks.create(ALICE, task("zzzzz-8i9sb-nosuchjob000001", "")))
                .getMessage().contains("(orphan)"));
        String unreadable = refused(422, () -> tasks.create(ALICE, task("zzzzz-8i9sb-unreadable00001", ""))).getMessage();
        assertTrue(unreadable.contains("(unparseable_parent_parameters)"), unreadable);
        refused(422, () -> tasks.create(ALICE, task("zzzzz-8i9sb-" + child.substring(12), "")));
        refused(422, () -> tasks.create(ALICE, json("{\"job_task\": {\"sequence\": 1}}")));
        refused(422, () -> tasks.create(ALICE, task(ALICE_JOB, "\"script\": \"hash\"")));
        refused(422, () -> tasks.create(ALICE, task(ALICE_JOB, "\"sequence\": \"one\"")));
        refused(422, () -> tasks.create(ALICE, json("[]")));
        assertEquals(1, tasks.list(ALICE, ListQuery.NONE).get("items_available").asInt(), "nothing was written");
    }

    @Test
    void aTaskWhoseSuccessTurnsFalseTakesTheTasksItCreatedWithIt(TestDatabase db) throws Exception {
        GatewayRows rows = new GatewayRows(db);
        rows.job(ALICE_JOB, ArvadosUsers.ALICE, "{}");
        JobTasksService tasks = rows.tasks();
        String first = tasks.create(ALICE, task(ALICE_JOB, "\"sequence\": 0")).get("uuid").asText();
        String child1 = tasks.create(ALICE, task(ALICE_JOB, "\"sequence\": 1, \"created_by_job_task_uuid\": \"" + first + "\"")).get("uuid").asText();
        String child2 = tasks.create(ALICE, task(ALICE_JOB, "\"sequence\": 1, \"created_by_job_task_uuid\": \"" + first + "\"")).get("uuid").asText();
        String grandchild = tasks.create(ALICE, task(ALICE_JOB, "\"sequence\": 2, \"created_by_job_task_uuid\": \"" + child1 + "\"")).get("uuid").asText();
        assertEquals("zzzzz-8i9sb-" + first.substring(12), rows.row("zzzzz-8i9sb-" + child1.substring(12)).get("created_by_job_uuid"));

        ObjectNode failed = tasks.update(ALICE, first, json("{\"job_task\": {\"success\": false}}"));

        assertFalse(failed.get("success").asBoolean());
        assertEquals(List.of(grandchild, first), uuidsInOrder(tasks, "[\"sequence desc\"]"));
        refused(404, () -> tasks.get(ALICE, child2));

        // Already false: a second failure deletes nothing more.
        tasks.create(ALICE, task(ALICE_JOB, "\"created_by_job_task_uuid\": \"" + first + "\""));
        tasks.update(ALICE, first, json("{\"job_task\": {\"success\": false}}"));
        assertEquals(3, tasks.list(ALICE, ListQuery.NONE).get("items_available").asInt());
    }

    @Test
    void updateAppliesTheContractAndDeleteReturnsTheTaskAsItWas(TestDatabase db) throws Exception {
        GatewayRows rows = new GatewayRows(db);
        rows.job(ALICE_JOB, ArvadosUsers.ALICE, "{}");
        JobTasksService tasks = rows.tasks();
        String uuid = tasks.create(ALICE, task(ALICE_JOB, "")).get("uuid").asText();

        ObjectNode done = tasks.update(ALICE, uuid, json("{\"job_task\": {\"output\": " + GatewayRows.JSON.writeValueAsString(MANIFEST)
                + ", \"success\": true, \"progress\": 1.0}}"));

        assertTrue(done.get("success").asBoolean());
        Map<String, Object> row = rows.row("zzzzz-8i9sb-" + uuid.substring(12));
        assertEquals("Complete", row.get("state"));
        assertEquals("c9f6b2b86c8dd9fcbeea5d0a2cc5f7bd+" + MANIFEST.length(), row.get("output").toString().replaceAll("^[0-9a-f]{32}", "c9f6b2b86c8dd9fcbeea5d0a2cc5f7bd"));
        assertEquals(MANIFEST, row.get("task_output"));

        ObjectNode deleted = tasks.delete(ALICE, uuid);
        assertEquals(done, deleted);
        refused(404, () -> tasks.get(ALICE, uuid));
    }

    private static List<String> uuidsInOrder(JobTasksService tasks, String order) throws Exception {
        return uuids(tasks.list(ALICE, new ListQuery(null, null, order, null, null, null, null)));
    }

    static List<String> uuids(JsonNode list) {
        List<String> uuids = new ArrayList<>();
        for (JsonNode item : list.get("items")) {
            uuids.add(item.get("uuid").asText());
        }
        return uuids;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
