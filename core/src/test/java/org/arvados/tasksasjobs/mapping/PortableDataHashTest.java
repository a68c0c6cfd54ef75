package org.arvados.tasksasjobs.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PortableDataHashTest {

    @Test
    void hashOfArvadosFooCollectionManifest() {
        assertEquals("1f4b0bc7583c2a7f9102c395f4ffc5e3+45",
                PortableDataHash.of(". acbd18db4cc2f85cedef654fccc4a4d8+3 0:3:foo\n"));
        assertEquals("fa7aeb5140e2848d39b416daeef4ffc5+45",
                PortableDataHash.of(". 37b51d194a7513e45b56f6524f2d51f2+3 0:3:bar\n"));
    }

    @Test
    void hashOfEmptyTextIsTheEmptyCollection() {
        assertEquals("d41d8cd98f00b204e9800998ecf8427e+0", PortableDataHash.of(""));
    }

    @Test
    void lengthCountsUtf8Bytes() {
        assertTrue(PortableDataHash.of("é").endsWith("+2"));
        assertTrue(PortableDataHash.of("\uD83D\uDE00").endsWith("+4"));
    }

    @Test
    void bareLocatorsAreBlockLocators() {
        assertTrue(PortableDataHash.isBlockLocator("acbd18db4cc2f85cedef654fccc4a4d8"));
        assertTrue(PortableDataHash.isBlockLocator("acbd18db4cc2f85cedef654fccc4a4d8+3"));
        assertTrue(PortableDataHash.isBlockLocator("acbd18db4cc2f85cedef654fccc4a4d8+3+K@zzzzz+Af00@12345678"));
        assertTrue(PortableDataHash.isBlockLocator("acbd18db4cc2f85cedef654fccc4a4d8+3\n"), "Perl's $ allows one final newline");
    }

    @Test
    void manifestsAndNearMissesAreNotBlockLocators() {
        assertFalse(PortableDataHash.isBlockLocator(". acbd18db4cc2f85cedef654fccc4a4d8+3 0:3:foo\n"));
        assertFalse(PortableDataHash.isBlockLocator("acbd18db4cc2f85cedef654fccc4a4d8+3\n\n"));
        assertFalse(PortableDataHash.isBlockLocator("acbd18db4cc2f85cedef654fccc4a4d8+3 extra"));
        assertFalse(PortableDataHash.isBlockLocator("ACBD18DB4CC2F85CEDEF654FCCC4A4D8+3"));
        assertFalse(PortableDataHash.isBlockLocator("acbd18db4cc2f85cedef654fccc4a4d"));
        assertFalse(PortableDataHash.isBlockLocator("acbd18db4cc2f85cedef654fccc4a4d8+"));
        assertFalse(PortableDataHash.isBlockLocator("acbd18db4cc2f85cedef654fccc4a4d8x"));
        assertFalse(PortableDataHash.isBlockLocator(""));
        assertFalse(PortableDataHash.isBlockLocator(null));
    }

    @Test
    void longNearMissIsRejectedQuickly() {
        String nearMiss = "acbd18db4cc2f85cedef654fccc4a4d8" + "+a".repeat(5000) + " ";
        assertFalse(PortableDataHash.isBlockLocator(nearMiss));
    }
}
