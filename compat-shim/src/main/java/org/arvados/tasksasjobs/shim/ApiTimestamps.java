package org.arvados.tasksasjobs.shim;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Timestamps as the Arvados API server writes and reads them.
 *
 * <p>Written: UTC, always nine fraction digits, a literal {@code Z}, e.g.
 * {@code 2016-03-01T12:00:00.123456000Z}. The API server set ActiveSupport's JSON time precision
 * to 9, so every time it returned had this shape; the columns are {@code timestamp without time
 * zone} holding UTC (Rails' default), which is why a {@code LocalDateTime} is read as UTC.
 *
 * <p>Read: ISO 8601 with a zone ({@code Z} or {@code +hh:mm}), any number of fraction digits;
 * converted to UTC. A time without a zone is taken as UTC, as Rails took it. Precision beyond
 * microseconds is kept here; the database rounds it.
 *
 * <p>Public so that the gateway writes the times of {@code arvados#job} objects exactly as tasks show theirs.
 */
public final class ApiTimestamps {

    private static final DateTimeFormatter WRITE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'");

    private static final DateTimeFormatter READ = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2).appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .toFormatter();

    private ApiTimestamps() {}

    public static String write(LocalDateTime utc) {
        return WRITE.format(utc);
    }

    /** The UTC time {@code text} names, or null when it is not an API timestamp. */
    public static LocalDateTime read(String text) {
        try {
            var parsed = READ.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
            if (parsed instanceof OffsetDateTime withZone) {
                return withZone.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
            }
            return (LocalDateTime) parsed;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
