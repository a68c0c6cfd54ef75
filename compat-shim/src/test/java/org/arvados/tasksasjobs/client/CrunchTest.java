package org.arvados.tasksasjobs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crunch view against a scripted stand-in for the gateway's /arvados/v1/jobs (end-to-end tests
 * against the real gateway live with it): which requests each call makes, with which bodies.
 */
class CrunchTest {

    private static final String JOB = "zzzzz-8i9sb-000000000000001";
    private static final String TASK = "zzzzz-8i9sb-000000000000002";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path store;

    /** A stand-in gateway: the job, the calling task at {@code taskSequence}, creates echoed back. */
    private static FakeApi gateway(long taskSequence, String input) throws IOException {
        AtomicInteger created = new AtomicInteger();
        return new FakeApi((request, attempt) -> {
            String path = request.path();
            if (request.method().equals("GET") && path.equals("/arvados/v1/jobs/" + TASK)) {
                return FakeApi.Response.json(200, task(TASK, taskSequence, "{\"input\":\"x\"}",
                        "{\"algorithm\":\"md5\",\"input\":\"x\"}").toString());
            }
            if (request.method().equals("GET") && path.equals("/arvados/v1/jobs/" + JOB)) {
                return FakeApi.Response.json(200, "{\"kind\":\"arvados#job\",\"uuid\":\"" + JOB + "\",\"script\":\"hash\","
                        + "\"script_parameters\":{\"input\":\"" + input + "\",\"algorithm\":\"md5\"},\"state\":\"Running\"}");
            }
            if (request.method().equals("POST")) {
                JsonNode job = read(request.body()).get("job");
                ObjectNode answer = task(String.format("zzzzz-8i9sb-%015d", 100 + created.incrementAndGet()),
                        job.get("task_sequence").asLong(), job.get("task_parameters").toString(), "{}");
                return new FakeApi.Response(200, Map.of("X-Arvados-Reused", "false"), answer.toString());
            }
            if (request.method().equals("PUT")) {
                ObjectNode answer = task(TASK, taskSequence, "{}", "{}");
                answer.setAll((ObjectNode) read(request.body()).get("job"));
                return FakeApi.Response.json(200, answer.toString());
            }
            return FakeApi.Response.json(404, "{\"errors\":[\"not found\"]}");
        });
    }

    private static ObjectNode task(String uuid, long sequence, String taskParameters, String scriptParameters) {
        ObjectNode task = JSON.createObjectNode();
        task.put("kind", "arvados#job");
        task.put("uuid", uuid);
        task.put("legacy_task_uuid", uuid.replace("-8i9sb-", "-ot0gb-"));
        task.put("parent_job_uuid", JOB);
        task.put("task_sequence", sequence);
        task.put("task_qsequence", sequence);
        task.set("task_parameters", read(taskParameters));
        task.set("script_parameters", read(scriptParameters));
        task.put("state", "Running");
        return task;
    }

    private static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Crunch crunch(FakeApi api) {
        CrunchEnvironment environment = new CrunchEnvironment(JOB, TASK, OptionalInt.of(0), api.config(2));
        return Crunch.fromEnvironment(environment);
    }

    @Test
    void currentTaskShowsItsOwnAndItsMergedParameters() throws IOException {
        try (FakeApi api = gateway(1, "unused")) {
            Task task = crunch(api).currentTask();
            assertEquals(TASK, task.uuid());
            assertEquals("zzzzz-ot0gb-000000000000002", task.legacyTaskUuid());
            assertEquals(JOB, task.parentJobUuid());
            assertEquals(1L, task.taskSequence());
            assertEquals(Map.of("input", "x"), task.taskParameters());
            assertEquals(Map.of("algorithm", "md5", "input", "x"), task.scriptParameters());
            FakeApi.Request request = api.requests().get(0);
            assertEquals("/arvados/v1/jobs/" + TASK, request.path());
            assertEquals(TASK, request.header("X-Arvados-Task-Uuid"));
        }
    }

    @Test
    void currentJobReadsTheParent() throws IOException {
        try (FakeApi api = gateway(0, "pdh")) {
            Job job = crunch(api).currentJob();
            assertEquals(JOB, job.uuid());
            assertEquals("hash", job.script());
            assertEquals("pdh", job.scriptParameters().get("input"));
            assertEquals("/arvados/v1/jobs/" + JOB, api.requests().get(0).path());
            assertEquals(TASK, api.requests().get(0).header("X-Arvados-Task-Uuid"));
        }
    }

    @Test
    void createChildTaskAsksForReuseOnBehalfOfTheCallingTask() throws IOException {
        try (FakeApi api = gateway(0, "unused")) {
            TaskSubmission submission = crunch(api).createChildTask(Map.of("input", "a/b"), 1);
            assertFalse(submission.reused());
            assertEquals(Map.of("input", "a/b"), submission.task().taskParameters());
            assertEquals(read("{\"job\":{\"parent_job_uuid\":\"" + JOB + "\",\"task_parameters\":{\"input\":\"a/b\"},"
                    + "\"task_sequence\":1,\"created_by_job_uuid\":\"" + TASK + "\"},\"find_or_create\":true}"),
                    read(api.requests().get(0).body()));
            assertEquals("/arvados/v1/jobs", api.requests().get(0).path());
        }
    }

