package org.arvados.tasksasjobs.seed;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The kinds a {@link SeedSummary} counts; the order here is the order of its map. Documented there. */
enum Kind {
    // dirt (dirty seeds only)
    ORPHAN, NULL_JOB_UUID, UNPARSEABLE_PARAMETERS, NULL_UUID, MALFORMED_UUID, UNPARSEABLE_SCRIPT_PARAMETERS,
    UNPARSEABLE_PARENT_PARAMETERS, UUID_COLLISION, MISSING_CREATOR,
    // features (every seed)
    YAML_ROWS, DOUBLE_ENCODED, RUBY_SYMBOLS, NON_ASCII, NULL_PARAMETERS, LOCATOR_OUTPUTS, LONG_OUTPUTS, RETRIED_JOBS,
    REPEATED_SUBMISSIONS, LEGACY_STATE_JOBS;

    /** Whether this kind is planted dirt (a dirty seed's) rather than a feature of every seed. */
    boolean dirt() {
        return compareTo(MISSING_CREATOR) <= 0;
    }

    String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Counting while rows are written; one per seed run, never shared. */
    static final class Tally {
        private final EnumMap<Kind, Long> counts = new EnumMap<>(Kind.class);

        void add(Kind kind) {
            add(kind, 1);
        }

        void add(Kind kind, long n) {
            counts.merge(kind, n, Long::sum);
        }

        Map<String, Long> toMap() {
            Map<String, Long> map = new LinkedHashMap<>();
            for (Kind k : values()) {
                map.put(k.key(), counts.getOrDefault(k, 0L));
            }
            return map;
        }
    }
}
