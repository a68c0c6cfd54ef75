package org.arvados.tasksasjobs.verification;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.arvados.tasksasjobs.mapping.JobColumn;
import org.arvados.tasksasjobs.sql.SqlText;

/**
 * job_tasks rebuilt from the task-like jobs equals the original job_tasks rows that are not quarantined, as multisets
 * over every column but the surrogate id: the migration lost, altered and invented no task.
 *
 * <p>One pass in SQL: each row of either side is hashed over its values (NULL and the empty string hash apart), and
 * rows are grouped by (task uuid, row hash) counting each side; a group whose counts differ is a missing or an extra
 * row. Only the first few differing uuids are then read in full, to name the columns.
 */
public final class RoundTripCheck {

    static final String NAME = "round-trip";
    static final String DESCRIPTION = "job_tasks rebuilt from the task-like jobs equals job_tasks without its quarantined"
            + " rows, row for row over every column but id (compared as multisets)";

    /** A job_tasks column and the expression that rebuilds it from a task-like job {@code j}. */
    private record Column(String name, String rebuilt) { }

    /**
     * Every job_tasks column the column table says a task-like job carries, and success, rebuilt from state. The
     * task's uuid comes first: {@link #describe(List, Differences)} groups rows by it.
     */
    private static final List<Column> COLUMNS = columns();

    private static List<Column> columns() {
        List<Column> columns = new ArrayList<>();
        columns.add(new Column(JobColumn.LEGACY_TASK_UUID.taskColumn(), "j." + JobColumn.LEGACY_TASK_UUID.column()));
        for (JobColumn column : JobColumn.values()) {
            if (column.taskColumn() != null && column != JobColumn.LEGACY_TASK_UUID) {
                columns.add(new Column(column.taskColumn(), "j." + column.column()));
            }
        }
        // A task's success is its job's state: Complete and Failed are the finished ones, anything else is NULL.
        columns.add(new Column("success", "CASE j.state WHEN 'Complete' THEN true WHEN 'Failed' THEN false END"));
        return List.copyOf(columns);
    }

    private static final String ORIGINAL_COLUMNS = COLUMNS.stream().map(c -> "t." + c.name()).collect(Collectors.joining(", "));
    private static final String REBUILT_COLUMNS = COLUMNS.stream().map(Column::rebuilt).collect(Collectors.joining(", "));

    /**
     * One row: how many original rows were compared, and (when anything differs) up to 20 differing uuids with
     * their missing and extra row counts and the number of differences in all (a NULL uuid counts once per row).
     */
    private static final String SUMMARY = """
            WITH sides AS (
                SELECT t.uuid, ${row_hash}(ROW(%s)${row_hash_end} AS row_hash, 1 AS original, 0 AS rebuilt
                FROM ${job_tasks} t
                WHERE NOT EXISTS (SELECT 1 FROM job_tasks_quarantine q WHERE q.task_id = t.id)
                UNION ALL
                SELECT j.legacy_task_uuid, ${row_hash}(ROW(%s)${row_hash_end}, 0, 1
                FROM jobs j
                WHERE j.legacy_task_uuid IS NOT NULL
            ), groups AS (
                SELECT uuid, GROUPING(uuid, row_hash) AS grand_total, sum(original) AS original, sum(rebuilt) AS rebuilt
                FROM sides
                GROUP BY GROUPING SETS ((uuid, row_hash), ())
                HAVING sum(original) <> sum(rebuilt) OR GROUPING(uuid, row_hash) <> 0
            ), differing AS (
                SELECT uuid, sum(greatest(original - rebuilt, 0)) AS missing, sum(greatest(rebuilt - original, 0)) AS extra
                FROM groups
                WHERE grand_total = 0
                GROUP BY uuid
            )
            SELECT g.original AS examined, d.uuid, d.missing, d.extra, d.total
            FROM groups g
            LEFT JOIN (SELECT differing.*, sum(CASE WHEN uuid IS NULL THEN missing + extra ELSE 1 END) OVER () AS total
                       FROM differing ORDER BY uuid NULLS FIRST LIMIT %d) d ON true
            WHERE g.grand_total <> 0
            """.formatted(ORIGINAL_COLUMNS, REBUILT_COLUMNS, Differences.FIRST);