    @Test
    void setOutputCompletesTheTaskWithItsOutput() throws IOException {
        try (FakeApi api = gateway(1, "unused")) {
            Task task = crunch(api).setOutput(". d41d8cd98f00b204e9800998ecf8427e+0 0:0:md5sum.txt\n");
            assertEquals("Complete", task.state());
            FakeApi.Request request = api.requests().get(0);
            assertEquals("PUT", request.method());
            assertEquals("/arvados/v1/jobs/" + TASK, request.path());
            assertEquals(read("{\"job\":{\"task_output\":\". d41d8cd98f00b204e9800998ecf8427e+0 0:0:md5sum.txt\\n\","
                    + "\"task_progress\":1.0,\"state\":\"Complete\"}}"), read(request.body()));
        }
    }

    @Test
    void listTasksFollowsPagesUntilItemsAvailable() throws IOException {
        List<Integer> offsets = new ArrayList<>();
        try (FakeApi api = new FakeApi((request, attempt) -> {
            // The server caps pages at 2 items whatever limit was asked: the client must page.
            int offset = Integer.parseInt(request.query().get("offset"));
            offsets.add(offset);
            ArrayNode items = JSON.createArrayNode();
            for (int i = offset; i < Math.min(5, offset + 2); i++) {
                items.add(task(String.format("zzzzz-8i9sb-%015d", 200 + i), 1, "{}", "{}"));
            }
            ObjectNode page = JSON.createObjectNode();
            page.put("kind", "arvados#jobList").put("items_available", 5).put("offset", offset).put("limit", 2);
            page.set("items", items);
            return FakeApi.Response.json(200, page.toString());
        })) {
            List<Task> tasks = crunch(api).listTasks(List.of(Filter.eq("task_sequence", 1)));
            assertEquals(5, tasks.size());
            assertEquals("zzzzz-8i9sb-000000000000204", tasks.get(4).uuid());
            assertEquals(List.of(0, 2, 4), offsets);
            Map<String, String> query = api.requests().get(0).query();
            assertEquals(read("[[\"parent_job_uuid\",\"=\",\"" + JOB + "\"],[\"task_sequence\",\"=\",1]]"),
                    read(query.get("filters")));
            assertEquals(read("[\"task_qsequence asc\",\"uuid asc\"]"), read(query.get("order")));
            assertEquals("1000", query.get("limit"));
        }
    }

    @Test
    void oneTaskPerInputFileFansOutInNormalizedOrderAndEndsTheTask() throws IOException {
        LocalKeep keep = new LocalKeep(store);
        String block = keep.put("abcdefghijkl".getBytes(StandardCharsets.US_ASCII));
        String pdh = keep.putManifest("./sub " + block + " 0:12:c\\040d.txt\n"
                + ". " + block + " 0:3:b.txt 3:3:a.txt\n");
        try (FakeApi api = gateway(0, pdh)) {
            assertTrue(crunch(api).oneTaskPerInputFile(0, locator -> readManifest(keep, locator)));
            List<FakeApi.Request> requests = api.requests();
            assertEquals(List.of("GET " + TASK, "GET " + JOB, "POST", "POST", "POST", "PUT " + TASK),
                    requests.stream().map(CrunchTest::describe).toList());
            List<String> inputs = new ArrayList<>();
            for (FakeApi.Request create : requests.subList(2, 5)) {
                JsonNode job = read(create.body()).get("job");
                assertEquals(1, job.get("task_sequence").asInt());
                assertEquals(TASK, job.get("created_by_job_uuid").asText());
                assertEquals(JOB, job.get("parent_job_uuid").asText());
                inputs.add(job.get("task_parameters").get("input").asText());
            }
            assertEquals(List.of(pdh + "/./a.txt", pdh + "/./b.txt", pdh + "/./sub/c d.txt"), inputs);
            assertEquals(read("{\"job\":{\"state\":\"Complete\"}}"), read(requests.get(5).body()));
            assertEquals(new CollectionPath(pdh, "sub/c d.txt"), CollectionPath.parse(inputs.get(2)));
        }
    }

    @Test
    void oneTaskPerInputFileDoesNothingAtAnotherSequence() throws IOException {
        try (FakeApi api = gateway(1, "unused")) {
            assertFalse(crunch(api).oneTaskPerInputFile(0, locator -> {
                throw new AssertionError("must not read the input");
            }));
            assertEquals(1, api.requests().size());
        }
    }

    @Test
    void oneTaskPerInputFileNeedsAnInputParameter() throws IOException {
        try (FakeApi api = new FakeApi((request, attempt) -> request.path().endsWith(TASK)
                ? FakeApi.Response.json(200, task(TASK, 0, "{}", "{}").toString())
                : FakeApi.Response.json(200, "{\"uuid\":\"" + JOB + "\",\"script_parameters\":{}}"))) {
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> crunch(api).oneTaskPerInputFile(0, locator -> ""));
            assertTrue(failure.getMessage().contains("script_parameters.input"), failure.getMessage());
        }
    }

    @Test
    void collectionPathAlsoReadsThePythonSdkForm() {
        assertEquals(new CollectionPath("acbd18db4cc2f85cedef654fccc4a4d8+3", "dir/f.txt"),
                CollectionPath.parse("acbd18db4cc2f85cedef654fccc4a4d8+3/./dir/f.txt"));
        assertThrows(IllegalArgumentException.class, () -> CollectionPath.parse("not-a-pdh/f"));
    }

    private static String describe(FakeApi.Request request) {
        String uuid = request.path().substring("/arvados/v1/jobs".length());
        return uuid.isEmpty() ? request.method() : request.method() + " " + uuid.substring(1);
    }

    private static String readManifest(LocalKeep keep, String locator) {
        try {
            return keep.readManifest(locator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
