package org.arvados.tasksasjobs.backfill;

import java.security.SecureRandom;
import java.time.Duration;
import org.arvados.tasksasjobs.mapping.InheritPolicy;
import org.arvados.tasksasjobs.mapping.RandomUuidAllocator;
import org.arvados.tasksasjobs.mapping.SerializedHashReader;
import org.arvados.tasksasjobs.mapping.TaskJobMapping;
import org.arvados.tasksasjobs.yaml.SnakeYamlDecoder;

/**
 * How a backfill run walks job_tasks, validated once here so nothing downstream re-checks it.
 *
 * @param batchSize      rows per transaction (each batch commits with its checkpoint); with {@code tuneBatchSize}, the
 *                       size of the first batch
 * @param tuneBatchSize  size each batch from the timings of the ones before it ({@link BatchSizer}), so a batch takes
 *                       about {@link BatchSizer#TARGET} whatever the rows hold
 * @param maxBatchBytes  a batch also ends early once the text it read passes this many bytes, so a run of huge
 *                       manifests cannot blow the heap (shared by the workers)
 * @param inheritPolicy  which parent script_parameters keys a task inherits
 * @param strict         fail on the first row that would be quarantined instead of quarantining it
 * @param pause          how long to wait between two batches (zero: none), so a busy cluster gets its I/O back
 * @param workers        connections writing at once, each over its own range of job_tasks ids
 */
public record BackfillSettings(int batchSize, boolean tuneBatchSize, long maxBatchBytes, InheritPolicy inheritPolicy,
                               boolean strict, Duration pause, int workers) {

    public static final int DEFAULT_BATCH_SIZE = 2000;
    public static final long DEFAULT_MAX_BATCH_BYTES = 32L * 1024 * 1024;
    public static final Duration MAX_PAUSE = Duration.ofHours(1);
    public static final int MAX_WORKERS = 32;

    public BackfillSettings {
        if (batchSize < 1 || batchSize > BatchSizer.MAX) {
            throw new IllegalArgumentException("batch size must be between 1 and " + BatchSizer.MAX + ", not " + batchSize);
        }
        if (maxBatchBytes < 1024) {
            throw new IllegalArgumentException("max batch bytes must be at least 1024, not " + maxBatchBytes);
        }
        if (inheritPolicy == null) {
            throw new IllegalArgumentException("inherit policy must be given (InheritPolicy.ALL for every key)");
        }
        if (pause == null || pause.isNegative() || pause.compareTo(MAX_PAUSE) > 0) {
            throw new IllegalArgumentException("pause between batches must be between 0 and " + MAX_PAUSE.toSeconds()
                    + " s, not " + pause);
        }
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("workers must be between 1 and " + MAX_WORKERS + ", not " + workers);
        }
    }

    /** One worker, batches tuned from their timings. */
    public static BackfillSettings defaults() {
        return new BackfillSettings(DEFAULT_BATCH_SIZE, true, DEFAULT_MAX_BATCH_BYTES, InheritPolicy.ALL, false, Duration.ZERO,
                1);
    }

    /** The mapping for rows read from a database: YAML-era rows decoded, fresh uuids from a secure random source. */
    public TaskJobMapping mapping() {
        return new TaskJobMapping(new SerializedHashReader(new SnakeYamlDecoder()), inheritPolicy,
                new RandomUuidAllocator(new SecureRandom()));
    }

    /** Every batch exactly {@code size} rows (or fewer, at the end or past the byte limit): no tuning. */
    public BackfillSettings withBatchSize(int size) {
        return new BackfillSettings(size, false, maxBatchBytes, inheritPolicy, strict, pause, workers);
    }

    public BackfillSettings withInheritPolicy(InheritPolicy policy) {
        return new BackfillSettings(batchSize, tuneBatchSize, maxBatchBytes, policy, strict, pause, workers);
    }

    public BackfillSettings withStrict(boolean value) {
        return new BackfillSettings(batchSize, tuneBatchSize, maxBatchBytes, inheritPolicy, value, pause, workers);
    }

    /** Waits this long between two batches. */
    public BackfillSettings withPause(Duration value) {
        return new BackfillSettings(batchSize, tuneBatchSize, maxBatchBytes, inheritPolicy, strict, value, workers);
    }

    /** Writes over {@code count} connections at once. */
    public BackfillSettings withWorkers(int count) {
        return new BackfillSettings(batchSize, tuneBatchSize, maxBatchBytes, inheritPolicy, strict, pause, count);
    }

    /** What one worker may read into one batch: the byte budget split over the workers and the batches each holds. */
    long maxBatchBytesPerWorker() {
        // A worker holds up to two batches at once: one being mapped, the next being read.
        return Math.max(1024, maxBatchBytes / (2L * workers));
    }
}
