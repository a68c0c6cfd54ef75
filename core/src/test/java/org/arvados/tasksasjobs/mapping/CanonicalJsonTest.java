package org.arvados.tasksasjobs.mapping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    private static Map<String, Object> hash(Object... keysAndValues) {
        Map<String, Object> hash = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            hash.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return hash;
    }

    @Test
    void sortsKeysByUtf8BytesNotUtf16Units() {
        // U+FFFD is EF BF BD in UTF-8, the emoji U+1F600 is F0 9F 98 80: the emoji sorts last,
        // although its UTF-16 (a surrogate pair, 0xD83D...) sorts before 0xFFFD.
        String replacement = "\uFFFD";
        String emoji = "\uD83D\uDE00";
        assertEquals(true, emoji.compareTo(replacement) < 0, "Java's own order is the other way round");
        assertEquals("{\"" + replacement + "\":1,\"" + emoji + "\":2}",
                CanonicalJson.write(hash(emoji, 2L, replacement, 1L)));
    }

    @Test
    void sortsKeysBytewiseWithUppercaseBeforeLowercaseAndPrefixesFirst() {
        assertEquals("{\"B\":1,\"a\":2,\"a_b\":3,\"ab\":4,\"é\":5}",
                CanonicalJson.write(hash("é", 5L, "ab", 4L, "a_b", 3L, "a", 2L, "B", 1L)));
    }

    @Test
    void sortsHashesInsideArraysAndKeepsArrayOrder() {
        Object value = hash("z", List.of(hash("b", 1L, "a", 2L), 3L, List.of("y", "x")), "a", hash("d", null, "c", true));
        assertEquals("{\"a\":{\"c\":true,\"d\":null},\"z\":[{\"a\":2,\"b\":1},3,[\"y\",\"x\"]]}", CanonicalJson.write(value));
    }

    @Test
    void writesNoSpacesAndKeepsValueTypes() {
        assertEquals("{\"f\":false,\"n\":null,\"one\":1,\"one_text\":\"1\",\"t\":true}",
                CanonicalJson.write(hash("one", 1L, "one_text", "1", "t", true, "f", false, "n", null)));
    }

    @Test
    void writesIntegersAsTheyAre() {
        assertEquals("[0,-7,2147483648,-9223372036854775808,123456789012345678901234567890,5,6,7]",
                CanonicalJson.write(List.of(0L, -7, 2147483648L, Long.MIN_VALUE,
                        new BigInteger("123456789012345678901234567890"), (short) 5, (byte) 6, 7)));
    }

    @Test
    void escapesLikeRubyJsonGenerate() {
        String text = "q\" b\\ \b \f \n \r \t \u0000 \u0001 \u001f \u007f / \u2028";
        assertEquals("\"q\\\" b\\\\ \\b \\f \\n \\r \\t \\u0000 \\u0001 \\u001f \u007f / \u2028\"", CanonicalJson.write(text));
    }

    @Test
    void emitsNonAsciiAsRawUtf8() {
        String written = CanonicalJson.write(hash("clé", "日本語 \uD83D\uDE00"));
        assertEquals("{\"clé\":\"日本語 \uD83D\uDE00\"}", written);
        byte[] expected = "{\"cl\u00e9\":\"\u65e5\u672c\u8a9e \uD83D\uDE00\"}".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(expected, written.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void formatsFloatsAsRubyFloatToS() {
        Map<Double, String> expected = new LinkedHashMap<>();
        expected.put(1.5, "1.5");
        expected.put(1.0, "1.0");
        expected.put(100.0, "100.0");
        expected.put(0.1, "0.1");
        expected.put(-2.5, "-2.5");
        expected.put(0.0, "0.0");
        expected.put(-0.0, "-0.0");
        expected.put(1.0 / 3, "0.3333333333333333");
        expected.put(2.0 / 3, "0.6666666666666666");
        expected.put(0.1 + 0.2, "0.30000000000000004");
        expected.put(1e15, "1000000000000000.0");
        expected.put(1234567890123456.7, "1234567890123456.8");
        expected.put(1e16, "1.0e+16");
        expected.put(1.5e16, "1.5e+16");
        expected.put(1e23, "1.0e+23");
        expected.put(1e100, "1.0e+100");
        expected.put(0.001, "0.001");
        expected.put(0.0001, "0.0001");
        expected.put(0.00012, "0.00012");
        expected.put(0.00001, "1.0e-05");
        expected.put(1.25e-5, "1.25e-05");
        expected.put(Double.MAX_VALUE, "1.7976931348623157e+308");
        expected.put(Double.MIN_VALUE, "5.0e-324");
        expected.put(Double.MIN_NORMAL, "2.2250738585072014e-308");
        expected.put(9007199254740993.0, "9007199254740992.0");
        expected.put(123456789.123, "123456789.123");
        expected.put(2e-3, "0.002");
        for (Map.Entry<Double, String> entry : expected.entrySet()) {
            assertEquals(entry.getValue(), CanonicalJson.write(entry.getKey()), "Float#to_s of " + entry.getKey());
        }
    }

    @Test
    void refusesNanAndInfinity() {
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.write(hash("x", Double.POSITIVE_INFINITY)));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.write(List.of(Double.NEGATIVE_INFINITY)));
    }

    @Test
    void refusesWhatHasNoJsonForm() {
        Map<Object, Object> intKey = new LinkedHashMap<>();
        intKey.put(1, "x");
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.write(intKey));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.write(new Object()));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.write("lone \uD800 surrogate"));
    }

    @Test
    void sortsLargeHashesTheSameWhateverTheInsertionOrder() {
        List<String> keys = new ArrayList<>(Arrays.asList("b", "a", "ä", "\uFFFD", "\uD83D\uDE00", "A", "aa", "", "\u0000"));
        Map<String, Object> forward = new LinkedHashMap<>();
        keys.forEach(key -> forward.put(key, key));
        java.util.Collections.reverse(keys);
        Map<String, Object> backward = new LinkedHashMap<>();
        keys.forEach(key -> backward.put(key, key));
        assertEquals(CanonicalJson.write(forward), CanonicalJson.write(backward));
        assertEquals(true, CanonicalJson.write(forward).startsWith("{\"\":\"\",\"\\u0000\""));
    }
}
