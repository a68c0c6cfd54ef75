package org.arvados.tasksasjobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Task get, create and update through the gateway's legacy {@code job_tasks} endpoint, and the same three
 * through its {@code jobs} endpoint, on the same server, database and parents, in one run. The two endpoints
 * alternate operation by operation (create on one, create on the other, then get, then update), so a drift of
 * the machine during the run touches both alike. A warm-up round of every operation runs first and is not
 * counted (JIT, connection pool, PostgreSQL's caches).
 *
 * <p>Creates are plain creates ({@code find_or_create} false on jobs): reuse would turn most of them into
 * lookups, and the figure wanted is the cost of writing a task.
 */
public final class GatewayBenchmark {

    /** The figures of one operation on one endpoint. */
    public record Figures(String operation, String endpoint, Latencies latencies) {
        public Figures {
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(latencies, "latencies");
        }
    }

    public static final String JOB_TASKS = "job_tasks";
    public static final String JOBS = "jobs";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MANIFEST = ". 37b51d194a7513e45b56f6524f2d51f2+3 0:3:md5sum.txt\n";

    private final URI base;
    private final String token;
    private final List<String> parents;
    private final LoadRunner runner;

    /**
     * @param base    the gateway's root, e.g. http://127.0.0.1:8080/
     * @param token   a token whose user owns every parent
     * @param parents job uuids the created tasks are spread over
     */
    public GatewayBenchmark(URI base, String token, List<String> parents, LoadRunner runner) {
        this.base = Objects.requireNonNull(base, "base");
        this.token = Objects.requireNonNull(token, "token");
        this.parents = List.copyOf(parents);
        this.runner = Objects.requireNonNull(runner, "runner");
        if (this.parents.isEmpty()) {
            throw new IllegalArgumentException("the benchmark needs at least one parent job");
        }
    }

    /** Warms up with {@code warmup} requests per operation, then measures {@code requests} per operation. */
    public List<Figures> run(int warmup, int requests) throws IOException, InterruptedException {
        if (warmup > 0) {
            round("warmup", warmup);
        }
        return round("measured", requests);
    }

    private List<Figures> round(String label, int requests) throws IOException, InterruptedException {
        List<Figures> figures = new ArrayList<>();
        AtomicReferenceArray<String> tasks = new AtomicReferenceArray<>(requests);
        AtomicReferenceArray<String> jobs = new AtomicReferenceArray<>(requests);
        figures.add(new Figures("create", JOB_TASKS, runner.run(requests,
                i -> post(JOB_TASKS, taskCreate(label, i)), (i, body) -> tasks.set(i, uuid(body)))));
        figures.add(new Figures("create", JOBS, runner.run(requests,
                i -> post(JOBS, jobCreate(label, i)), (i, body) -> jobs.set(i, uuid(body)))));
        figures.add(new Figures("get", JOB_TASKS, runner.run(requests, i -> get(JOB_TASKS, tasks.get(i)), (i, body) -> { })));
        figures.add(new Figures("get", JOBS, runner.run(requests, i -> get(JOBS, jobs.get(i)), (i, body) -> { })));
        figures.add(new Figures("update", JOB_TASKS, runner.run(requests,
                i -> put(JOB_TASKS, tasks.get(i), taskUpdate()), (i, body) -> { })));
        figures.add(new Figures("update", JOBS, runner.run(requests,
                i -> put(JOBS, jobs.get(i), jobUpdate()), (i, body) -> { })));
        return figures;
    }

    private ObjectNode taskCreate(String label, int i) {
        ObjectNode task = JSON.createObjectNode();
        task.put("job_uuid", parents.get(i % parents.size()));
        task.put("sequence", 1);
        task.putObject("parameters").put("input", "bench/" + label + "/" + JOB_TASKS + "/" + i);
        ObjectNode body = JSON.createObjectNode();
        body.set("job_task", task);
        return body;
    }

    private ObjectNode jobCreate(String label, int i) {
        ObjectNode job = JSON.createObjectNode();
        job.put("parent_job_uuid", parents.get(i % parents.size()));
        job.put("task_sequence", 1);
        job.putObject("task_parameters").put("input", "bench/" + label + "/" + JOBS + "/" + i);
        ObjectNode body = JSON.createObjectNode();
        body.set("job", job);
        return body;
    }

    private static ObjectNode taskUpdate() {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("job_task").put("output", MANIFEST).put("success", true).put("progress", 1.0);
        return body;
    }

    private static ObjectNode jobUpdate() {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("job").put("task_output", MANIFEST).put("state", "Complete").put("task_progress", 1.0);
        return body;
    }

    private HttpRequest get(String resource, String uuid) {
        return request(resource + "/" + uuid).GET().build();
    }

    private HttpRequest post(String resource, ObjectNode body) {
        return request(resource).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    }

    private HttpRequest put(String resource, String uuid, ObjectNode body) {
        return request(resource + "/" + uuid).PUT(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve("arvados/v1/" + path))
                .header("Authorization", "OAuth2 " + token)
                .header("Content-Type", "application/json");
    }

    private static String uuid(String body) {
        try {
            return JSON.readTree(body).path("uuid").asText();
        } catch (IOException e) {
            throw new UncheckedIOException("a create answered something that is not JSON", e);
        }
    }
}
