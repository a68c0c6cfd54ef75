package org.arvados.tasksasjobs.mapping;

import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Allocates job uuids from a random generator: a SecureRandom in production, a seeded generator
 * in tests. As thread-safe as the generator.
 */
public final class RandomUuidAllocator implements UuidAllocator {

    private static final Pattern CLUSTER = Pattern.compile("[0-9a-z]{5}");
    private static final char[] BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private final RandomGenerator random;

    public RandomUuidAllocator(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public String newJobUuid(String cluster) {
        if (cluster == null || !CLUSTER.matcher(cluster).matches()) {
            throw new IllegalArgumentException("not a cluster id (5 of [0-9a-z]): " + cluster);
        }
        StringBuilder uuid = new StringBuilder(27).append(cluster).append('-').append(UuidMapping.JOB_INFIX).append('-');
        for (int i = 0; i < 15; i++) {
            uuid.append(BASE36[random.nextInt(BASE36.length)]);
        }
        return uuid.toString();
    }
}
