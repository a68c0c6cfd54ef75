package org.arvados.tasksasjobs.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.arvados.tasksasjobs.seed.Draws.Space;
import org.junit.jupiter.api.Test;

class DrawsTest {

    @Test
    void tailsAreDistinctWellFormedAndLookRandom() {
        Draws draws = new Draws(1);
        Set<String> tails = new HashSet<>();
        Set<Character> leading = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            String tail = draws.tail(Space.TASK, i);
            assertTrue(tail.matches("[0-9a-z]{15}"), tail);
            assertTrue(tails.add(tail), "duplicate " + tail);
            leading.add(tail.charAt(0));
        }
        assertEquals(36, leading.size(), "every first character occurs");
        for (int i = 0; i < 1_000; i++) {
            assertTrue(!tails.contains(draws.tail(Space.JOB, i)), "job and task tails never meet");
        }
    }

    @Test
    void sameSeedSameDrawsOtherSeedOtherDraws() {
        assertEquals(new Draws(5).tail(Space.JOB, 7), new Draws(5).tail(Space.JOB, 7));
        assertNotEquals(new Draws(5).tail(Space.JOB, 7), new Draws(6).tail(Space.JOB, 7));
        assertEquals(new Draws(5).stream(Draws.Purpose.TASKS, 3).nextLong(), new Draws(5).stream(Draws.Purpose.TASKS, 3).nextLong());
        assertNotEquals(new Draws(5).stream(Draws.Purpose.TASKS, 3).nextLong(), new Draws(5).stream(Draws.Purpose.SHAPE, 3).nextLong());
    }
}
