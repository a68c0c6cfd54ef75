package org.arvados.tasksasjobs.gateway.tasks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * What a jobs create answered: the job, and whether it is an existing one reused (find_or_create) rather than one
 * just written; the HTTP layer says which in the X-Arvados-Reused header.
 */
public record Created(ObjectNode object, boolean reused) {
    public Created {
        Objects.requireNonNull(object, "object");
    }
}
