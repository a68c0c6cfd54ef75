package org.arvados.tasksasjobs.client;

/**
 * The answer to {@link Crunch#createChildTask}.
 *
 * @param task   the new task, or the finished one the gateway reused
 * @param reused whether the gateway reused an existing task-like job (same script, commit, image and
 *               merged parameters) instead of creating one; its output is then already there
 */
public record TaskSubmission(Task task, boolean reused) {
}
