package org.arvados.tasksasjobs.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.mapping.ParametersDigest;
import org.arvados.tasksasjobs.mapping.SerializedHashReader;
import org.arvados.tasksasjobs.mapping.UnparseableHashException;
import org.junit.jupiter.api.Test;

class SnakeYamlDecoderTest {

    private final SnakeYamlDecoder decoder = new SnakeYamlDecoder();
    private final SerializedHashReader reader = new SerializedHashReader(decoder);

    private Map<?, ?> hash(String yaml) throws UnparseableHashException {
        return assertInstanceOf(Map.class, decoder.decode(yaml));
    }

    private String refusal(String yaml) {
        String message = assertThrows(UnparseableHashException.class, () -> decoder.decode(yaml)).getMessage();
        assertFalse(message.contains("\n"), () -> "one line: " + message);
        return message;
    }

    @Test
    void emptyHashDocumentIsAnEmptyMap() throws Exception {
        Map<?, ?> decoded = hash("--- {}\n");
        assertTrue(decoded.isEmpty());
        assertInstanceOf(LinkedHashMap.class, decoded);
    }

    @Test
    void psychQuotedNumericStringsStayStringsAndBareNumbersAreLongs() throws Exception {
        Map<?, ?> decoded = hash("---\nan_integer: '1'\nn: 1\ninput: fa7aeb5140e2848d39b416daeef4ffc5+45\n");
        assertEquals("1", decoded.get("an_integer"));
        assertEquals(1L, decoded.get("n"));
        assertEquals("fa7aeb5140e2848d39b416daeef4ffc5+45", decoded.get("input"));
    }

    @Test
    void largeIntegersAreBigIntegersAndDecimalsDoubles() throws Exception {
        Map<?, ?> decoded = hash("---\nbig: 123456789012345678901234567890\nlong: 9000000000\nf: 1.5\n");
        assertEquals(new BigInteger("123456789012345678901234567890"), decoded.get("big"));
        assertEquals(9_000_000_000L, decoded.get("long"));
        assertEquals(1.5, decoded.get("f"));
    }

    @Test
    void nestedListsAndMapsKeepTheirShapeAndOrder() throws Exception {
        Map<?, ?> decoded = hash("---\nz: 1\nlist:\n- a\n- 2\n- nested:\n    y: true\n    x: 1.5\n    w: ~\nmap:\n  inner: [1, two]\n");
        assertEquals(List.of("z", "list", "map"), new ArrayList<>(decoded.keySet()));
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("y", true);
        nested.put("x", 1.5);
        nested.put("w", null);
        assertEquals(Arrays.asList("a", 2L, Map.of("nested", nested)), decoded.get("list"));
        assertEquals(Map.of("inner", List.of(1L, "two")), decoded.get("map"));
    }

    @Test
    void nonAsciiTextIsDecoded() throws Exception {
        Map<?, ?> decoded = hash("---\nclé: 日本語 \uD83D\uDE00\nescaped: \"\\u00e9\\U0001F600\"\n");
        assertEquals("日本語 \uD83D\uDE00", decoded.get("clé"));
        assertEquals("é\uD83D\uDE00", decoded.get("escaped"));
    }

    @Test
    void yamlStringHoldingJsonIsReturnedAsTheStringAndTheReaderDecodesIt() throws Exception {
        String row = "--- '{\"input\":\"fa7aeb5140e2848d39b416daeef4ffc5+45\",\"an_integer\":\"1\"}'\n";
        assertEquals("{\"input\":\"fa7aeb5140e2848d39b416daeef4ffc5+45\",\"an_integer\":\"1\"}", decoder.decode(row));
        Map<String, Object> read = reader.read(row);
        assertEquals(Map.of("input", "fa7aeb5140e2848d39b416daeef4ffc5+45", "an_integer", "1"), read);
        assertEquals("a5f03bbfb8ba88a2efe4a7852671605b", ParametersDigest.of(read));
    }

    @Test
    void yamlEraRowsGiveTheArvadosDigests() throws Exception {
        assertEquals("a5f03bbfb8ba88a2efe4a7852671605b",
                ParametersDigest.of(reader.read("---\ninput: fa7aeb5140e2848d39b416daeef4ffc5+45\nan_integer: '1'\n")));
        assertEquals("c3d19d3ec50ac0914baa56b149640f73",
                ParametersDigest.of(reader.read("---\ninput: fa7aeb5140e2848d39b416daeef4ffc5+45\nan_integer: 1\n")));
        assertEquals("99914b932bd37a50b983c5e7c90ae93b", ParametersDigest.of(reader.read("--- {}\n")));
    }

    @Test
    void rubySymbolsStayStringsWithTheirColon() throws Exception {
        Map<?, ?> decoded = hash("---\n:key: :sym\nplain: :other\n");
        assertEquals(":sym", decoded.get(":key"));
        assertEquals(":other", decoded.get("plain"));
    }

    @Test
    void railsIndifferentAccessHashIsAPlainMap() throws Exception {
        Map<?, ?> decoded = hash("--- !ruby/hash:ActiveSupport::HashWithIndifferentAccess\ninput: foo\n"
                + "nested: !ruby/hash:ActiveSupport::HashWithIndifferentAccess\n  a: 1\n");
        assertEquals(Map.of("input", "foo", "nested", Map.of("a", 1L)), decoded);
    }