    /** Both sides of a few uuids, every compared column as text. */
    private static final String DETAIL = """
            SELECT 0 AS side, t.id, NULL::varchar AS job_uuid, q.reason, %s
            FROM ${job_tasks} t LEFT JOIN job_tasks_quarantine q ON q.task_id = t.id
            WHERE t.uuid = ANY(?)
            UNION ALL
            SELECT 1, j.id, j.uuid, NULL, %s
            FROM jobs j
            WHERE j.legacy_task_uuid = ANY(?)
            ORDER BY 1, 2
            """.formatted(
            COLUMNS.stream().map(c -> "t." + c.name() + "::text").collect(Collectors.joining(", ")),
            COLUMNS.stream().map(c -> "(" + c.rebuilt() + ")::text").collect(Collectors.joining(", ")));

    private static final String NULL_UUIDS = """
            SELECT t.id FROM ${job_tasks} t
            WHERE t.uuid IS NULL AND NOT EXISTS (SELECT 1 FROM job_tasks_quarantine q WHERE q.task_id = t.id)
            ORDER BY t.id LIMIT 5
            """;

    private final Connection connection;

    public RoundTripCheck(Connection connection) {
        this.connection = connection;
    }

    public CheckResult run() throws SQLException {
        long start = System.nanoTime();
        String notMigrated = Sql.notMigrated(connection);
        if (notMigrated != null) {
            return CheckResult.cannotRun(NAME, DESCRIPTION, notMigrated, start);
        }
        Differences differences = new Differences();
        long[] examined = {0};
        long[] total = {0};
        List<String> differing = new ArrayList<>();
        long[] nullUuidMissing = {0};
        // PostgreSQL 14 hashes a row's values directly, with each type's own hash: several times faster than printing
        // the row as text for md5, which older servers fall back to.
        boolean hashRecords = Sql.serverVersion(connection) >= 140000;
        String summary = SqlText.fill(SUMMARY, Map.of("row_hash", hashRecords ? "hash_record_extended" : "md5",
                "row_hash_end", hashRecords ? ", 0)" : "::text)", "job_tasks", Sql.tasksTable(connection)));
        Sql.forEach(connection, summary, Sql.NO_PARAMETERS, rs -> {
            examined[0] = rs.getLong("examined");
            if (rs.getObject("total") == null) {
                return;
            }
            total[0] = rs.getLong("total");
            String uuid = rs.getString("uuid");
            if (uuid == null) {
                nullUuidMissing[0] = rs.getLong("missing");
            } else {
                differing.add(uuid);
            }
        });
        differences.count(total[0]);
        if (nullUuidMissing[0] > 0) {
            List<Long> ids = new ArrayList<>();
            Sql.forEach(connection, NULL_UUIDS, Sql.NO_PARAMETERS, rs -> ids.add(rs.getLong(1)));
            differences.describe(String.format("%,d job_tasks %s with a NULL uuid %s missing: neither quarantined nor"
                    + " carried (job_tasks id %s%s)", nullUuidMissing[0], nullUuidMissing[0] == 1 ? "row" : "rows",
                    nullUuidMissing[0] == 1 ? "is" : "are", ids.stream().map(String::valueOf).collect(Collectors.joining(", ")),
                    nullUuidMissing[0] > ids.size() ? ", ..." : ""));
        }
        if (!differing.isEmpty()) {
            describe(differing, differences);
        }
        return CheckResult.of(NAME, DESCRIPTION, examined[0], differences, start);
    }

    /** A row of either side: which one, its id (job_tasks.id or jobs.id), the job uuid, and the compared columns. */
    private record SideRow(long id, String jobUuid, String quarantineReason, String[] values) {
        boolean sameValues(SideRow other) {
            return Arrays.equals(values, other.values);
        }
    }

