package org.arvados.tasksasjobs.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.util.Map;
import java.util.Set;
import org.arvados.tasksasjobs.mapping.InheritPolicy;
import org.arvados.tasksasjobs.mapping.JobState;
import org.arvados.tasksasjobs.mapping.MappingOutcome;
import org.arvados.tasksasjobs.mapping.ParametersDigest;
import org.arvados.tasksasjobs.mapping.ParentJob;
import org.arvados.tasksasjobs.mapping.PortableDataHash;
import org.arvados.tasksasjobs.mapping.QuarantineReason;
import org.arvados.tasksasjobs.mapping.SerializedHashReader;
import org.arvados.tasksasjobs.mapping.StubYamlDecoder;
import org.arvados.tasksasjobs.mapping.TaskJobMapping;
import org.arvados.tasksasjobs.mapping.TaskLikeJob;
import org.arvados.tasksasjobs.mapping.TaskRow;
import org.junit.jupiter.api.Test;

class JobTaskRequestTest {

    private static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 25, 17, 0, 0, 1_000);

    private static JobTaskRequest parse(String body) throws InvalidTaskRequestException {
        return JobTaskRequest.parse(body);
    }

    private static String rejected(String body) {
        return assertThrows(InvalidTaskRequestException.class, () -> parse(body)).getMessage();
    }

    @Test
    void createOfAChildTaskAsFanOutSendsIt() throws Exception {
        JobTaskRequest request = parse("""
                {"job_task": {"job_uuid": "zzzzz-8i9sb-pshmckwoma9plh7", "created_by_job_task_uuid": "zzzzz-ot0gb-firsttaskofjob1",
                 "sequence": 1, "parameters": {"input": "1f4b0bc7583c2a7f9102c395f4ffc5e3+45/a.txt", "n": 2, "f": 0.5}}}
                """);
        assertEquals(Set.of("job_uuid", "created_by_job_task_uuid", "sequence", "parameters"), request.given());
        assertEquals("zzzzz-8i9sb-pshmckwoma9plh7", request.jobUuid());
        assertEquals(1, request.sequence());
        assertEquals(Map.of("input", "1f4b0bc7583c2a7f9102c395f4ffc5e3+45/a.txt", "n", 2L, "f", 0.5), request.parameters());
        assertFalse(request.has("success"));
    }

    @Test
    void setOutputIsAnUpdateOfOutputSuccessAndProgress() throws Exception {
        JobTaskRequest request = parse("{\"job_task\": {\"output\": \". acbd+3 0:3:é.txt\\n\", \"success\": true, \"progress\": 1}}");
        assertEquals(Set.of("output", "success", "progress"), request.given());
        assertEquals(". acbd+3 0:3:é.txt\n", request.output());
        assertEquals(true, request.success());
        assertEquals(1.0, request.progress());
    }

    @Test
    void explicitNullIsGivenAndNull() throws Exception {
        JobTaskRequest request = parse("{\"job_task\": {\"success\": null, \"parameters\": null, \"started_at\": null}}");
        assertTrue(request.has("success") && request.has("parameters") && request.has("started_at"));
        assertNull(request.success());
        assertNull(request.parameters());
    }

    @Test
    void timestampsInAnyZoneAreReadAsUtc() throws Exception {
        JobTaskRequest request = parse("{\"job_task\": {\"started_at\": \"2016-03-01T13:00:00.5+01:00\","
                + " \"finished_at\": \"2016-03-01T12:00:00Z\"}}");
        assertEquals(LocalDateTime.of(2016, 3, 1, 12, 0, 0, 500_000_000), request.startedAt());
        assertEquals(LocalDateTime.of(2016, 3, 1, 12, 0), request.finishedAt());
    }

    @Test
    void serverMaintainedAttributesAreCheckedAndIgnored() throws Exception {
        JobTaskRequest request = parse("{\"job_task\": {\"kind\": \"arvados#jobTask\", \"uuid\": \"zzzzz-ot0gb-runningjobtask1\","
                + " \"created_at\": \"2016-03-01T12:00:00.123456000Z\", \"modified_by_user_uuid\": null, \"progress\": 0.25}}");
        assertEquals(Set.of("progress"), request.given());
        assertTrue(rejected("{\"job_task\": {\"kind\": \"arvados#job\"}}").contains("job_task.kind"));
        assertTrue(rejected("{\"job_task\": {\"created_at\": 5}}").startsWith("job_task.created_at must be an ISO 8601 time"));
    }

    @Test
    void unknownAttributeIsRejectedByName() {
        assertEquals("unknown attribute job_task.script_parameters",
                rejected("{\"job_task\": {\"script_parameters\": {}}}"));
        assertEquals("unknown request field \"task\" (expected only \"job_task\")", rejected("{\"task\": {}}"));
    }

    @Test
    void wrongTypesAreRejectedInOneLine() {
        assertEquals("job_task.sequence must be an integer (32 bits) or null, not a string", rejected("{\"job_task\": {\"sequence\": \"1\"}}"));
        assertEquals("job_task.sequence must be an integer (32 bits) or null, not an integer",
                rejected("{\"job_task\": {\"sequence\": 3000000000}}"));
        assertEquals("job_task.qsequence must be an integer (64 bits) or null, not a number", rejected("{\"job_task\": {\"qsequence\": 1.5}}"));
        assertEquals("job_task.progress must be a number or null, not a string", rejected("{\"job_task\": {\"progress\": \"0.5\"}}"));
        assertEquals("job_task.success must be true, false or null, not a string", rejected("{\"job_task\": {\"success\": \"true\"}}"));
        assertEquals("job_task.parameters must be an object or null, not a string",
                rejected("{\"job_task\": {\"parameters\": \"{}\"}}"));
        assertEquals("job_task.output must be a string or null, not an object", rejected("{\"job_task\": {\"output\": {}}}"));
        assertEquals("job_task.job_uuid is not an Arvados uuid: \"nope\"", rejected("{\"job_task\": {\"job_uuid\": \"nope\"}}"));
        assertEquals("job_task.started_at must be an ISO 8601 time such as \"2016-03-01T12:00:00.123456000Z\" or null, not \"yesterday\"",
                rejected("{\"job_task\": {\"started_at\": \"yesterday\"}}"));
    }

    @Test
    void malformedBodiesAreRejected() {
        assertTrue(rejected("{\"job_task\": ").startsWith("request body is not JSON: "));
        assertEquals("request body must be a JSON object, not an array", rejected("[]"));
        assertEquals("job_task must be a JSON object, not missing", rejected("{}"));
        assertEquals("job_task must be a JSON object, not a string", rejected("{\"job_task\": \"x\"}"));
        for (String message : new String[] {rejected("{\"job_task\": "), rejected("{\"job_task\": {\"x\\ny\": 1}}")}) {
            assertFalse(message.contains("\n"), message);
        }
    }

    @Test
    void createBecomesTheTaskRowTheMappingTakes() throws Exception {
        JobTaskRequest request = parse("{\"job_task\": {\"job_uuid\": \"zzzzz-8i9sb-pshmckwoma9plh7\", \"sequence\": 1,"
                + " \"parameters\": {\"z\": 1, \"a\": \"é\"}, \"created_by_job_task_uuid\": \"zzzzz-ot0gb-firsttaskofjob1\"}}");
        TaskRow row = request.toNewTaskRow(0, "zzzzz-ot0gb-newtask00000001", "zzzzz-tpzed-xurymjxw79nv3jz", null, NOW, 99);
        assertEquals(new TaskRow(0, "zzzzz-ot0gb-newtask00000001", "zzzzz-tpzed-xurymjxw79nv3jz", null,
                "zzzzz-tpzed-xurymjxw79nv3jz", NOW, "zzzzz-8i9sb-pshmckwoma9plh7", 1, "{\"a\":\"é\",\"z\":1}", null, null, null,
                NOW, NOW, "zzzzz-ot0gb-firsttaskofjob1", 99L, null, null), row);
    }

    @Test
    void createWithoutParametersStoresAnEmptyHashAndKeepsAGivenQsequence() throws Exception {
        TaskRow row = parse("{\"job_task\": {\"job_uuid\": \"zzzzz-8i9sb-pshmckwoma9plh7\", \"qsequence\": 0}}")
                .toNewTaskRow(0, "zzzzz-ot0gb-newtask00000001", "zzzzz-tpzed-xurymjxw79nv3jz", null, NOW, 99);
        assertEquals("{}", row.parameters());
        assertEquals(0L, row.qsequence());
    }

    @Test
    void createWithoutAJobIsRejected() throws Exception {
        JobTaskRequest request = parse("{\"job_task\": {\"sequence\": 0}}");
        InvalidTaskRequestException e = assertThrows(InvalidTaskRequestException.class,
                () -> request.toNewTaskRow(0, "zzzzz-ot0gb-newtask00000001", "zzzzz-tpzed-xurymjxw79nv3jz", null, NOW, 1));
        assertEquals("job_task.job_uuid is required to create a task", e.getMessage());
    }

    // --- updates applied to a task-like job ----------------------------------------------------

    private static final SerializedHashReader READER = new SerializedHashReader(new StubYamlDecoder());
    private static final String USER = "zzzzz-tpzed-d9tiejq69daie8f";

    private static ParentJob runningParent() {
        return new ParentJob(Tasks.PARENT_UUID, "Running", true, null, null, "hash", "4fe459abe02d9b365932b8f5dc419439ab4e2577",
                "main", "active/foo", null, null, "{}", null, "ea10d51bcf88862dbcc36eb292017dfd+45", "{\"algorithm\":\"md5\"}");
    }

    private static TaskLikeJob migrated(String uuid, java.util.function.Predicate<String> taken) {
        TaskRow task = new TaskRow(17, uuid, USER, null, USER, Tasks.CREATED, Tasks.PARENT_UUID, 1,
                "---\n'input': 'é.txt'\n", null, 0.0, null, Tasks.CREATED, Tasks.CREATED, null, 5L, Tasks.CREATED, null);
        MappingOutcome outcome = new TaskJobMapping(READER, InheritPolicy.ALL, cluster -> cluster + "-8i9sb-randomrandomran")
                .map(task, runningParent(), null, taken);
        return ((MappingOutcome.Mapped) outcome).job();
    }

    private static TaskLikeJob applied(String body, TaskLikeJob job, ParentJob parent) throws Exception {
        MappingOutcome outcome = parse(body).applyTo(job, parent, null, READER, InheritPolicy.ALL, USER, null, NOW);
        return assertInstanceOf(MappingOutcome.Mapped.class, outcome, outcome::toString).job();
    }

    @Test
    void setOutputCompletesTheTaskLikeJobAndRecordsTheOutputsPdh() throws Exception {
        TaskLikeJob job = migrated(Tasks.TASK_UUID, uuid -> false);
        String manifest = ". acbd18db4cc2f85cedef654fccc4a4d8+3 0:3:é.txt\n";
        TaskLikeJob done = applied("{\"job_task\": {\"output\": " + PlainJson.quote(manifest)
                + ", \"success\": true, \"progress\": 1.0}}", job, runningParent());

        assertEquals(JobState.COMPLETE, done.state());
        assertEquals(false, done.running());
        assertEquals(true, done.success());
        assertEquals(manifest, done.taskOutput());
        assertEquals(PortableDataHash.of(manifest), done.output());
        assertEquals(1.0, done.taskProgress());
        assertEquals(job.uuid(), done.uuid());
        assertEquals(job.scriptParameters(), done.scriptParameters());
        assertEquals("---\n'input': 'é.txt'\n", done.taskParameters());
        assertEquals(NOW, done.modifiedAt());
        assertEquals(NOW, done.updatedAt());
        assertEquals(Tasks.CREATED, done.createdAt());
    }

    @Test
    void newParametersAreMergedWithTheParentsAndDigestedAgain() throws Exception {
        TaskLikeJob job = migrated(Tasks.TASK_UUID, uuid -> false);
        TaskLikeJob changed = applied("{\"job_task\": {\"parameters\": {\"input\": \"b.txt\", \"algorithm\": \"sha1\"}}}",
                job, runningParent());
        assertEquals("{\"algorithm\":\"sha1\",\"input\":\"b.txt\"}", changed.taskParameters());
        assertEquals("{\"algorithm\":\"sha1\",\"input\":\"b.txt\"}", changed.scriptParameters());
        assertEquals(ParametersDigest.ofCanonical(changed.scriptParameters()), changed.scriptParametersDigest());
    }

    @Test
    void sendingBackTheSameParametersKeepsTheStoredTextByteForByte() throws Exception {
        TaskLikeJob job = migrated(Tasks.TASK_UUID, uuid -> false);
        TaskLikeJob same = applied("{\"job_task\": {\"parameters\": {\"input\": \"é.txt\"}}}", job, runningParent());
        assertEquals("---\n'input': 'é.txt'\n", same.taskParameters());
    }

    @Test
    void aJobWithARandomUuidKeepsIt() throws Exception {
        TaskLikeJob job = migrated(Tasks.TASK_UUID, uuid -> uuid.equals("zzzzz-8i9sb-runningjobtask1"));
        assertEquals("zzzzz-8i9sb-randomrandomran", job.uuid());
        assertEquals("zzzzz-8i9sb-randomrandomran", applied("{\"job_task\": {\"progress\": 0.5}}", job, runningParent()).uuid());
    }

    @Test
    void failingATaskOfARunningJobFailsItsTaskLikeJob() throws Exception {
        TaskLikeJob failed = applied("{\"job_task\": {\"success\": false}}", migrated(Tasks.TASK_UUID, uuid -> false), runningParent());
        assertEquals(JobState.FAILED, failed.state());
    }

    @Test
    void movingATaskToAJobThatDoesNotExistIsQuarantinedNotApplied() throws Exception {
        MappingOutcome outcome = parse("{\"job_task\": {\"job_uuid\": \"zzzzz-8i9sb-nosuchjob000000\"}}")
                .applyTo(migrated(Tasks.TASK_UUID, uuid -> false), null, null, READER, InheritPolicy.ALL, USER, null, NOW);
        assertEquals(QuarantineReason.ORPHAN, assertInstanceOf(MappingOutcome.Quarantined.class, outcome).reason());
    }
}