    @Test
    void binaryHoldingUtf8TextBecomesTheText() throws Exception {
        // "é" is C3 A9; Psych writes non-UTF-8-tagged strings as !binary.
        assertEquals("é", hash("---\ndata: !binary |-\n  w6k=\n").get("data"));
        assertEquals("hello", hash("---\ndata: !!binary aGVsbG8=\n").get("data"));
    }

    @Test
    void binaryHoldingOtherBytesIsRefused() {
        assertEquals("YAML !binary holds bytes that are not UTF-8 text", refusal("---\ndata: !binary |-\n  /w==\n"));
        assertEquals("YAML !binary is not valid base64", refusal("---\ndata: !binary '%%%'\n"));
    }

    @Test
    void datesAndTimestampsAreRefusedAsPsychSafeLoadRefusesThem() {
        assertEquals("YAML timestamp: Psych.safe_load refuses dates", refusal("---\nwhen: 2017-01-02\n"));
        assertEquals("YAML timestamp: Psych.safe_load refuses dates", refusal("---\nwhen: 2001-12-14t21:59:43.10-05:00\n"));
        assertEquals("YAML timestamp: Psych.safe_load refuses dates", refusal("---\nwhen: !!timestamp 2017-01-02\n"));
    }

    @Test
    void quotedDateIsJustAString() throws Exception {
        assertEquals("2017-01-02", hash("---\nwhen: '2017-01-02'\n").get("when"));
    }

    @Test
    void rubyObjectTagsAreRefused() {
        assertEquals("YAML tag !ruby/object:OpenStruct is not allowed (Psych.safe_load refuses it)",
                refusal("--- !ruby/object:OpenStruct\ntable: {}\n"));
        assertEquals("YAML tag !ruby/struct:Point is not allowed (Psych.safe_load refuses it)",
                refusal("---\np: !ruby/struct:Point\n  x: 1\n"));
        assertEquals("YAML tag tag:yaml.org,2002:java.io.File is not allowed (Psych.safe_load refuses it)",
                refusal("--- !!java.io.File\npath: /etc/passwd\n"));
    }

    @Test
    void setsAndOrderedMapsAreRefused() {
        assertEquals("YAML !!set is not a plain hash or list", refusal("---\ns: !!set {a, b}\n"));
        assertEquals("YAML !!omap is not a plain hash or list", refusal("---\no: !!omap [a: 1]\n"));
    }

    @Test
    void malformedYamlIsRefusedWithOneLineNamingThePlace() {
        assertEquals("malformed YAML: mapping values are not allowed here at line 2, column 5", refusal("---\na: b: c\n"));
        assertTrue(refusal("--- {a: 1\n").startsWith("malformed YAML: "));
        assertTrue(refusal("---\n\tx: 1\n").startsWith("malformed YAML: "));
        assertEquals("malformed YAML: expected a single document in the stream, but found another document at line 2, column 1",
                refusal("--- {}\n--- {}\n"));
    }

    @Test
    void billionLaughsIsRefused() {
        StringBuilder yaml = new StringBuilder("---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char level = 'b'; level <= 'i'; level++) {
            char previous = (char) (level - 1);
            yaml.append(level).append(": &").append(level).append(" [");
            for (int i = 0; i < 9; i++) {
                yaml.append(i == 0 ? "" : ",").append('*').append(previous);
            }
            yaml.append("]\n");
        }
        String message = refusal(yaml.toString());
        assertTrue(message.startsWith("malformed YAML: Number of aliases for non-scalar nodes exceeds the specified max=50"),
                message);
    }

    @Test
    void fewAliasesThatStillExpandHugelyAreRefused() {
        // 25 levels of two aliases each: 50 aliases, 2^25 values once expanded.
        StringBuilder yaml = new StringBuilder("---\nl0: &l0 [x, x]\n");
        for (int level = 1; level <= 25; level++) {
            yaml.append("l").append(level).append(": &l").append(level)
                    .append(" [*l").append(level - 1).append(", *l").append(level - 1).append("]\n");
        }
        assertTrue(refusal(yaml.toString()).startsWith("YAML aliases expand to more than "));
    }

    @Test
    void modestAliasesAreExpanded() throws Exception {
        Map<?, ?> decoded = hash("---\na: &x [1, 2]\nb: *x\nc: &s text\nd: *s\n");
        assertEquals(List.of(1L, 2L), decoded.get("b"));
        assertEquals("text", decoded.get("d"));
    }

    @Test
    void collectionContainingItselfIsRefused() {
        assertEquals("YAML value contains itself through an alias", refusal("--- &a [1, *a]\n"));
    }

    @Test
    void duplicateKeysLastWins() throws Exception {
        assertEquals(Map.of("a", 2L), hash("---\na: 1\na: 2\n"));
    }

    @Test
    void emptyDocumentIsNull() throws Exception {
        assertNull(decoder.decode("---\n"));
        assertEquals("YAML value is null, not a hash",
                assertThrows(UnparseableHashException.class, () -> reader.read("---\n")).getMessage());
    }

    @Test
    void nonStringKeysAreLeftToTheReaderToName() throws Exception {
        Map<String, Object> read = reader.read("---\n1: one\ntrue: yes\n~: nothing\n");
        assertEquals(List.of("1", "true", ""), new ArrayList<>(read.keySet()));
        assertEquals(true, read.get("true"));
    }
}
