package org.arvados.tasksasjobs.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ListParametersTest {

    private static String rejected(Executable call) {
        String message = assertThrows(InvalidTaskRequestException.class, call).getMessage();
        assertFalse(message.contains("\n"), message);
        return message;
    }

    @Test
    void absentParametersTakeTheServersDefaults() throws Exception {
        assertEquals(new ListParameters(100, 0, true), ListParameters.parse(null, null, null));
        assertEquals(ListParameters.DEFAULTS, ListParameters.parse("", " ", null));
    }

    @Test
    void readsLimitOffsetAndCount() throws Exception {
        assertEquals(new ListParameters(10, 20, false), ListParameters.parse("10", "20", "none"));
        assertEquals(new ListParameters(0, 0, true), ListParameters.parse("0", "0", "exact"));
        assertEquals(new ListParameters(5, 7, false), ListParameters.parse("\"5\"", "\"7\"", "\"none\""));
    }

    @Test
    void aLimitAboveTheMaximumIsCutToItAsTheServerDid() throws Exception {
        assertEquals(1000, ListParameters.parse("1001", null, null).limit());
        assertEquals(1000, ListParameters.parse("99999999999999999999999", null, null).limit());
    }

    @Test
    void aMillionDigitsAreReadWithoutParsingThemAndNeverEchoed() throws Exception {
        String huge = "9".repeat(1_000_000);
        long start = System.nanoTime();
        assertEquals(1000, ListParameters.parse(huge, null, null).limit());
        String message = rejected(() -> ListParameters.parse(null, huge, null));
        assertTrue(message.startsWith("offset") && message.length() < 100, message);
        assertTrue(rejected(() -> ListParameters.parse(huge + "x", null, null)).length() < 100);
        // Linear in the text: well under a second, where BigInteger took minutes for such numbers.
        assertTrue(System.nanoTime() - start < 5_000_000_000L);
        assertEquals(7, ListParameters.parse(null, "0000000000000000000000007", null).offset());
    }

    @Test
    void negativeOrNonIntegerValuesAreRefusedByName() {
        assertTrue(rejected(() -> ListParameters.parse("-1", null, null)).startsWith("limit must be a non-negative integer"));
        assertTrue(rejected(() -> ListParameters.parse("1.5", null, null)).contains("limit"));
        assertTrue(rejected(() -> ListParameters.parse("ten", null, null)).contains("\"ten\""));
        assertTrue(rejected(() -> ListParameters.parse(null, "-3", null)).startsWith("offset must be a non-negative integer"));
        assertTrue(rejected(() -> ListParameters.parse(null, "99999999999999999999999", null)).startsWith("offset"));
        assertTrue(rejected(() -> ListParameters.parse(null, null, "estimated")).startsWith("count must be \"exact\" or \"none\""));
        assertTrue(rejected(() -> ListParameters.parse("1\n2", null, null)).startsWith("limit"));
    }
}
