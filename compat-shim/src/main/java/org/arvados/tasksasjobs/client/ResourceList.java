package org.arvados.tasksasjobs.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.OptionalLong;

/**
 * One page of a list response ({@code arvados#jobList} and the like).
 *
 * @param items          the objects on this page
 * @param itemsAvailable how many match in all (absent when the server omitted it, count=none)
 * @param offset         the offset the server applied
 * @param limit          the limit the server applied
 */
public record ResourceList(List<ObjectNode> items, OptionalLong itemsAvailable, long offset, long limit) {

    public ResourceList {
        items = List.copyOf(items);
    }
}
