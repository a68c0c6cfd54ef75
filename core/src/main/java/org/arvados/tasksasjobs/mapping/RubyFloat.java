package org.arvados.tasksasjobs.mapping;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Ruby's {@code Float#to_s}, which JSON.generate uses for floats. Java's Double.toString differs
 * in notation and, before JDK 19, does not always give the shortest digits, so the digits are
 * found here: the fewest significant digits that read back as the same double, and of those the
 * closest to its exact value (what David Gay's dtoa mode 0, used by Ruby, returns).
 */
final class RubyFloat {

    private static final int DBL_DIG = 15;

    private RubyFloat() {}

    static String toS(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0.0) {
            return Double.doubleToRawLongBits(value) < 0 ? "-0.0" : "0.0";
        }
        StringBuilder out = new StringBuilder(26);
        if (value < 0) {
            out.append('-');
        }
        BigDecimal shortest = shortest(Math.abs(value)).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int count = digits.length();
        // value = 0.<digits> x 10^decpt, the convention of Ruby's flo_to_s
        int decpt = count - shortest.scale();
        if (decpt > 0 && decpt <= DBL_DIG + 1) {
            if (decpt >= count) {
                out.append(digits).append("0".repeat(decpt - count)).append(".0");
            } else {
                out.append(digits, 0, decpt).append('.').append(digits, decpt, count);
            }
        } else if (decpt <= 0 && decpt > -4) {
            out.append("0.").append("0".repeat(-decpt)).append(digits);
        } else {
            int exponent = decpt - 1;
            out.append(digits.charAt(0)).append('.').append(count > 1 ? digits.substring(1) : "0");
            out.append('e').append(exponent < 0 ? '-' : '+');
            int magnitude = Math.abs(exponent);
            if (magnitude < 10) {
                out.append('0');
            }
            out.append(magnitude);
        }
        return out.toString();
    }

    /** Shortest decimal that reads back as {@code value} (positive, finite). */
    static BigDecimal shortest(double value) {
        BigDecimal exact = new BigDecimal(value);
        for (int precision = 1; precision <= 17; precision++) {
            // If any decimal of this precision reads back as value, one of these two neighbours of
            // the exact value does (the values that read back form an interval around it).
            BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
            BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
            boolean downReadsBack = Double.parseDouble(down.toString()) == value;
            boolean upReadsBack = Double.parseDouble(up.toString()) == value;
            if (downReadsBack && upReadsBack) {
                // The closer one; exactly half-way (1234567890123456.75) goes to the even last digit,
                // as dtoa does.
                int closer = exact.subtract(down).compareTo(up.subtract(exact));
                if (closer != 0) {
                    return closer < 0 ? down : up;
                }
                return down.unscaledValue().testBit(0) ? up : down;
            }
            if (downReadsBack) {
                return down;
            }
            if (upReadsBack) {
                return up;
            }
        }
        throw new AssertionError("17 significant digits always identify a double: " + value);
    }
}
