package org.arvados.tasksasjobs.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.arvados.tasksasjobs.mapping.JobState;
import org.arvados.tasksasjobs.mapping.YamlDecoder;
import org.junit.jupiter.api.Test;

class SelectionTest {

    private static final ObjectNode TASK = new JobTaskResource(YamlDecoder.UNSUPPORTED).render(1, Tasks.job(JobState.RUNNING, "{}"));

    @Test
    void keepsOnlyTheSelectedAttributesAndKind() throws Exception {
        ObjectNode selected = Selection.parse("[\"uuid\", \"sequence\", \"uuid\"]").apply(TASK);

        assertEquals(List.of("kind", "uuid", "sequence"), List.copyOf(fieldNames(selected)));
        assertEquals(TASK.get("uuid"), selected.get("uuid"));
        assertEquals(JobTaskResource.KIND, selected.get("kind").asText());
    }

    @Test
    void selectingKindAloneGivesKindAlone() throws Exception {
        assertEquals(List.of("kind"), fieldNames(Selection.parse("[\"kind\"]").apply(TASK)));
    }

    @Test
    void noSelectKeepsTheObjectWhole() throws Exception {
        assertSame(TASK, Selection.parse(null).apply(TASK));
        assertTrue(Selection.parse("[]").isAll());
        assertTrue(Selection.parse("null").isAll());
    }

    @Test
    void aSelectThatIsNotAnArrayOfNamesIsRefused() {
        assertTrue(assertThrows(InvalidTaskRequestException.class, () -> Selection.parse("{\"a\":1}")).getMessage()
                .startsWith("select must be an array"));
        assertTrue(assertThrows(InvalidTaskRequestException.class, () -> Selection.parse("[1]")).getMessage()
                .startsWith("select entry must be an attribute name"));
        assertTrue(assertThrows(InvalidTaskRequestException.class, () -> Selection.parse("[")).getMessage()
                .startsWith("select is not JSON"));
    }

    private static List<String> fieldNames(ObjectNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
