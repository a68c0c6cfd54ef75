package org.arvados.tasksasjobs.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UuidMappingTest {

    @Test
    void wellFormedUuidsHaveClusterInfixAndFifteenBase36() {
        assertTrue(UuidMapping.isWellFormed("zzzzz-ot0gb-runningjobtask1"));
        assertTrue(UuidMapping.isWellFormed("0a1b2-8i9sb-0123456789abcde"));
        assertFalse(UuidMapping.isWellFormed(null));
        assertFalse(UuidMapping.isWellFormed(""));
        assertFalse(UuidMapping.isWellFormed("zzzzz-ot0gb-runningjobtask"));
        assertFalse(UuidMapping.isWellFormed("zzzzz-ot0gb-runningjobtask12"));
        assertFalse(UuidMapping.isWellFormed("ZZZZZ-ot0gb-runningjobtask1"));
        assertFalse(UuidMapping.isWellFormed("zzzzz_ot0gb_runningjobtask1"));
        assertFalse(UuidMapping.isWellFormed("zzzzz-ot0gb-runningjobtask1\n"));
    }

    @Test
    void wellFormedAgreesWithTheGrammarAtEveryPosition() {
        // The check is written by hand for speed; the grammar it must agree with, as a regular expression.
        java.util.regex.Pattern grammar = java.util.regex.Pattern.compile("[0-9a-z]{5}-[0-9a-z]{5}-[0-9a-z]{15}");
        String good = "0a1b2-8i9sb-0123456789abcde";
        for (int i = 0; i < good.length(); i++) {
            for (char c : "09az/:`{-_ Z\u00e9".toCharArray()) {
                String probe = good.substring(0, i) + c + good.substring(i + 1);
                assertEquals(grammar.matcher(probe).matches(), UuidMapping.isWellFormed(probe), probe);
            }
        }
        SplittableRandom random = new SplittableRandom(7);
        String alphabet = "az09-Z_";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder probe = new StringBuilder(good);
            for (int k = random.nextInt(3); k >= 0; k--) {
                probe.setCharAt(random.nextInt(probe.length()), alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertEquals(grammar.matcher(probe).matches(), UuidMapping.isWellFormed(probe.toString()), probe.toString());
        }
    }

    @Test
    void taskLikeJobUuidSwapsTheInfixOnly() {
        assertEquals("zzzzz-8i9sb-runningjobtask1", UuidMapping.taskLikeJobUuid("zzzzz-ot0gb-runningjobtask1"));
        assertEquals("abcde-8i9sb-0123456789abcde", UuidMapping.taskLikeJobUuid("abcde-xxxxx-0123456789abcde"));
    }

    @Test
    void clusterIsTheFirstFiveCharacters() {
        assertEquals("zzzzz", UuidMapping.clusterOf("zzzzz-ot0gb-runningjobtask1"));
    }

    @Test
    void malformedUuidsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> UuidMapping.taskLikeJobUuid("nope"));
        assertThrows(IllegalArgumentException.class, () -> UuidMapping.clusterOf(null));
    }

    @Test
    void randomAllocatorMakesJobUuidsOfTheCluster() {
        RandomUuidAllocator allocator = new RandomUuidAllocator(new SplittableRandom(42));
        String first = allocator.newJobUuid("zzzzz");
        String second = allocator.newJobUuid("zzzzz");
        assertTrue(first.matches("zzzzz-8i9sb-[0-9a-z]{15}"), first);
        assertTrue(UuidMapping.isWellFormed(second));
        assertNotEquals(first, second);
        assertEquals(first, new RandomUuidAllocator(new SplittableRandom(42)).newJobUuid("zzzzz"), "seeded: reproducible");
    }

    @Test
    void randomAllocatorRefusesBadClusters() {
        RandomUuidAllocator allocator = new RandomUuidAllocator(new SplittableRandom(1));
        assertThrows(IllegalArgumentException.class, () -> allocator.newJobUuid("ZZZZZ"));
        assertThrows(IllegalArgumentException.class, () -> allocator.newJobUuid("zzzz"));
        assertThrows(IllegalArgumentException.class, () -> allocator.newJobUuid(null));
    }
}
