package org.arvados.tasksasjobs.verification;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges every task-like job {@code j} of a FROM clause with one rule expression (the number of the first rule a row
 * breaks, or NULL) in one pass, and returns how many rows it saw, how many broke a rule, and the ids of the first
 * few of those in task uuid order, to be described. A row can also be a suspect: one whose verdict needs a lookup
 * too costly to make for every row (the rule expression lets it pass); suspects are returned, every one, to be
 * judged again with the lookup.
 *
 * <p>The rule expression is evaluated once per row; only the ids of broken rows and suspects are collected, and only
 * they are sorted.
 */
final class RowJudgement {

    /** What one pass found; {@code broken} and {@code first} count and name broken rows that are not suspects. */
    record Verdict(long examined, long broken, List<Long> first, List<Long> suspects) { }

    private RowJudgement() {
    }

    static Verdict judge(Connection c, String broken, String suspect, String from, Sql.Binder binder) throws SQLException {
        long[] counts = new long[2];
        List<Long> first = new ArrayList<>();
        List<Long> suspects = new ArrayList<>();
        Sql.forEach(c, sql(broken, suspect, from), binder, rs -> {
            counts[0] = rs.getLong("examined");
            counts[1] = rs.getLong("broken");
            addAll(rs.getArray("first"), first);
            addAll(rs.getArray("suspects"), suspects);
        });
        return new Verdict(counts[0], counts[1], List.copyOf(first), List.copyOf(suspects));
    }

    static Verdict judge(Connection c, String broken, String from) throws SQLException {
        return judge(c, broken, "false", from, Sql.NO_PARAMETERS);
    }

    static String sql(String broken, String suspect, String from) {
        // OFFSET 0 keeps the inner query whole, so the expressions are computed once per row, as columns of the scan
        // and join below: there PostgreSQL can spread them over parallel workers, which it never does for an
        // expression inside an aggregate.
        return """
                WITH judged AS (
                    SELECT count(*) AS examined,
                           array_agg(id) FILTER (WHERE broken IS NOT NULL AND NOT suspect) AS ids,
                           coalesce(array_agg(id) FILTER (WHERE suspect), '{}') AS suspects
                    FROM (SELECT j.id, %s AS broken, coalesce(%s, false) AS suspect
                          %s
                          OFFSET 0) x
                )
                SELECT examined, coalesce(cardinality(ids), 0) AS broken, suspects,
                       ARRAY(SELECT f.id FROM jobs f WHERE f.id = ANY(judged.ids) ORDER BY f.legacy_task_uuid, f.id LIMIT %d) AS first
                FROM judged
                """.formatted(broken, suspect, from, Differences.FIRST);
    }

    private static void addAll(Array ids, List<Long> into) throws SQLException {
        for (Object id : (Object[]) ids.getArray()) {
            into.add(((Number) id).longValue());
        }
    }
}
