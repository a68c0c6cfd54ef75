package org.arvados.tasksasjobs.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InheritPolicyTest {

    private static final Map<String, Object> PARENT = parent();

    private static Map<String, Object> parent() {
        Map<String, Object> parent = new LinkedHashMap<>();
        parent.put("input", "fa7aeb5140e2848d39b416daeef4ffc5+45");
        parent.put("algorithm", "md5");
        parent.put("reference", "hg19");
        return parent;
    }

    @Test
    void defaultInheritsEveryKey() {
        assertEquals(PARENT, InheritPolicy.ALL.inherited("hash", PARENT));
        assertEquals(PARENT, InheritPolicy.ALL.inherited(null, PARENT));
    }

    @Test
    void listedScriptInheritsOnlyItsKeysInParentOrder() {
        InheritPolicy policy = InheritPolicy.parse("{\"hash\": [\"reference\", \"algorithm\", \"absent\"]}");
        Map<String, Object> inherited = policy.inherited("hash", PARENT);
        assertEquals(List.of("algorithm", "reference"), new ArrayList<>(inherited.keySet()));
    }

    @Test
    void scriptsNotListedInheritEverything() {
        InheritPolicy policy = InheritPolicy.of(Map.of("hash", List.of("algorithm")));
        assertEquals(PARENT, policy.inherited("grep", PARENT));
        assertEquals(PARENT, policy.inherited(null, PARENT));
    }

    @Test
    void emptyListInheritsNothing() {
        assertEquals(Map.of(), InheritPolicy.parse("{\"hash\": []}").inherited("hash", PARENT));
    }

    @Test
    void inheritedMapIsTheCallersAndParentIsUntouched() {
        InheritPolicy policy = InheritPolicy.of(Map.of("hash", List.of("algorithm")));
        Map<String, Object> inherited = policy.inherited("hash", PARENT);
        inherited.put("extra", 1L);
        assertEquals(3, PARENT.size());
        assertFalse(PARENT.containsKey("extra"));
    }

    @Test
    void policyIsImmutableAgainstItsSource() {
        Map<String, List<String>> source = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(List.of("algorithm"));
        source.put("hash", keys);
        InheritPolicy policy = InheritPolicy.of(source);
        keys.add("input");
        source.put("grep", List.of());
        assertEquals(Map.of("algorithm", "md5"), policy.inherited("hash", PARENT));
        assertEquals(PARENT, policy.inherited("grep", PARENT));
        assertEquals(InheritPolicy.of(Map.of("hash", List.of("algorithm"))), policy);
    }

    private static String parseFailure(String json) {
        return assertThrows(IllegalArgumentException.class, () -> InheritPolicy.parse(json)).getMessage();
    }

    @Test
    void parseNamesWhatIsWrong() {
        assertEquals("inherit policy: expected a JSON object of script name -> list of keys, not an array",
                parseFailure("[\"hash\"]"));
        assertEquals("inherit policy: script \"hash\" must map to a list of key names, not a string",
                parseFailure("{\"hash\": \"input\"}"));
        assertEquals("inherit policy: key #2 of script \"hash\" must be a string, not a number",
                parseFailure("{\"hash\": [\"input\", 3]}"));
        assertEquals(true, parseFailure("{\"hash\": [").startsWith("inherit policy: invalid JSON: "));
        assertEquals("inherit policy: no text", parseFailure(null));
    }
}
