package org.arvados.tasksasjobs.shim;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One condition on a column of {@code jobs}, as a value rather than SQL text, so that whoever
 * renders it (the gateway) binds {@code value} as a parameter and never splices it into the query.
 *
 * <p>{@code op} is one of the Arvados filter operators ({@code = != < <= > >= in, not in, like,
 * ilike, is_a}). {@code value} is null (only with {@code =} and {@code !=}: IS NULL, IS NOT NULL),
 * a String, Long, Double, Boolean or {@code LocalDateTime} (UTC), or for {@code in}, {@code not in}
 * and {@code is_a} an unmodifiable List of those ({@code is_a}: the kinds, e.g. "arvados#jobTask",
 * which the renderer turns into a uuid infix test).
 */
public record JobFilter(String column, String op, Object value) {

    public static final Set<String> OPERATORS = Set.of("=", "!=", "<", "<=", ">", ">=", "in", "not in", "like", "ilike", "is_a");

    public JobFilter {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(op, "op");
        if (!OPERATORS.contains(op)) {
            throw new IllegalArgumentException("unknown filter operator " + op);
        }
        if (value instanceof List<?> list) {
            value = List.copyOf(list);
        }
    }
}
