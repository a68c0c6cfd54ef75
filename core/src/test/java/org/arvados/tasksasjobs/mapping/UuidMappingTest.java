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
