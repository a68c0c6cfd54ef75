package org.arvados.tasksasjobs.gateway.tasks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.arvados.tasksasjobs.shim.ListParameters;
import org.arvados.tasksasjobs.shim.PlainJson;

/** An Arvados list object: {kind, items, items_available (only when counted), offset, limit}. */
final class ListPage {

    private ListPage() {}

    static ObjectNode render(String kind, List<ObjectNode> items, Long itemsAvailable, ListParameters page) {
        ArrayNode array = PlainJson.NODES.arrayNode();
        array.addAll(items);
        ObjectNode out = PlainJson.NODES.objectNode();
        out.put("kind", kind);
        out.set("items", array);
        if (itemsAvailable != null) {
            out.put("items_available", itemsAvailable);
        }
        out.put("offset", page.offset());
        out.put("limit", page.limit());
        return out;
    }
}
