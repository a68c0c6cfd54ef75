package org.arvados.tasksasjobs.reuse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of a {@link SavingsReplay}: task counts and run time (microseconds, reported as hours rounded to
 * 0.01) in all, reusable (from other jobs, within the job), impure; by script and by month of creation (UTC).
 * {@link #toJson()} is the shape docs/architecture.md "What reuse would have saved" defines.
 */
public record SavingsReport(Figure all, Figure reusable, Figure fromOtherJobs, Figure withinJob, Figure impure,
        List<Row> byScript, List<Row> byMonth) {

    /** How many tasks, and their run time in microseconds. */
    public record Figure(long tasks, long micros) {
        Figure plus(long runMicros) {
            return new Figure(tasks + 1, micros + runMicros);
        }

        public double hours() {
            return SavingsReport.hours(micros);
        }
    }

    /** One script's or one month's line: every task, and the reusable ones. */
    public record Row(String name, Figure all, Figure reusable) {
    }

    /** What the replay judged a task to be. */
    public enum Kind {
        NOT_REUSABLE, FROM_OTHER_JOBS, WITHIN_JOB, IMPURE
    }

    public SavingsReport {
        byScript = List.copyOf(byScript);
        byMonth = List.copyOf(byMonth);
    }

    static double hours(long micros) {
        return BigDecimal.valueOf(micros).divide(BigDecimal.valueOf(3_600_000_000L), 2, RoundingMode.HALF_EVEN)
                .doubleValue();
    }

    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        figure(root, all);
        ObjectNode r = figure(root.putObject("reusable"), reusable);
        figure(r.putObject("from_other_jobs"), fromOtherJobs);
        figure(r.putObject("within_job"), withinJob);
        figure(root.putObject("impure"), impure);
        rows(root.putArray("by_script"), "script", byScript);
        rows(root.putArray("by_month"), "month", byMonth);
        return root;
    }

    private static ObjectNode figure(ObjectNode node, Figure figure) {
        node.put("tasks", figure.tasks());
        node.put("task_hours", figure.hours());
        return node;
    }

    private static void rows(ArrayNode array, String key, List<Row> rows) {
        for (Row row : rows) {
            ObjectNode node = array.addObject();
            node.put(key, row.name());
            node.put("tasks", row.all().tasks());
            node.put("task_hours", row.all().hours());
            node.put("reusable_tasks", row.reusable().tasks());
            node.put("reusable_task_hours", row.reusable().hours());
        }
    }

    /** Sums as the replay judges tasks; scripts and months are few, tasks are not kept. */
    static final class Builder {
        private static final Figure ZERO = new Figure(0, 0);
        private Figure all = ZERO;
        private Figure reusable = ZERO;
        private Figure fromOtherJobs = ZERO;
        private Figure withinJob = ZERO;
        private Figure impure = ZERO;
        private final Map<String, Figure[]> scripts = new HashMap<>();
        private final Map<YearMonth, Figure[]> months = new TreeMap<>();

        void add(String script, YearMonth month, long micros, Kind kind) {
            all = all.plus(micros);
            boolean saved = kind == Kind.FROM_OTHER_JOBS || kind == Kind.WITHIN_JOB;
            switch (kind) {
                case FROM_OTHER_JOBS -> fromOtherJobs = fromOtherJobs.plus(micros);
                case WITHIN_JOB -> withinJob = withinJob.plus(micros);
                case IMPURE -> impure = impure.plus(micros);
                default -> { }
            }
            if (saved) {
                reusable = reusable.plus(micros);
            }
            line(scripts.computeIfAbsent(script, s -> new Figure[] {ZERO, ZERO}), micros, saved);
            line(months.computeIfAbsent(month, m -> new Figure[] {ZERO, ZERO}), micros, saved);
        }

        private static void line(Figure[] line, long micros, boolean saved) {
            line[0] = line[0].plus(micros);
            if (saved) {
                line[1] = line[1].plus(micros);
            }
        }

        SavingsReport build() {
            List<Row> byScript = new ArrayList<>();
            scripts.forEach((script, line) -> byScript.add(new Row(script, line[0], line[1])));
            // Most saved first; ties by name, so the order never depends on a hash map.
            byScript.sort(Comparator.comparingLong((Row row) -> row.reusable().micros()).reversed()
                    .thenComparing(Row::name));
            List<Row> byMonth = new ArrayList<>();
            months.forEach((month, line) -> byMonth.add(new Row(month.toString(), line[0], line[1])));
            return new SavingsReport(all, reusable, fromOtherJobs, withinJob, impure, byScript, byMonth);
        }
    }
}
