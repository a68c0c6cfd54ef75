package org.arvados.tasksasjobs.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A duration as a DBA writes it in postgresql.conf: {@code 500ms}, {@code 5s}, {@code 2min}, {@code 1h}; a bare number
 * is milliseconds, as PostgreSQL reads lock_timeout. The picocli converter of {@code --lock-timeout} and {@code --pause}.
 */
final class DurationText implements ITypeConverter<Duration> {

    private static final Pattern FORM = Pattern.compile("([0-9]{1,9})\\s*(ms|s|min|m|h)?");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    static Duration parse(String value) {
        Matcher m = FORM.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a duration: write 500ms, 5s, 2min or 1h"
                    + " (a bare number is milliseconds)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "min", "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
