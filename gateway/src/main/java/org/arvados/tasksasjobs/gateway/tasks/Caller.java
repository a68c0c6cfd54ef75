package org.arvados.tasksasjobs.gateway.tasks;

/**
 * Who makes a request, as the HTTP layer authenticated it.
 *
 * @param userUuid    the token's user
 * @param admin       whether that user is an admin (reads and writes everything)
 * @param callingTask the X-Arvados-Task-Uuid header: the calling task's {@code ot0gb} uuid or its task-like job's
 *                    {@code 8i9sb} uuid, or null when absent
 */
public record Caller(String userUuid, boolean admin, String callingTask) {
    public Caller {
        if (userUuid == null || userUuid.isEmpty()) {
            throw new IllegalArgumentException("a caller needs a user uuid");
        }
        if (callingTask != null && callingTask.isBlank()) {
            callingTask = null;
        }
    }
}
