package org.arvados.tasksasjobs.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL kept as SQL: statements live in {@code .sql} resource files beside the class that runs them, and the few parts
 * that vary with the database (which table holds the original tasks, which hash function a server has) are named
 * {@code ${name}} slots filled by name from values the code chooses, never from a request. Every slot must be filled;
 * values bound per execution stay {@code ?} parameters. Slots are filled in comments too: name them there without
 * the dollar sign.
 */
public final class SqlText {

    private static final Pattern SLOT = Pattern.compile("\\$\\{([a-z_]+)}");

    private SqlText() {
    }

    /** The text of resource {@code name} in the package of {@code owner}, e.g. {@code load(ReuseEngine.class, "candidates.sql")}. */
    public static String load(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no SQL resource " + name + " beside " + owner.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read SQL resource " + name, e);
        }
    }

    /**
     * {@code sql} with every {@code ${name}} slot replaced by {@code values.get(name)}. Values for slots the text does not
     * have are ignored, so one set of values can serve many statements.
     *
     * @throws IllegalArgumentException when the text has a slot that {@code values} does not fill
     */
    public static String fill(String sql, Map<String, String> values) {
        Objects.requireNonNull(values, "values");
        Matcher m = SLOT.matcher(sql);
        StringBuilder out = new StringBuilder(sql.length());
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("SQL slot ${" + m.group(1) + "} is not filled (given: " + values.keySet() + ")");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }
}
