package org.arvados.tasksasjobs.gateway.tasks;

/**
 * The query parameters of a list request as raw texts, each null when absent; the services parse and check them,
 * so every bad value becomes a 422 with the same one-line messages whichever HTTP layer sent it.
 */
public record ListQuery(String filters, String where, String order, String limit, String offset, String select,
                        String count) {

    /** A list with no parameters: defaults everywhere. */
    public static final ListQuery NONE = new ListQuery(null, null, null, null, null, null, null);
}
