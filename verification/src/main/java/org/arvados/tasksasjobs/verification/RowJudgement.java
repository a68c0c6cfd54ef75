package org.arvados.tasksasjobs.verification;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges every task-like job {@code j} of a FROM clause with one rule expression (the number of the first rule a row
 * breaks, or NULL) in one pass, and returns how many rows it saw, how many broke a rule, and the ids of the first
 * few of those in task uuid order, to be described.
 *
 * <p>The rule expression is evaluated once per row; only the ids of broken rows are collected, and only they are
 * sorted.
 */
final class RowJudgement {

    /** What one pass found. */
    record Verdict(long examined, long broken, List<Long> first) { }

    private RowJudgement() {
    }

    static Verdict judge(Connection c, String broken, String from) throws SQLException {
        long[] counts = new long[2];
        List<Long> first = new ArrayList<>();
        Sql.forEach(c, sql(broken, from), Sql.NO_PARAMETERS, rs -> {
            counts[0] = rs.getLong("examined");
            counts[1] = rs.getLong("broken");
            Array ids = rs.getArray("first");
            for (Object id : (Object[]) ids.getArray()) {
                first.add(((Number) id).longValue());
            }
        });
        return new Verdict(counts[0], counts[1], List.copyOf(first));
    }

    static String sql(String broken, String from) {
        // OFFSET 0 keeps the inner query whole, so the rule expression is computed once per row, as a column of the
        // scan and join below: there PostgreSQL can spread it over parallel workers, which it never does for an
        // expression inside an aggregate.
        return """
                WITH judged AS (
                    SELECT count(*) AS examined, array_agg(id) FILTER (WHERE broken IS NOT NULL) AS ids
                    FROM (SELECT j.id, %s AS broken
                          %s
                          OFFSET 0) x
                )
                SELECT examined, coalesce(cardinality(ids), 0) AS broken,
                       ARRAY(SELECT f.id FROM jobs f WHERE f.id = ANY(judged.ids) ORDER BY f.legacy_task_uuid, f.id LIMIT %d) AS first
                FROM judged
                """.formatted(broken, from, Differences.FIRST);
    }
}
