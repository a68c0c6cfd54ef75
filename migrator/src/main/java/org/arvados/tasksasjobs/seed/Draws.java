package org.arvados.tasksasjobs.seed;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Every random choice of a seed, derived from its seed alone. Each job (and each planted row) draws from a stream of
 * its own, so either pass over the jobs can recompute a job without the other pass, without keeping any rows in
 * memory, and the rows come out the same every time.
 */
final class Draws {

    /** What a stream is for; its ordinal keeps the streams of one index apart. */
    enum Purpose { CATALOG, SUBMISSION, REPEAT, STATE, TIMES, SHAPE, OUTPUT, FORMAT, TASKS, PLANT }

    /** The uuid spaces; tails of different spaces never coincide (see {@link #tail}). */
    enum Space { JOB, TASK, USER, CLIENT, GHOST_JOB, GHOST_TASK, DISPATCHER }

    private static final char[] BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final long seedMix;

    Draws(long seed) {
        this.seedMix = mix64(seed ^ 0x2545F4914F6CDD1DL);
    }

    SplittableRandom stream(Purpose purpose, long index) {
        return new SplittableRandom(mix64(mix64(seedMix ^ ((long) purpose.ordinal() << 48)) + index));
    }

    /**
     * A 15-character base-36 uuid tail that looks random. Characters 1 to 13 encode a bijection of (space, index)
     * (the space in the top byte, indexes below 2^56), so two tails of one seed are equal only for the same space and
     * index: no unique index can trip over a seed's uuids, and a job and a task never share a tail by chance.
     */
    String tail(Space space, long index) {
        long x = seedMix ^ ((long) (space.ordinal() + 1) << 56) ^ index;
        String digits = Long.toUnsignedString(mix64(x), 36);
        char[] out = new char[15];
        int pad = 13 - digits.length();
        for (int i = 0; i < pad; i++) {
            out[i] = '0';
        }
        digits.getChars(0, digits.length(), out, pad);
        long extra = mix64(x + 1);
        // The leading digit of 13 base-36 digits of 64 bits is 0-3; spread it over all 36 (still recoverable as c / 9).
        out[0] = BASE36[(out[0] - '0') * 9 + (int) Long.remainderUnsigned(extra, 9)];
        long more = Long.remainderUnsigned(Long.divideUnsigned(extra, 9), 36 * 36);
        out[13] = BASE36[(int) (more / 36)];
        out[14] = BASE36[(int) (more % 36)];
        return new String(out);
    }

    static String hex(SplittableRandom r, int digits) {
        char[] out = new char[digits];
        long bits = 0;
        for (int i = 0; i < digits; i++) {
            if (i % 16 == 0) {
                bits = r.nextLong();
            }
            out[i] = HEX[(int) (bits & 0xF)];
            bits >>>= 4;
        }
        return new String(out);
    }

    static <T> T pick(SplittableRandom r, List<T> options) {
        return options.get(r.nextInt(options.size()));
    }

    static boolean chance(SplittableRandom r, double p) {
        return r.nextDouble() < p;
    }

    /** Stafford's mix13 (the SplitMix64 finalizer): a bijection on 64 bits. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
