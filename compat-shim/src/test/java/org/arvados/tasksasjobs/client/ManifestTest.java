package org.arvados.tasksasjobs.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestTest {

    // Two blocks of a stream: "hello " (6 bytes) and "world!" (6 bytes).
    private static final String HELLO = "f814893777bcc2295fff05f00e508da6+6";
    private static final String WORLD = "08cf82251c975a5e9734699fadf5e9c0+6";
    private static final Map<String, byte[]> BLOCKS = Map.of(
            HELLO, "hello ".getBytes(StandardCharsets.US_ASCII),
            WORLD, "world!".getBytes(StandardCharsets.US_ASCII));
    // Hints after md5+size are ignored, as Keep ignores them.
    private static final BlockReader READER = locator -> BLOCKS.get(String.join("+",
            Arrays.copyOf(locator.split("\\+"), 2)));

    @Test
    void listsFilesOfSeveralStreamsWithEscapedNames() {
        Manifest manifest = Manifest.parse(
                ". " + HELLO + " 0:3:a.txt 3:3:b\\040c.txt\n"
                + "./dir\\040one/sub " + WORLD + "+K@zzzzz 0:6:r\\303\\251sum\\303\\251.txt\n");
        List<ManifestFile> files = manifest.files();
        assertEquals(3, files.size());
        assertEquals(new ManifestFile(".", "a.txt", 3, List.of(new BlockRange(HELLO, 0, 3))), files.get(0));
        assertEquals("b c.txt", files.get(1).name());
        assertEquals("./b c.txt", files.get(1).path());
        assertEquals("./dir one/sub", files.get(2).stream());
        assertEquals("résumé.txt", files.get(2).name());
        assertEquals("dir one/sub/résumé.txt", files.get(2).relativePath());
        assertEquals(WORLD + "+K@zzzzz", files.get(2).ranges().get(0).locator());
    }

    @Test
    void aFileMaySpanBlocks() throws IOException {
        Manifest manifest = Manifest.parse(". " + HELLO + " " + WORLD + " 0:2:he 4:5:o_wor 2:10:llo_world!\n");
        ManifestFile spanning = manifest.find("o_wor").orElseThrow();
        assertEquals(List.of(new BlockRange(HELLO, 4, 2), new BlockRange(WORLD, 0, 3)), spanning.ranges());
        assertEquals("o wor", new String(spanning.read(READER), StandardCharsets.US_ASCII));
        assertEquals("llo world!", new String(manifest.find("llo_world!").orElseThrow().read(READER),
                StandardCharsets.US_ASCII));
    }

    @Test
    void segmentsOfOneFileAreConcatenated() throws IOException {
        Manifest manifest = Manifest.parse(". " + HELLO + " 0:6:f\n. " + WORLD + " 0:6:f 0:0:empty\n");
        assertEquals(2, manifest.files().size());
        ManifestFile file = manifest.files().get(0);
        assertEquals(12, file.size());
        assertArrayEquals("hello world!".getBytes(StandardCharsets.US_ASCII), file.read(READER));
        assertEquals(0, manifest.find("empty").orElseThrow().size());
    }

    @Test
    void theEmptyTextIsTheEmptyCollection() {
        assertTrue(Manifest.parse("").files().isEmpty());
    }

    @Test
    void malformedLinesAreNamed() {
        assertMalformed("dir " + HELLO + " 0:1:f\n", "line 1");
        assertMalformed(". 0:1:f\n", "no block locator");
        assertMalformed(". " + HELLO + "\n", "no file token");
        assertMalformed(". " + HELLO + " 0:1:f\n. " + HELLO + " 5:2:g\n", "line 2");
        assertMalformed(". " + HELLO + " 0:1:f junk\n", "junk");
    }

    @Test
    void escapeAndUnescapeRoundTrip() {
        String name = "a b\\c:d\te.txt";
        String escaped = Manifest.escape(name);
        assertEquals("a\\040b\\134c\\072d\\011e.txt", escaped);
        assertEquals(name, Manifest.unescape(escaped));
        assertEquals("résumé", Manifest.unescape(Manifest.escape("résumé")));
    }

    private static void assertMalformed(String text, String expected) {
        ManifestFormatException failure = assertThrows(ManifestFormatException.class, () -> Manifest.parse(text));
        assertTrue(failure.getMessage().contains(expected), failure.getMessage());
    }
}
