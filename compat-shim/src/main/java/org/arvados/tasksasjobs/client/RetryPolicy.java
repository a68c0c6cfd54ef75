package org.arvados.tasksasjobs.client;

import java.time.Duration;

/**
 * How often and how patiently {@link ArvadosClient} repeats a request that failed for a reason
 * worth retrying (see {@link ArvadosClient} for which failures those are).
 *
 * <p>The delay before retry {@code n} (1-based) is {@code initialDelay * multiplier^(n-1)},
 * capped at {@code maxDelay}. There is no jitter: a crunch job's tasks are few, and a fixed
 * schedule keeps tests and logs predictable.
 *
 * @param attempts     total attempts including the first one (1 = never retry)
 * @param initialDelay delay before the first retry
 * @param multiplier   factor applied to the delay after each retry (at least 1)
 * @param maxDelay     upper bound on any one delay
 */
public record RetryPolicy(int attempts, Duration initialDelay, double multiplier, Duration maxDelay) {

    /**
     * The defaults: 11 attempts (the Python SDK's {@code num_retries=10}), first delay 2 s doubling
     * each time (its {@code RETRY_DELAY_INITIAL = 2}, {@code RETRY_DELAY_BACKOFF = 2}), capped at
     * 60 s, so a gateway restart of a few minutes does not fail a running task.
     */
    public static final RetryPolicy DEFAULT = new RetryPolicy(11, Duration.ofSeconds(2), 2.0, Duration.ofSeconds(60));

    /** One attempt, no retry. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO);

    public RetryPolicy {
        if (attempts < 1) {
            throw new ArvadosConfigException("retry attempts must be at least 1, got " + attempts);
        }
        if (initialDelay == null || initialDelay.isNegative()) {
            throw new ArvadosConfigException("retry initial delay must be zero or positive, got " + initialDelay);
        }
        if (maxDelay == null || maxDelay.isNegative()) {
            throw new ArvadosConfigException("retry max delay must be zero or positive, got " + maxDelay);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new ArvadosConfigException("retry multiplier must be a finite number >= 1, got " + multiplier);
        }
    }

    /** The delay before retry number {@code retry} (1 = the first retry). */
    public Duration delayBeforeRetry(int retry) {
        double millis = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, retry - 1));
        long capped = (long) Math.min(millis, (double) maxDelay.toMillis());
        return Duration.ofMillis(capped);
    }
}
