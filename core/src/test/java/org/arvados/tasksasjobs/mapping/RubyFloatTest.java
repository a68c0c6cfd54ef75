package org.arvados.tasksasjobs.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class RubyFloatTest {

    @Property(tries = 2000)
    void floatTextReadsBackAsTheSameDouble(@ForAll double value) {
        if (!Double.isFinite(value)) {
            return;
        }
        assertEquals(value, Double.parseDouble(RubyFloat.toS(value)));
    }

    @Property(tries = 2000)
    void floatTextIsNeverLongerInDigitsThanJavasOwn(@ForAll double value) {
        if (!Double.isFinite(value) || value == 0.0) {
            return;
        }
        int ours = RubyFloat.shortest(Math.abs(value)).stripTrailingZeros().precision();
        int javas = new BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros().precision();
        assertTrue(ours <= javas, () -> value + ": " + ours + " digits, Java " + javas);
    }

    @Property(tries = 500)
    void bitPatternsReadBack(@ForAll long bits) {
        double value = Double.longBitsToDouble(bits);
        if (Double.isFinite(value)) {
            assertEquals(value, Double.parseDouble(RubyFloat.toS(value)));
        }
    }

    @Property(tries = 2000)
    void fixedNotationFromTenToTheMinusFourBelowTenToTheSixteen(@ForAll double value) {
        double magnitude = Math.abs(value);
        // Away from the two edges, where the shortest digits can round across them.
        if (!Double.isFinite(value) || value == 0.0 || near(magnitude, 1e-4) || near(magnitude, 1e16)) {
            return;
        }
        String text = RubyFloat.toS(value);
        boolean fixed = magnitude >= 1e-4 && magnitude < 1e16;
        assertEquals(fixed, !text.contains("e"), text);
        assertTrue(text.matches(fixed ? "-?\\d+\\.\\d+" : "-?\\d\\.\\d+e[+-]\\d{2,3}"), text);
    }

    private static boolean near(double magnitude, double edge) {
        return magnitude > edge * 0.999 && magnitude < edge * 1.001;
    }
}
