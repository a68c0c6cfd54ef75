package org.arvados.tasksasjobs.mapping;

/** Source of fresh job uuids, for a task whose derived uuid is already taken. */
@FunctionalInterface
public interface UuidAllocator {

    /** {@code cluster + "-8i9sb-" +} 15 random base-36 characters {@code [0-9a-z]}. */
    String newJobUuid(String cluster);
}
