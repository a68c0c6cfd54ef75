package org.arvados.tasksasjobs.client;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a create returned.
 *
 * @param object the created object, or the existing one the server reused
 * @param reused whether the server answered {@code X-Arvados-Reused: true} (find_or_create found an
 *               existing object instead of creating one)
 */
public record Created(ObjectNode object, boolean reused) {
}
