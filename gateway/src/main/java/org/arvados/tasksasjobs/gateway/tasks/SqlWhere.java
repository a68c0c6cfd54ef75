package org.arvados.tasksasjobs.gateway.tasks;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.shim.JobFilter;
import org.arvados.tasksasjobs.shim.JobOrder;

/**
 * A WHERE clause and ORDER BY over {@code jobs j}, built from {@link JobFilter}s, {@link JobOrder}s and fixed
 * conditions of the gateway's own, with every value bound as a parameter. Column names come only from
 * {@link JobColumns}: a filter on any other name is a bug upstream (the translations check names first), so it
 * fails loudly here rather than reaching SQL. Immutable: each {@code and} returns a new clause.
 */
final class SqlWhere {

    /** Kind -> uuid type infix (docs/arvados.md §2), for the {@code is_a} operator. */
    private static final Map<String, String> INFIXES = Map.of(
            "arvados#job", "8i9sb",
            "arvados#jobTask", "ot0gb",
            "arvados#collection", "4zz18",
            "arvados#user", "tpzed",
            "arvados#group", "j7d0g",
            "arvados#pipelineInstance", "d1hrv",
            "arvados#containerRequest", "xvhdp",
            "arvados#container", "dz642");

    static final SqlWhere NONE = new SqlWhere(List.of(), List.of());

    private final List<String> conditions;
    private final List<Object> binds;

    private SqlWhere(List<String> conditions, List<Object> binds) {
        this.conditions = Collections.unmodifiableList(conditions);
        this.binds = Collections.unmodifiableList(binds);
    }

    /** This clause and {@code sql}, a condition of the gateway's own with {@code ?} for each of {@code values}. */
    SqlWhere and(String sql, Object... values) {
        List<String> c = new ArrayList<>(conditions);
        c.add(sql);
        List<Object> b = new ArrayList<>(binds);
        Collections.addAll(b, values);
        return new SqlWhere(c, b);
    }

    SqlWhere and(List<JobFilter> filters) {
        SqlWhere where = this;
        for (JobFilter filter : filters) {
            where = where.and(filter);
        }
        return where;
    }

    SqlWhere and(JobFilter filter) {
        String column = "j." + checked(filter.column());
        Object value = filter.value();
        return switch (filter.op()) {
            case "=" -> value == null ? and(column + " IS NULL") : and(column + " = ?", value);
            // Arvados wrote != and not in with "OR col IS NULL", so a NULL is "not equal" to a value, as users expect.
            case "!=" -> value == null ? and(column + " IS NOT NULL") : and("(" + column + " <> ? OR " + column + " IS NULL)", value);
            case "<", "<=", ">", ">=" -> and(column + " " + filter.op() + " ?", value);
            case "like" -> and(column + " LIKE ?", value);
            case "ilike" -> and(column + " ILIKE ?", value);
            // An in-list is one array parameter, so its length is not limited by the protocol's 65,535 parameters.
            case "in" -> {
                List<?> values = (List<?>) value;
                yield values.isEmpty() ? and("FALSE") : and(column + " = ANY(?)", InList.of(values));
            }
            case "not in" -> {
                List<?> values = (List<?>) value;
                yield values.isEmpty() ? this : and("(" + column + " <> ALL(?) OR " + column + " IS NULL)", InList.of(values));
            }
            case "is_a" -> isA(column, (List<?>) value);
            default -> throw new IllegalArgumentException("unknown filter operator " + filter.op());
        };
    }

    private SqlWhere isA(String column, List<?> kinds) {
        List<String> tests = new ArrayList<>();
        List<Object> patterns = new ArrayList<>();
        for (Object kind : kinds) {
            String infix = INFIXES.get(String.valueOf(kind));
            if (infix != null) {
                tests.add(column + " LIKE ?");
                patterns.add("_____-" + infix + "-%");
            }
        }
        // A kind the gateway does not know names no uuid it holds: it matches nothing.
        return tests.isEmpty() ? and("FALSE") : and("(" + String.join(" OR ", tests) + ")", patterns.toArray());
    }

    /** " WHERE ..." or "" when there is no condition. */
    String sql() {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /** " ORDER BY ..." over the given keys, then id so that pages never overlap or skip rows. */
    static String orderBy(List<JobOrder> order) {
        List<String> keys = new ArrayList<>();
        for (JobOrder key : order) {
            keys.add("j." + checked(key.column()) + (key.descending() ? " DESC" : " ASC"));
        }
        keys.add("j.id ASC");
        return " ORDER BY " + String.join(", ", keys);
    }

    /** Binds the values from parameter {@code first} on; returns the next free parameter index. */
    int bind(PreparedStatement st, int first) throws SQLException {
        int i = first;
        for (Object value : binds) {
            if (value instanceof LocalDateTime time) {
                st.setObject(i++, time);
            } else if (value instanceof Long number) {
                st.setLong(i++, number);
            } else if (value instanceof Double number) {
                st.setDouble(i++, number);
            } else if (value instanceof Boolean flag) {
                st.setBoolean(i++, flag);
            } else if (value instanceof String text) {
                st.setString(i++, text);
            } else if (value instanceof InList list) {
                st.setArray(i++, st.getConnection().createArrayOf(list.elementType(), list.values()));
            } else {
                throw new IllegalArgumentException("cannot bind a " + (value == null ? "null" : value.getClass().getName()));
            }
        }
        return i;
    }

    private static String checked(String column) {
        if (JobColumns.indexOf(column) < 0) {
            throw new IllegalArgumentException("not a whitelisted jobs column: " + column);
        }
        return column;
    }

    /** The values of an in-list as one SQL array, typed by its elements (a filter's values share one type). */
    private record InList(String elementType, Object[] values) {

        static InList of(List<?> values) {
            Object first = values.get(0);
            String type;
            if (first instanceof String) {
                type = "text";
            } else if (first instanceof Long) {
                type = "int8";
            } else if (first instanceof Double) {
                type = "float8";
            } else if (first instanceof Boolean) {
                type = "bool";
            } else if (first instanceof LocalDateTime) {
                // As ISO text, which the server reads as timestamps: no time zone is applied on the way.
                return new InList("timestamp", values.stream().map(Object::toString).toArray());
            } else {
                throw new IllegalArgumentException("cannot bind a list of " + first.getClass().getName());
            }
            return new InList(type, values.toArray());
        }
    }
}
