package org.arvados.tasksasjobs.shim;

import java.util.Objects;

/** One sort key on a column of {@code jobs}. */
public record JobOrder(String column, boolean descending) {
    public JobOrder {
        Objects.requireNonNull(column, "column");
    }
}
