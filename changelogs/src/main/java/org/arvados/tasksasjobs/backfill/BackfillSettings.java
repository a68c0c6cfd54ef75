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
 * @param batchSize      rows per transaction (each batch commits with its checkpoint)
 * @param maxBatchBytes  a batch also ends early once the text it read passes this many bytes, so a run of huge
 *                       manifests cannot blow the heap
 * @param inheritPolicy  which parent script_parameters keys a task inherits
 * @param strict         fail on the first row that would be quarantined instead of quarantining it
 * @param pause          how long to wait between two batches (zero: none), so a busy cluster gets its I/O back
 */
public record BackfillSettings(int batchSize, long maxBatchBytes, InheritPolicy inheritPolicy, boolean strict, Duration pause) {

    public static final int DEFAULT_BATCH_SIZE = 2000;
    public static final long DEFAULT_MAX_BATCH_BYTES = 32L * 1024 * 1024;
    public static final Duration MAX_PAUSE = Duration.ofHours(1);

    public BackfillSettings {
        if (batchSize < 1 || batchSize > 100_000) {
            throw new IllegalArgumentException("batch size must be between 1 and 100000, not " + batchSize);
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
    }

    public static BackfillSettings defaults() {
        return new BackfillSettings(DEFAULT_BATCH_SIZE, DEFAULT_MAX_BATCH_BYTES, InheritPolicy.ALL, false, Duration.ZERO);
    }

    /** The mapping for rows read from a database: YAML-era rows decoded, fresh uuids from a secure random source. */
    public TaskJobMapping mapping() {
        return new TaskJobMapping(new SerializedHashReader(new SnakeYamlDecoder()), inheritPolicy,
                new RandomUuidAllocator(new SecureRandom()));
    }

    public BackfillSettings withBatchSize(int size) {
        return new BackfillSettings(size, maxBatchBytes, inheritPolicy, strict, pause);
    }

    public BackfillSettings withInheritPolicy(InheritPolicy policy) {
        return new BackfillSettings(batchSize, maxBatchBytes, policy, strict, pause);
    }

    public BackfillSettings withStrict(boolean value) {
        return new BackfillSettings(batchSize, maxBatchBytes, inheritPolicy, value, pause);
    }

    /** Waits this long between two batches. */
    public BackfillSettings withPause(Duration value) {
        return new BackfillSettings(batchSize, maxBatchBytes, inheritPolicy, strict, value);
    }
}
