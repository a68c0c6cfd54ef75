package org.arvados.tasksasjobs.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A size as a DBA writes it in postgresql.conf: {@code 512kB}, {@code 16MB}, {@code 1GB} (units of 1024, as
 * PostgreSQL reads them); a bare number is bytes. The picocli converter of {@code serve --max-body}.
 */
final class ByteSizeText implements ITypeConverter<Long> {

    private static final Pattern FORM = Pattern.compile("([0-9]{1,12})\\s*(b|kb|mb|gb)?");

    @Override
    public Long convert(String value) {
        Matcher m = FORM.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a size: write 512kB, 16MB or 1GB (a bare number"
                    + " is bytes)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        return switch (unit) {
            case "kb" -> n * 1024;
            case "mb" -> n * 1024 * 1024;
            case "gb" -> n * 1024 * 1024 * 1024;
            default -> n;
        };
    }
}
