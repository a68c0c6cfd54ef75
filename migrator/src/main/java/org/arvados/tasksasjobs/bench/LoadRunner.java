package org.arvados.tasksasjobs.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Sends a numbered series of HTTP requests from a fixed number of concurrent clients, each waiting for its
 * response before sending the next (closed loop: the figures are what a set of busy scripts would see), and
 * times every request. A response other than 200 ends the run with its status and body: a benchmark of errors
 * measures nothing.
 */
public final class LoadRunner {

    /** What a request's response body is wanted for, e.g. keeping the uuid a create returned. */
    @FunctionalInterface
    public interface BodyConsumer {
        void accept(int index, String body);
    }

    private final HttpClient http;
    private final int concurrency;

    public LoadRunner(HttpClient http, int concurrency) {
        this.http = Objects.requireNonNull(http, "http");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        this.concurrency = concurrency;
    }

    /** Sends requests 0 .. count-1, made by {@code request}; hands each body to {@code bodies}. */
    public Latencies run(int count, IntFunction<HttpRequest> request, BodyConsumer bodies)
            throws IOException, InterruptedException {
        long[] nanos = new long[count];
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        try {
            List<Future<Void>> running = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                running.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        HttpRequest r = request.apply(i);
                        long sent = System.nanoTime();
                        HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
                        nanos[i] = System.nanoTime() - sent;
                        if (response.statusCode() != 200) {
                            throw new IOException(r.method() + " " + r.uri().getPath() + " answered "
                                    + response.statusCode() + ": " + response.body());
                        }
                        bodies.accept(i, response.body());
                    }
                    return null;
                }));
            }
            for (Future<Void> client : running) {
                client.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("a benchmark client failed", e.getCause());
        } finally {
            clients.shutdownNow();
        }
        return new Latencies(nanos, System.nanoTime() - start);
    }
}
