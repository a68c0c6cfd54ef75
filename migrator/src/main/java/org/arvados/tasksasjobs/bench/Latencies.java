package org.arvados.tasksasjobs.bench;

import java.util.Arrays;

/**
 * Request latencies of one measured operation, in nanoseconds, and the figures read from them. Percentiles are
 * nearest-rank over the sorted samples: with a few thousand requests the p99 is an observed request, not an
 * interpolation.
 */
public record Latencies(long[] nanos, long wallNanos) {

    public Latencies {
        nanos = nanos.clone();
        Arrays.sort(nanos);
        if (nanos.length == 0 || wallNanos <= 0) {
            throw new IllegalArgumentException("a measurement needs at least one request and a positive wall time");
        }
    }

    public int requests() {
        return nanos.length;
    }

    public double requestsPerSecond() {
        return nanos.length * 1e9 / wallNanos;
    }

    /** The latency at percentile {@code p} (0 < p <= 100) in milliseconds. */
    public double percentileMillis(double p) {
        int rank = (int) Math.ceil(p / 100.0 * nanos.length);
        return nanos[Math.max(0, Math.min(nanos.length - 1, rank - 1))] / 1e6;
    }

    @Override
    public long[] nanos() {
        return nanos.clone();
    }
}
