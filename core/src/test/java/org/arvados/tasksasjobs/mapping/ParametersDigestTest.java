package org.arvados.tasksasjobs.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The digest vectors of docs/arvados.md §4, verbatim: canonical text -> digest, and parsed hash -> same text. */
class ParametersDigestTest {

    private final SerializedHashReader reader = new SerializedHashReader(YamlDecoder.UNSUPPORTED);

    private void assertVector(String canonical, String digest) throws UnparseableHashException {
        assertEquals(digest, ParametersDigest.ofCanonical(canonical));
        Map<String, Object> parsed = reader.read(canonical);
        assertEquals(canonical, CanonicalJson.write(parsed));
        assertEquals(digest, ParametersDigest.of(parsed));
    }

    @Test
    void digestMatchesArvadosVectorForEmptyHash() throws Exception {
        assertVector("{}", "99914b932bd37a50b983c5e7c90ae93b");
    }

    @Test
    void digestMatchesArvadosVectorForQuotedIntegerOne() throws Exception {
        assertVector("{\"an_integer\":\"1\",\"input\":\"fa7aeb5140e2848d39b416daeef4ffc5+45\"}",
                "a5f03bbfb8ba88a2efe4a7852671605b");
    }

    @Test
    void digestMatchesArvadosVectorForIntegerOne() throws Exception {
        assertVector("{\"an_integer\":1,\"input\":\"fa7aeb5140e2848d39b416daeef4ffc5+45\"}",
                "c3d19d3ec50ac0914baa56b149640f73");
    }

    @Test
    void digestMatchesArvadosVectorForSingleInput() throws Exception {
        assertVector("{\"input\":\"1f4b0bc7583c2a7f9102c395f4ffc5e3+45\"}", "03a43a7d84f7fb022467b876c2950acd");
    }

    @Test
    void digestMatchesArvadosVectorForTwoInputs() throws Exception {
        assertVector("{\"input\":\"fa7aeb5140e2848d39b416daeef4ffc5+45\",\"input2\":\"stuff\"}",
                "4900033ec5cfaf8a63566f3664aeaa70");
    }

    @Test
    void digestMatchesArvadosVectorForHashNestedInArrays() throws Exception {
        Map<String, Object> unsorted = reader.read("{\"z\":[[{\"b\":\"b\",\"a\":\"a\"}]]}");
        assertEquals("{\"z\":[[{\"a\":\"a\",\"b\":\"b\"}]]}", CanonicalJson.write(unsorted));
        assertEquals("07b5acc5cbee278ad9f6ec369d9b461a", ParametersDigest.of(unsorted));
        assertVector("{\"z\":[[{\"a\":\"a\",\"b\":\"b\"}]]}", "07b5acc5cbee278ad9f6ec369d9b461a");
    }

    @Test
    void digestDoesNotDependOnInsertionOrder() {
        Map<String, Object> one = new java.util.LinkedHashMap<>();
        one.put("input2", "stuff");
        one.put("input", "fa7aeb5140e2848d39b416daeef4ffc5+45");
        assertEquals("4900033ec5cfaf8a63566f3664aeaa70", ParametersDigest.of(one));
        assertEquals(ParametersDigest.of(Map.of("a", List.of(1L, 2L))), ParametersDigest.of(Map.of("a", List.of(1, 2))));
    }
}
