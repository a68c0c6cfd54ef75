package org.arvados.tasksasjobs.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.seed.Serialized.Format;
import org.junit.jupiter.api.Test;

class SerializedTest {

    @Test
    void jsonKeepsInsertionOrderAndRawUtf8() {
        assertEquals("{\"pattern\":\"Köln\",\"input\":\"x/日本語_1.fastq\"}",
                Serialized.write(hash("pattern", "Köln", "input", "x/日本語_1.fastq"), Format.JSON));
        assertEquals("{}", Serialized.write(Map.of(), Format.JSON));
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
