package org.arvados.tasksasjobs.shim;

/**
 * A job_tasks request the shim cannot carry out as given: malformed body, unknown attribute, wrong
 * type, or a filter, order or select that has no translation. The message is one line naming the
 * offending attribute or filter, fit for an Arvados error body ({@code {"errors": [message]}}, HTTP 422).
 * Checked, so that every caller decides where the 422 comes from.
 */
public final class InvalidTaskRequestException extends Exception {

    public InvalidTaskRequestException(String message) {
        super(message);
    }
}
