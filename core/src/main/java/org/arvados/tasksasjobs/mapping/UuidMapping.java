package org.arvados.tasksasjobs.mapping;

/** Arvados uuids (docs/arvados.md §2) and the task uuid -> task-like job uuid rule. */
public final class UuidMapping {

    static final String JOB_INFIX = "8i9sb";

    private UuidMapping() {}

    /**
     * Whether {@code uuid} is five, five and fifteen characters of [0-9a-z] joined by hyphens. Checked by hand, not by
     * a regular expression: the backfill asks this several times of every task.
     */
    public static boolean isWellFormed(String uuid) {
        if (uuid == null || uuid.length() != 27 || uuid.charAt(5) != '-' || uuid.charAt(11) != '-') {
            return false;
        }
        for (int i = 0; i < 27; i++) {
            char c = uuid.charAt(i);
            if (i != 5 && i != 11 && !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
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
