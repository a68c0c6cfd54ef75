package org.arvados.tasksasjobs.client;

import java.util.Objects;

/**
 * One list filter, sent as the JSON array {@code [attribute, operator, value]}.
 *
 * @param attribute e.g. {@code parent_job_uuid}
 * @param operator  one of {@code = != < <= > >= in, not in, like, ilike, is_a}
 * @param value     a plain JSON value: String, Number, Boolean, null, or a List of those
 */
public record Filter(String attribute, String operator, Object value) {

    public Filter {
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(operator, "operator");
    }

    /** {@code [attribute, "=", value]}. */
    public static Filter eq(String attribute, Object value) {
        return new Filter(attribute, "=", value);
    }
}