    private void describe(List<String> differing, Differences differences) throws SQLException {
        Map<String, List<SideRow>> originals = new LinkedHashMap<>();
        Map<String, List<SideRow>> quarantined = new LinkedHashMap<>();
        Map<String, List<SideRow>> rebuilt = new LinkedHashMap<>();
        Array uuids = connection.createArrayOf("varchar", differing.toArray());
        Sql.forEach(connection, DETAIL, st -> {
            st.setArray(1, uuids);
            st.setArray(2, uuids);
        }, rs -> {
            String[] values = new String[COLUMNS.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = rs.getString(5 + i);
            }
            SideRow row = new SideRow(rs.getLong("id"), rs.getString("job_uuid"), rs.getString("reason"), values);
            Map<String, List<SideRow>> side = rs.getInt("side") == 1 ? rebuilt : row.quarantineReason() != null ? quarantined : originals;
            side.computeIfAbsent(values[0], k -> new ArrayList<>()).add(row);
        });
        for (String uuid : differing) {
            differences.describe(describe(uuid, originals.getOrDefault(uuid, List.of()), quarantined.getOrDefault(uuid, List.of()),
                    rebuilt.getOrDefault(uuid, List.of())));
        }
    }

    private static String describe(String uuid, List<SideRow> originals, List<SideRow> quarantined, List<SideRow> rebuilt) {
        List<SideRow> missing = new ArrayList<>(originals);
        List<SideRow> extra = new ArrayList<>(rebuilt);
        List<SideRow> matched = new ArrayList<>();
        for (SideRow o : originals) {
            for (SideRow r : extra) {
                if (o.sameValues(r)) {
                    extra.remove(r);
                    missing.remove(o);
                    matched.add(r);
                    break;
                }
            }
        }
        String task = "task " + Shown.uuid(uuid);
        if (!missing.isEmpty() && !extra.isEmpty()) {
            SideRow o = missing.get(0);
            SideRow r = extra.get(0);
            List<String> columns = new ArrayList<>();
            for (int i = 0; i < COLUMNS.size(); i++) {
                if (!Objects.equals(o.values()[i], r.values()[i])) {
                    columns.add(COLUMNS.get(i).name() + " (job_tasks " + Shown.value(o.values()[i]) + ", rebuilt "
                            + Shown.value(r.values()[i]) + ")");
                }
            }
            String more = missing.size() + extra.size() > 2
                    ? "; and " + (missing.size() - 1) + " more missing, " + (extra.size() - 1) + " more extra rows" : "";
            return task + ": task-like job " + r.jobUuid() + " rebuilds it differently: " + String.join(", ", columns) + more;
        }
        if (!missing.isEmpty()) {
            return task + " (job_tasks id " + ids(missing) + "): missing: no task-like job rebuilds it, and it is not quarantined";
        }
        if (!extra.isEmpty()) {
            String jobs = extra.stream().map(SideRow::jobUuid).collect(Collectors.joining(", "));
            String label = (extra.size() == 1 ? "task-like job " : "task-like jobs ") + jobs;
            if (!matched.isEmpty()) {
                return task + ": extra: " + label + " rebuild" + (extra.size() == 1 ? "s" : "") + " it again; task-like job "
                        + matched.get(0).jobUuid() + " already does";
            }
            if (!quarantined.isEmpty()) {
                return task + ": extra: " + label + " rebuild" + (extra.size() == 1 ? "s" : "") + " it, but it is quarantined ("
                        + quarantined.get(0).quarantineReason() + ", job_tasks id " + quarantined.get(0).id() + ")";
            }
            return task + ": extra: " + label + " rebuild" + (extra.size() == 1 ? "s" : "") + " it, but job_tasks holds no such task";
        }
        return task + ": differed during the comparison but not on a second look (was it written meanwhile?)";
    }

    private static String ids(List<SideRow> rows) {
        return rows.stream().map(r -> String.valueOf(r.id())).collect(Collectors.joining(", "));
    }
}
