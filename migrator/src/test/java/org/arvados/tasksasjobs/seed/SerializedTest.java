package org.arvados.tasksasjobs.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.seed.Serialized.Format;
import org.junit.jupiter.api.Test;

class SerializedTest {

    @Test
    void digestMatchesTheTestVectorsOfArvadosMd() {
        assertEquals("99914b932bd37a50b983c5e7c90ae93b", Serialized.digest(Map.of()));
        assertEquals("a5f03bbfb8ba88a2efe4a7852671605b",
                Serialized.digest(hash("input", "fa7aeb5140e2848d39b416daeef4ffc5+45", "an_integer", "1")));
        assertEquals("c3d19d3ec50ac0914baa56b149640f73",
                Serialized.digest(hash("input", "fa7aeb5140e2848d39b416daeef4ffc5+45", "an_integer", 1L)));
        assertEquals("03a43a7d84f7fb022467b876c2950acd", Serialized.digest(hash("input", "1f4b0bc7583c2a7f9102c395f4ffc5e3+45")));
        assertEquals("4900033ec5cfaf8a63566f3664aeaa70",
                Serialized.digest(hash("input2", "stuff", "input", "fa7aeb5140e2848d39b416daeef4ffc5+45")));
        Map<String, Object> nested = hash("z", List.of(List.of(hash("b", "b", "a", "a"))));
        assertEquals("{\"z\":[[{\"a\":\"a\",\"b\":\"b\"}]]}", Serialized.canonicalJson(nested));
        assertEquals("07b5acc5cbee278ad9f6ec369d9b461a", Serialized.digest(nested));
    }

    @Test
    void jsonKeepsInsertionOrderAndRawUtf8() {
        assertEquals("{\"pattern\":\"Köln\",\"input\":\"x/日本語_1.fastq\"}",
                Serialized.write(hash("pattern", "Köln", "input", "x/日本語_1.fastq"), Format.JSON));
        assertEquals("{}", Serialized.write(Map.of(), Format.JSON));
    }

    @Test
    void canonicalOrderIsCodePointOrderNotUtf16() {
        // U+FF21 sorts before U+1F9EC in UTF-16 code units but after it in code points (= UTF-8 bytes).
        assertEquals("{\"Ａ\":1,\"🧬\":2}", Serialized.canonicalJson(hash("🧬", 2L, "Ａ", 1L)));
    }

    @Test
    void yamlIsWrittenAsPsychDumpedIt() {
        assertEquals("--- {}\n", Serialized.write(Map.of(), Format.YAML));
        assertEquals("---\ninput: fa7aeb5140e2848d39b416daeef4ffc5+45\nan_integer: '1'\n",
                Serialized.yaml(hash("input", "fa7aeb5140e2848d39b416daeef4ffc5+45", "an_integer", "1")));
        assertEquals("---\nan_integer: 1\npattern: \":foo\"\nplace: Köln\n",
                Serialized.yaml(hash("an_integer", 1L, "pattern", ":foo", "place", "Köln")));
        assertEquals("---\ncommand:\n- md5sum\n- \"$(task.input)\"\nbwa:\n  threads: 4\n  mode: mem\n",
                Serialized.yaml(hash("command", List.of("md5sum", "$(task.input)"), "bwa", hash("threads", 4L, "mode", "mem"))));
        assertEquals("---\nwhen: '2017-01-02'\nflag: 'true'\nempty: ''\n",
                Serialized.yaml(hash("when", "2017-01-02", "flag", "true", "empty", "")));
    }

    @Test
    void doubleEncodedIsYamlHoldingTheJsonString() {
        assertEquals("--- '{\"input\":\"abc+1\"}'\n", Serialized.write(hash("input", "abc+1"), Format.DOUBLE_ENCODED));
        // Psych double-quotes a string that starts with a non-word character and holds no '"'.
        assertEquals("--- \"{}\"\n", Serialized.write(Map.of(), Format.DOUBLE_ENCODED));
    }

    static Map<String, Object> hash(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
