package org.arvados.tasksasjobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Authorised traffic shaped like crunch scripts: each client, in a closed loop, creates a task under its job,
 * reads it back, lists its job's tasks and records the task's output, as crunch-job's children do. Unlike
 * {@link LoadRunner} an answer other than 200 does not end the run: it is counted, since errors are what the
 * attack benchmark looks for.
 */
public final class ScriptTraffic {

    /** The latencies of every request sent (answered or not) and how many were not answered 200. */
    public record Result(Latencies latencies, long errors, String firstError) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MANIFEST = ". 37b51d194a7513e45b56f6524f2d51f2+3 0:3:md5sum.txt\n";

    private final HttpClient http;
    private final URI base;
    private final String token;
    private final List<String> parents;
    private final int clients;

    public ScriptTraffic(HttpClient http, URI base, String token, List<String> parents, int clients) {
        this.http = Objects.requireNonNull(http, "http");
        this.base = Objects.requireNonNull(base, "base");
        this.token = Objects.requireNonNull(token, "token");
        this.parents = List.copyOf(parents);
        if (clients < 1 || this.parents.isEmpty()) {
            throw new IllegalArgumentException("script traffic needs at least one client and one parent job");
        }
        this.clients = clients;
    }

    /** {@code rounds} rounds of four requests per client; returns once every client has finished. */
    public Result run(String label, int rounds) throws InterruptedException {
        long[] nanos = new long[rounds * clients * 4];
        AtomicInteger slot = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        AtomicInteger round = new AtomicInteger();
        String[] firstError = new String[1];
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    for (int r = round.getAndIncrement(); r < rounds * clients; r = round.getAndIncrement()) {
                        String parent = parents.get(r % parents.size());
                        String created = send(nanos, slot, errors, firstError, request("job_tasks")
                                .POST(HttpRequest.BodyPublishers.ofString(create(parent, label, r))).build());
                        String uuid = created == null ? "zzzzz-ot0gb-000000000000000" : uuid(created);
                        send(nanos, slot, errors, firstError, request("job_tasks/" + uuid).GET().build());
                        String filters = "[[\"job_uuid\",\"=\",\"" + parent + "\"],[\"sequence\",\"=\",1]]";
                        send(nanos, slot, errors, firstError, request("job_tasks?limit=10&filters="
                                + URLEncoder.encode(filters, StandardCharsets.UTF_8)).GET().build());
                        send(nanos, slot, errors, firstError, request("job_tasks/" + uuid)
                                .PUT(HttpRequest.BodyPublishers.ofString(update())).build());
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("a script client failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        long wall = System.nanoTime() - start;
        return new Result(new Latencies(java.util.Arrays.copyOf(nanos, slot.get()), wall), errors.get(),
                firstError[0]);
    }

    /** Sends one request, times it; returns the body of a 200, or null (counted as an error). */
    private String send(long[] nanos, AtomicInteger slot, AtomicLong errors, String[] firstError, HttpRequest request) {
        long sent = System.nanoTime();
        String problem;
        String body = null;
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            body = response.statusCode() == 200 ? response.body() : null;
            problem = body != null ? null : request.method() + " " + request.uri().getPath() + " answered "
                    + response.statusCode() + ": " + response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        } catch (Exception e) {
            problem = request.method() + " " + request.uri().getPath() + " failed: " + e;
        }
        nanos[slot.getAndIncrement()] = System.nanoTime() - sent;
        if (problem != null) {
            errors.incrementAndGet();
            synchronized (firstError) {
                if (firstError[0] == null) {
                    firstError[0] = problem;
                }
            }
        }
        return body;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve("arvados/v1/" + path))
                .header("Authorization", "OAuth2 " + token)
                .header("Content-Type", "application/json");
    }

    private static String create(String parent, String label, int round) {
        ObjectNode task = JSON.createObjectNode();
        task.put("job_uuid", parent);
        task.put("sequence", 1);
        task.putObject("parameters").put("input", "attack-bench/" + label + "/" + round);
        ObjectNode body = JSON.createObjectNode();
        body.set("job_task", task);
        return body.toString();
    }

    private static String update() {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("job_task").put("output", MANIFEST).put("success", true).put("progress", 1.0);
        return body.toString();
    }

    private static String uuid(String body) {
        try {
            return JSON.readTree(body).path("uuid").asText();
        } catch (java.io.IOException e) {
            return "zzzzz-ot0gb-000000000000000";
        }
    }
}
