package org.arvados.tasksasjobs.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.arvados.tasksasjobs.mapping.PortableDataHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKeepTest {

    @TempDir
    Path store;

    @Test
    void aBlockIsStoredUnderItsMd5AndReadBack() throws IOException {
        LocalKeep keep = new LocalKeep(store);
        String locator = keep.put("foo".getBytes(StandardCharsets.US_ASCII));
        assertEquals("acbd18db4cc2f85cedef654fccc4a4d8+3", locator);
        assertTrue(Files.exists(store.resolve("acbd18db4cc2f85cedef654fccc4a4d8")));
        assertArrayEquals("foo".getBytes(StandardCharsets.US_ASCII), keep.get(locator));
        assertArrayEquals("foo".getBytes(StandardCharsets.US_ASCII), keep.get(locator + "+K@zzzzz"));
        assertEquals(locator, keep.put("foo".getBytes(StandardCharsets.US_ASCII)));
        try (var files = Files.list(store)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void theEmptyBlockNeedsNoFile() throws IOException {
        assertEquals(0, new LocalKeep(store).get(LocalKeep.EMPTY_BLOCK).length);
    }

    @Test
    void aMissingOrDamagedBlockIsAnError() throws IOException {
        LocalKeep keep = new LocalKeep(store);
        assertThrows(NoSuchFileException.class, () -> keep.get("acbd18db4cc2f85cedef654fccc4a4d8+3"));
        Files.writeString(store.resolve("acbd18db4cc2f85cedef654fccc4a4d8"), "bar");
        IOException damaged = assertThrows(IOException.class, () -> keep.get("acbd18db4cc2f85cedef654fccc4a4d8+3"));
        assertTrue(damaged.getMessage().contains("does not match"), damaged.getMessage());
    }

    @Test
    void aCollectionIsReadByItsPortableDataHash() throws IOException {
        LocalKeep keep = new LocalKeep(store);
        byte[] content = "one line\n".getBytes(StandardCharsets.UTF_8);
        String manifestText = keep.putFile("my file.txt", content);
        assertEquals(". c668bc14490a9d0acee3a0dbac1ec9b9+9 0:9:my\\040file.txt\n", manifestText);
        String pdh = keep.putManifest(manifestText);
        assertEquals(PortableDataHash.of(manifestText), pdh);
        String readBack = keep.readManifest(pdh);
        assertEquals(manifestText, readBack);
        ManifestFile file = Manifest.parse(readBack).find("my file.txt").orElseThrow();
        assertArrayEquals(content, file.read(keep));
    }

    @Test
    void anEmptyFileUsesTheEmptyBlock() throws IOException {
        LocalKeep keep = new LocalKeep(store);
        String manifestText = keep.putFile("empty", new byte[0]);
        assertEquals(". d41d8cd98f00b204e9800998ecf8427e+0 0:0:empty\n", manifestText);
        assertEquals(0, Manifest.parse(manifestText).files().get(0).read(keep).length);
    }

    @Test
    void theStoreComesFromKeepLocalStore() {
        assertEquals(store, LocalKeep.fromEnvironment(Map.of("KEEP_LOCAL_STORE", store.toString())).directory());
        ArvadosConfigException failure = assertThrows(ArvadosConfigException.class,
                () -> LocalKeep.fromEnvironment(Map.of()));
        assertTrue(failure.getMessage().contains("KEEP_LOCAL_STORE"), failure.getMessage());
    }
}
