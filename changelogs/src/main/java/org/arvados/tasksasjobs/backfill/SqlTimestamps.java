package org.arvados.tasksasjobs.backfill;

import java.time.LocalDateTime;

/** PostgreSQL text for a 'timestamp without time zone' value, exact to the microsecond. */
final class SqlTimestamps {

    private SqlTimestamps() {
    }

    static String format(LocalDateTime value) {
        if (value == null) {
            return null;
        }
        // pgjdbc reads 'infinity' and '-infinity' as these two sentinels; write them back as PostgreSQL spells them.
        if (value.equals(LocalDateTime.MAX)) {
            return "infinity";
        }
        if (value.equals(LocalDateTime.MIN)) {
            return "-infinity";
        }
        return value.toString();
    }
}
