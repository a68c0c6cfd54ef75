package org.arvados.tasksasjobs.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class JobStateTest {

    private static ParentJob legacy(String state, Boolean running, Boolean success, LocalDateTime cancelledAt) {
        return new ParentJob("zzzzz-8i9sb-000000000000000", state, running, success, cancelledAt,
                "hash", null, null, null, null, null, null, null, null, null);
    }

    @Test
    void textRoundTripsForEveryState() {
        for (JobState state : JobState.values()) {
            assertEquals(state, JobState.fromText(state.text()));
        }
        assertEquals("Cancelled", JobState.CANCELLED.text());
    }

    @Test
    void unknownTextIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> JobState.fromText("running"));
        assertThrows(IllegalArgumentException.class, () -> JobState.fromText("Paused"));
        assertThrows(IllegalArgumentException.class, () -> JobState.fromText(null));
    }

    @Test
    void onlyCancelledFailedCompleteHaveEnded() {
        assertFalse(JobState.QUEUED.ended());
        assertFalse(JobState.RUNNING.ended());
        assertTrue(JobState.CANCELLED.ended());
        assertTrue(JobState.FAILED.ended());
        assertTrue(JobState.COMPLETE.ended());
    }

    @Test
    void stateColumnWinsOverLegacyFlags() {
        assertEquals(JobState.RUNNING, legacy("Running", false, true, LocalDateTime.now()).effectiveState());
    }

    @Test
    void rowsWithoutStateDeriveItFromLegacyFlags() {
        LocalDateTime at = LocalDateTime.of(2014, 5, 6, 7, 8, 9);
        assertEquals(JobState.CANCELLED, legacy(null, true, true, at).effectiveState());
        assertEquals(JobState.COMPLETE, legacy(null, true, true, null).effectiveState());
        assertEquals(JobState.FAILED, legacy(null, true, false, null).effectiveState());
        assertEquals(JobState.RUNNING, legacy(null, true, null, null).effectiveState());
        assertEquals(JobState.QUEUED, legacy(null, false, null, null).effectiveState());
        assertEquals(JobState.QUEUED, legacy(null, null, null, null).effectiveState());
    }
}
