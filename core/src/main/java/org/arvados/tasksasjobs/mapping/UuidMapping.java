package org.arvados.tasksasjobs.mapping;

import java.util.regex.Pattern;

/** Arvados uuids (docs/arvados.md §2) and the task uuid -> task-like job uuid rule. */
public final class UuidMapping {

    public static final Pattern UUID = Pattern.compile("^[0-9a-z]{5}-[0-9a-z]{5}-[0-9a-z]{15}$");

    static final String JOB_INFIX = "8i9sb";

    private UuidMapping() {}

    public static boolean isWellFormed(String uuid) {
        return uuid != null && UUID.matcher(uuid).matches();
    }

    /** The 5-character cluster id of a well-formed uuid. */
    public static String clusterOf(String uuid) {
        requireWellFormed(uuid);
        return uuid.substring(0, 5);
    }

    /**
     * Cluster + "-8i9sb-" + the 15-character tail of a well-formed task uuid (whatever its infix),
     * so the task-like job of a task is found from the task's uuid without a lookup table.
     */
    public static String taskLikeJobUuid(String taskUuid) {
        requireWellFormed(taskUuid);
        return taskUuid.substring(0, 5) + "-" + JOB_INFIX + "-" + taskUuid.substring(12);
    }

    private static void requireWellFormed(String uuid) {
        if (!isWellFormed(uuid)) {
            throw new IllegalArgumentException("not an Arvados uuid: " + (uuid == null ? "null" : PlainValues.excerpt(uuid, 60)));
        }
    }
}
