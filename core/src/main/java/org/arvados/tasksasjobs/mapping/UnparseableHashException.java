package org.arvados.tasksasjobs.mapping;

/**
 * Thrown for text that is not a serialized hash. The message says why in one line and names
 * no row: callers know which row they were reading and add that themselves.
 */
public final class UnparseableHashException extends Exception {

    public UnparseableHashException(String message) {
        super(message);
    }

    public UnparseableHashException(String message, Throwable cause) {
        super(message, cause);
    }
}
