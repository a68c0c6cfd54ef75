package org.arvados.tasksasjobs.reuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProbeReaderTest {

    private static final String TOP = "{\"id\": \"p1\", \"repository\": \"active/foo\", \"script\": \"hash\","
            + " \"script_version\": \"a1f7b8a3e6e2c9d0b4e5f6a7b8c9d0e1f2a3b4c5\","
            + " \"script_parameters\": {\"input\": \"fa7aeb5140e2848d39b416daeef4ffc5+45\", \"an_integer\": 1},"
            + " \"docker_image_locator\": \"b519d9cb706a29fc7ea24dbea2f05851+249025\", \"arvados_sdk_version\": null,"
            + " \"owner_uuid\": \"zzzzz-tpzed-000000000000000\", \"parent_job_uuid\": null}";

    @Test
    void readsEveryFieldOfATopLevelProbe() {
        Probe probe = only(TOP);

        assertEquals("p1", probe.id());
        assertEquals("active/foo", probe.repository());
        assertEquals("hash", probe.script());
        assertEquals("a1f7b8a3e6e2c9d0b4e5f6a7b8c9d0e1f2a3b4c5", probe.scriptVersion());
        assertEquals(Map.of("input", "fa7aeb5140e2848d39b416daeef4ffc5+45", "an_integer", 1L), probe.scriptParameters());
        assertEquals("b519d9cb706a29fc7ea24dbea2f05851+249025", probe.dockerImageLocator());
        assertNull(probe.arvadosSdkVersion());
        assertEquals("zzzzz-tpzed-000000000000000", probe.ownerUuid());
        assertFalse(probe.isTask());
    }

    @Test
    void keepsParameterValuesAsTheirJsonTypesAndOrder() {
        Probe probe = only("{\"id\":\"p\",\"repository\":\"r\",\"script\":\"s\",\"owner_uuid\":\"u\",\"script_parameters\":"
                + "{\"z\":\"1\",\"a\":1,\"f\":1.5,\"big\":123456789012345678901234567890,\"l\":[true,null,{\"k\":{}}]}}");

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("z", "1");
        expected.put("a", 1L);
        expected.put("f", 1.5);
        expected.put("big", new BigInteger("123456789012345678901234567890"));
        List<Object> list = new ArrayList<>();
        list.add(true);
        list.add(null);
        list.add(Map.of("k", Map.of()));
        expected.put("l", list);
        assertEquals(expected, probe.scriptParameters());
        assertEquals(List.of("z", "a", "f", "big", "l"), List.copyOf(probe.scriptParameters().keySet()));
    }

    @Test
    void aTaskProbeMayLeaveOutWhatItsParentDecides() {
        Probe probe = only("{\"id\":\"t1\",\"parent_job_uuid\":\"zzzzz-8i9sb-parentjob000001\",\"owner_uuid\":\"u\","
                + "\"script_parameters\":{\"input\":\"x\"}}");

        assertTrue(probe.isTask());
        assertNull(probe.repository());
        assertNull(probe.script());
        assertEquals(Map.of("input", "x"), probe.scriptParameters());
    }

    @Test
    void missingOrNullParametersAreAnEmptyHash() {
        assertEquals(Map.of(), only("{\"id\":\"p\",\"repository\":\"r\",\"script\":\"s\",\"owner_uuid\":\"u\"}").scriptParameters());
        assertEquals(Map.of(), only("{\"id\":\"p\",\"repository\":\"r\",\"script\":\"s\",\"owner_uuid\":\"u\","
                + "\"script_parameters\":null}").scriptParameters());
    }

    @Test
    void skipsBlankLinesAndCountsThem() {
        ProbeReader reader = new ProbeReader(new StringReader("\n" + TOP + "\n   \n\r\n" + TOP.replace("p1", "p2") + "\n\n"));

        assertEquals("p1", reader.next().id());
        assertEquals(2, reader.lineNumber());
        assertEquals("p2", reader.next().id());
        assertEquals(5, reader.lineNumber());
        assertFalse(reader.hasNext());
    }

    @Test
    void readsInBatches() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            text.append(TOP.replace("p1", "p" + i)).append('\n');
        }
        ProbeReader reader = new ProbeReader(new StringReader(text.toString()));

        assertEquals(2, reader.nextBatch(2).size());
        assertEquals(2, reader.nextBatch(2).size());
        assertEquals("p4", reader.nextBatch(2).get(0).id());
        assertEquals(List.of(), reader.nextBatch(2));
    }

    @Test
    void readsOneLineAtATimeNeverTheWholeInput() {
        // An endless input: reading it whole would never return.
        Reader endless = new Reader() {
            private final String line = TOP + "\n";
            private long position;

            @Override
            public int read(char[] buffer, int offset, int length) {
                for (int i = 0; i < length; i++) {
                    buffer[offset + i] = line.charAt((int) (position++ % line.length()));
                }
                return length;
            }

            @Override
            public void close() {
            }
        };
        int n = 0;
        for (Probe probe : ProbeReader.read(endless)) {
            assertEquals("p1", probe.id());
            if (++n == 3) {
                break;
            }
        }
        assertEquals(3, n);
    }

    @Test
    void aMalformedLineIsNamedWithWhatIsWrong() {
        assertMalformed("probes line 1: script_parameters must be an object, not an array",
                "{\"id\":\"p\",\"repository\":\"r\",\"script\":\"s\",\"owner_uuid\":\"u\",\"script_parameters\":[1]}");
        assertMalformed("probes line 1: script_parameters must be an object, not a string",
                "{\"id\":\"p\",\"repository\":\"r\",\"script\":\"s\",\"owner_uuid\":\"u\",\"script_parameters\":\"{}\"}");
        assertMalformed("probes line 1: unknown field \"script_params\" (a probe has id, repository, script, script_version,"
                + " script_parameters, docker_image_locator, arvados_sdk_version, owner_uuid, parent_job_uuid)",
                "{\"id\":\"p\",\"repository\":\"r\",\"script\":\"s\",\"owner_uuid\":\"u\",\"script_params\":{}}");
        assertMalformed("probes line 1: id appears twice", "{\"id\":\"p\",\"id\":\"q\"}");
        assertMalformed("probes line 1: id is required", "{\"repository\":\"r\",\"script\":\"s\",\"owner_uuid\":\"u\"}");
        assertMalformed("probes line 1: repository is required for a probe without parent_job_uuid",
                "{\"id\":\"p\",\"script\":\"s\",\"owner_uuid\":\"u\"}");
        assertMalformed("probes line 1: script is required for a probe without parent_job_uuid",
                "{\"id\":\"p\",\"repository\":\"r\",\"owner_uuid\":\"u\",\"parent_job_uuid\":null}");
        assertMalformed("probes line 1: owner_uuid is required (the submitting user)",
                "{\"id\":\"t\",\"parent_job_uuid\":\"zzzzz-8i9sb-parentjob000001\"}");
        assertMalformed("probes line 1: script_version must be a string or null, not a number",
                "{\"id\":\"p\",\"repository\":\"r\",\"script\":\"s\",\"owner_uuid\":\"u\",\"script_version\":1}");
        assertMalformed("probes line 1: docker_image_locator must not be empty (use null for none)",
                "{\"id\":\"p\",\"repository\":\"r\",\"script\":\"s\",\"owner_uuid\":\"u\",\"docker_image_locator\":\"\"}");
        assertMalformed("probes line 1: expected a JSON object, not an array", "[1]");
        assertMalformed("probes line 1: text continues after the probe's closing brace", TOP + " {}");
        assertTrue(malformed("{\"id\":\"p\"").getMessage().startsWith("probes line 1: invalid JSON: "));
        assertTrue(malformed("{\"id\":\"p\",\"repository\":\"r\",\"script\":\"s\",\"owner_uuid\":\"u\",\"script_parameters\":"
                + "{\"x\":\"\\ud800\"}}").getMessage().startsWith("probes line 1: script_parameters: string holds an unpaired surrogate"));
    }

    @Test
    void theErrorNamesTheLineAsAnEditorCountsIt() {
        ProbeReader reader = new ProbeReader(new StringReader(TOP + "\n\n" + TOP + "\n{\"id\":\"p\",\"repository\":\"r\","
                + "\"script\":\"s\",\"owner_uuid\":\"u\",\"script_parameters\":7}\n" + TOP + "\n"));
        reader.next();
        reader.next();

        ProbeFormatException e = assertThrows(ProbeFormatException.class, reader::hasNext);

        assertEquals("probes line 4: script_parameters must be an object, not a number", e.getMessage());
        assertEquals(4, e.lineNumber());
        assertEquals("script_parameters must be an object, not a number", e.problem());
    }

    private static Probe only(String line) {
        ProbeReader reader = new ProbeReader(new StringReader(line + "\n"));
        Probe probe = reader.next();
        assertFalse(reader.hasNext());
        return probe;
    }

    private static void assertMalformed(String message, String line) {
        assertEquals(message, malformed(line).getMessage());
    }

    private static ProbeFormatException malformed(String line) {
        return assertThrows(ProbeFormatException.class, () -> ProbeReader.parse(line, 1));
    }
}
