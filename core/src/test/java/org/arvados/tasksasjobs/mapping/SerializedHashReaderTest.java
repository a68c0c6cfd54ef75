package org.arvados.tasksasjobs.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SerializedHashReaderTest {

    private final SerializedHashReader reader = new SerializedHashReader(new StubYamlDecoder());

    private String failure(SerializedHashReader using, String text) {
        String message = assertThrows(UnparseableHashException.class, () -> using.read(text)).getMessage();
        assertFalse(message.contains("\n"), () -> "one line: " + message);
        return message;
    }

    @Test
    void nullIsAnEmptyHash() throws Exception {
        assertEquals(Map.of(), reader.read(null));
    }

    @Test
    void emptyJsonObjectIsAnEmptyHash() throws Exception {
        assertEquals(Map.of(), reader.read("{}"));
    }

    @Test
    void yamlEmptyHashGoesThroughTheDecoder() throws Exception {
        assertEquals(Map.of(), reader.read("--- {}\n"));
    }

    @Test
    void yamlHashWithQuotedNumberKeepsTheString() throws Exception {
        Map<String, Object> read = reader.read("---\nan_integer: '1'\nn: 1\n");
        assertEquals("1", read.get("an_integer"));
        assertEquals(1L, read.get("n"));
    }

    @Test
    void jsonKeepsInsertionOrderAndTypes() throws Exception {
        Map<String, Object> read = reader.read(
                "{\"z\":1,\"a\":\"1\",\"big\":123456789012345678901234567890,\"f\":1.5,\"e\":1E2,\"t\":true,\"n\":null,"
                        + "\"l\":[1,{\"y\":2,\"x\":3}],\"m\":-0}");
        assertEquals(List.of("z", "a", "big", "f", "e", "t", "n", "l", "m"), new ArrayList<>(read.keySet()));
        assertEquals(1L, read.get("z"));
        assertEquals("1", read.get("a"));
        assertEquals(new BigInteger("123456789012345678901234567890"), read.get("big"));
        assertEquals(1.5, read.get("f"));
        assertEquals(100.0, read.get("e"));
        assertEquals(true, read.get("t"));
        assertTrue(read.containsKey("n") && read.get("n") == null);
        assertEquals(Arrays.asList(1L, Map.of("y", 2L, "x", 3L)), read.get("l"));
        assertEquals(0L, read.get("m"));
        assertInstanceOf(LinkedHashMap.class, read);
    }

    @Test
    void jsonDuplicateKeysLastWinsInFirstPosition() throws Exception {
        Map<String, Object> read = reader.read("{\"a\":1,\"b\":2,\"a\":3}");
        assertEquals(List.of("a", "b"), new ArrayList<>(read.keySet()));
        assertEquals(3L, read.get("a"));
    }

    @Test
    void jsonNonAsciiIsDecoded() throws Exception {
        assertEquals(Map.of("clé", "日本 \uD83D\uDE00"), reader.read("{\"cl\\u00e9\":\"日本 \\ud83d\\ude00\"}"));
    }

    @Test
    void doubleEncodedRowIsDecodedAgainAsJson() throws Exception {
        String row = "--- " + StubYamlDecoder.quote("{\"input\":\"fa7aeb5140e2848d39b416daeef4ffc5+45\",\"it's\":1}") + "\n";
        assertEquals(Map.of("input", "fa7aeb5140e2848d39b416daeef4ffc5+45", "it's", 1L), reader.read(row));
    }

    @Test
    void doubleEncodedTextThatIsNotJsonIsUnparseable() {
        assertTrue(failure(reader, "--- 'hello'\n").startsWith("YAML holds a string that is not JSON: invalid JSON"));
    }

    @Test
    void doubleEncodedJsonArrayIsNotAHash() {
        assertEquals("double-encoded JSON value is an array, not a hash", failure(reader, "--- '[1]'\n"));
    }

    @Test
    void jsonArrayIsNotAHash() {
        // Starts with '[': neither form.
        assertEquals("neither JSON nor YAML: text starts with \"[1,2]\"", failure(reader, "[1,2]"));
    }

    @Test
    void invalidTextIsUnparseable() {
        assertEquals("neither JSON nor YAML: text starts with \"input:\"...", failure(reader, "input: foo"));
        assertEquals("neither JSON nor YAML: text starts with \"\"", failure(reader, ""));
        // Leading whitespace: the Ruby serializer looked at the very first character.
        assertTrue(failure(reader, " {}").startsWith("neither JSON nor YAML"));
    }

    @Test
    void invalidJsonNamesTheProblemAndPlace() {
        String message = failure(reader, "{\"a\": 1,\n \"b\": }");
        assertTrue(message.startsWith("invalid JSON: "), message);
        assertTrue(message.endsWith("at line 2, column 7"), message);
        assertTrue(failure(reader, "{\"a\":1").startsWith("invalid JSON: "));
        assertTrue(failure(reader, "{\"a\":NaN}").startsWith("invalid JSON: "));
    }

    @Test
    void jsonWithTrailingTextIsUnparseable() {
        assertEquals("invalid JSON: text continues after the value at line 1, column 4", failure(reader, "{} {}"));
    }

    @Test
    void jsonNumberBeyondDoubleRangeIsUnparseable() {
        assertEquals("number 1e400 is beyond the range of a double", failure(reader, "{\"x\":1e400}"));
    }

    @Test
    void jsonLoneSurrogateIsUnparseable() {
        assertTrue(failure(reader, "{\"x\":\"\\ud800\"}").contains("unpaired surrogate"));
    }

    @Test
    void yamlRowWithoutDecoderIsUnparseable() {
        SerializedHashReader plain = new SerializedHashReader(YamlDecoder.UNSUPPORTED);
        assertEquals("YAML rows need the changelogs module's decoder", failure(plain, "--- {}\n"));
    }

    @Test
    void yamlValueThatIsNotAHashIsUnparseable() {
        SerializedHashReader listing = new SerializedHashReader(yaml -> List.of("a"));
        assertEquals("YAML value is an array, not a hash", failure(listing, "---\n- a\n"));
        SerializedHashReader nothing = new SerializedHashReader(yaml -> null);
        assertEquals("YAML value is null, not a hash", failure(nothing, "---\n"));
    }

    @Test
    void nonStringYamlKeysBecomeTheirStringForm() throws Exception {
        Map<Object, Object> decoded = new LinkedHashMap<>();
        decoded.put(1, "int");
        decoded.put(true, "bool");
        decoded.put(null, "nil");
        decoded.put(1.5, "float");
        decoded.put(1e20, "big float");
        decoded.put(BigInteger.TEN.pow(20), List.of(Map.of(2L, "nested")));
        SerializedHashReader keyed = new SerializedHashReader(yaml -> decoded);
        Map<String, Object> read = keyed.read("--- ignored by the stub\n");
        assertEquals(List.of("1", "true", "", "1.5", "1.0e+20", "100000000000000000000"), new ArrayList<>(read.keySet()));
        assertEquals(List.of(Map.of("2", "nested")), read.get("100000000000000000000"));
    }

    @Test
    void yamlIntegersBecomeLongs() throws Exception {
        SerializedHashReader ints = new SerializedHashReader(yaml -> Map.of("i", 7, "b", BigInteger.valueOf(8)));
        assertEquals(Map.of("i", 7L, "b", 8L), ints.read("---\n"));
    }

    @Test
    void yamlValuesWithoutJsonFormAreUnparseable() {
        SerializedHashReader infinite = new SerializedHashReader(yaml -> Map.of("x", Double.POSITIVE_INFINITY));
        assertEquals("YAML number Infinity has no JSON form", failure(infinite, "---\n"));
        SerializedHashReader dated = new SerializedHashReader(yaml -> Map.of("x", new java.util.Date(0)));
        assertEquals("YAML value of type Date is not plain data", failure(dated, "---\n"));
        SerializedHashReader listKey = new SerializedHashReader(yaml -> Map.of(List.of(1), "x"));
        assertTrue(failure(listKey, "---\n").contains("is not a scalar"));
    }

    @Test
    void resultIsAFreshMutableMap() throws Exception {
        Map<String, Object> first = reader.read(null);
        first.put("x", 1L);
        assertEquals(Map.of(), reader.read(null));
    }
}
