package org.arvados.tasksasjobs.verification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.arvados.tasksasjobs.sql.SqlText;

/**
 * Checksums of every top-level job row, recorded before the migration and compared after it: the migration must not
 * change, drop or add a single top-level job.
 *
 * <p>A row's hash is the md5 of its row text over the 34 columns jobs had before the migration (named one by one,
 * so the columns expand adds never count). Rows are grouped into key ranges of {@value #RANGE_SIZE} ids, and each
 * range gets one hash computed in SQL from its rows' hashes (order-independent sums, so PostgreSQL can hash-aggregate
 * without sorting). The baseline also keeps, per row, its id, uuid and the first 16 hex digits of its hash: compare
 * recomputes only the range hashes (one scan), and reads rows only in ranges whose hash differs, to name the jobs.
 */
public final class JobChecksums {

    static final String NAME = "top-level-jobs";
    static final String DESCRIPTION = "Every top-level job row is what it was before the migration (the 34 columns jobs"
            + " had then; checksums over id ranges, narrowed to the rows that differ)";

    static final String FORMAT = "tasks-as-jobs-job-checksums/1";
    static final int RANGE_SIZE = 1000;
    static final int ROW_HASH_CHARS = 16;

    /** The columns of jobs before the migration (docs/arvados.md §1), in table order. */
    static final List<String> COLUMNS = List.of("id", "uuid", "owner_uuid", "modified_by_client_uuid",
            "modified_by_user_uuid", "modified_at", "submit_id", "script", "script_version", "script_parameters",
            "cancelled_by_client_uuid", "cancelled_by_user_uuid", "cancelled_at", "started_at", "finished_at", "running",
            "success", "output", "created_at", "updated_at", "is_locked_by_uuid", "log", "tasks_summary",
            "runtime_constraints", "nondeterministic", "repository", "supplied_script_version", "docker_image_locator",
            "priority", "description", "state", "arvados_sdk_version", "components", "script_parameters_digest");

    // Row text is what PostgreSQL prints for the values: exact for every type here (timestamps in the ISO style the
    // JDBC driver always sets), and NULL and the empty string print differently inside a row.
    private static final String ROW_HASH = "md5(ROW(" + String.join(", ", COLUMNS.stream().map(c -> "j." + c).toList()) + ")::text)";

    // Floor division, so that ids below zero (never made by a sequence, but possible) still fall into ranges of RANGE_SIZE.
    private static final String RANGE = "(j.id / %1$d - CASE WHEN j.id < 0 AND j.id %% %1$d <> 0 THEN 1 ELSE 0 END)"
            .formatted(RANGE_SIZE);

    /** Count and two sums of 64-bit halves of the row hashes: equal for equal multisets of rows, whatever their order. */
    private static final String RANGE_HASH = "md5(count(*) || ':' || sum(('x' || substr(h, 1, 16))::bit(64)::bigint)"
            + " || ':' || sum(('x' || substr(h, 17, 16))::bit(64)::bigint))";

    // OFFSET 0 keeps each row's hash in the inner query, computed once by the scan: only narrow (range, id, hash) rows
    // are then grouped and sorted, never whole job rows, and PostgreSQL sees that there are few ranges to hash.
    private static final String RECORD = """
            SELECT r, count(*) AS n, %s AS hash, array_agg(id ORDER BY id) AS ids, array_agg(uuid ORDER BY id) AS uuids,
                   string_agg(substr(h, 1, %d), '' ORDER BY id) AS row_hashes
            FROM (SELECT %s AS r, j.id, j.uuid, %s AS h FROM jobs j WHERE ${top_level} OFFSET 0) x
            GROUP BY r ORDER BY r
            """.formatted(RANGE_HASH, ROW_HASH_CHARS, RANGE, ROW_HASH);

    private static final String RANGES = """
            SELECT r, count(*) AS n, %s AS hash
            FROM (SELECT %s AS r, %s AS h FROM jobs j WHERE ${top_level} OFFSET 0) x
            GROUP BY r
            """.formatted(RANGE_HASH, RANGE, ROW_HASH);

    /** Every row of one id range, top-level or not (a row that became a task-like job is named as such). */
    private static final String RANGE_ROWS = """
            SELECT j.id, j.uuid, substr(%s, 1, %d) AS h, ${top_level} AS top_level
            FROM jobs j WHERE j.id >= ? AND j.id < ? ORDER BY j.id
            """.formatted(ROW_HASH, ROW_HASH_CHARS);

    /** One range's checksum and its rows, aligned: ids ascending, their uuids, and their hashes' prefixes concatenated. */
    private record Range(long range, long rows, String hash, long[] ids, String[] uuids, String rowHashes) {
        String rowHash(int i) {
            return rowHashes.substring(i * ROW_HASH_CHARS, (i + 1) * ROW_HASH_CHARS);
        }
    }

    private final NavigableMap<Long, Range> ranges;

    private JobChecksums(NavigableMap<Long, Range> ranges) {
        this.ranges = Collections.unmodifiableNavigableMap(ranges);
    }

    /** Checksums of the top-level jobs of the database now (all jobs when it has not been migrated). One scan. */
    public static JobChecksums record(Connection c) throws SQLException {
        NavigableMap<Long, Range> ranges = new TreeMap<>();
        Sql.stream(c, SqlText.fill(RECORD, Map.of("top_level", topLevel(c))), Sql.NO_PARAMETERS, rs -> {
            Object[] ids = (Object[]) rs.getArray("ids").getArray();
            Object[] uuids = (Object[]) rs.getArray("uuids").getArray();
            long[] idValues = new long[ids.length];
            String[] uuidValues = new String[uuids.length];
            for (int i = 0; i < ids.length; i++) {
                idValues[i] = ((Number) ids[i]).longValue();
                uuidValues[i] = (String) uuids[i];
            }
            long r = rs.getLong("r");
            ranges.put(r, new Range(r, rs.getLong("n"), rs.getString("hash"), idValues, uuidValues, rs.getString("row_hashes")));
        });
        return new JobChecksums(ranges);
    }

    /** How many top-level jobs were recorded. */
    long jobs() {
        return ranges.values().stream().mapToLong(Range::rows).sum();
    }

    /**
     * Compares the top-level jobs of the database now with these checksums: one scan to recompute the range hashes,
     * then the rows of the ranges that differ, to name each changed, deleted or added job.
     */
    public CheckResult compare(Connection c) throws SQLException {
        long start = System.nanoTime();
        Map<Long, String> now = new HashMap<>();
        long[] examined = {0};
        String topLevel = topLevel(c);
        Sql.forEach(c, SqlText.fill(RANGES, Map.of("top_level", topLevel)), Sql.NO_PARAMETERS, rs -> {
            now.put(rs.getLong("r"), rs.getString("hash"));
            examined[0] += rs.getLong("n");
        });
        TreeSet<Long> differing = new TreeSet<>();
        for (Map.Entry<Long, String> e : now.entrySet()) {
            Range then = ranges.get(e.getKey());
            if (then == null || !then.hash().equals(e.getValue())) {
                differing.add(e.getKey());
            }
        }
        for (Long r : ranges.keySet()) {
            if (!now.containsKey(r)) {
                differing.add(r);
            }
        }
        Differences differences = new Differences();
        for (long r : differing) {
            narrow(c, r, topLevel, differences);
        }
        return CheckResult.of(NAME, DESCRIPTION, examined[0], differences, start);
    }

    /** Names the rows of one differing range: changed, gone, new, or turned into a task-like job. */
    private void narrow(Connection c, long r, String topLevel, Differences differences) throws SQLException {
        Range then = ranges.get(r);
        Map<Long, Integer> before = new HashMap<>();
        if (then != null) {
            for (int i = 0; i < then.ids().length; i++) {
                before.put(then.ids()[i], i);
            }
        }
        long[] found = {0};
        Sql.forEach(c, SqlText.fill(RANGE_ROWS, Map.of("top_level", topLevel)), st -> {
            st.setLong(1, r * RANGE_SIZE);
            st.setLong(2, r * RANGE_SIZE + RANGE_SIZE);
        }, rs -> {
            long id = rs.getLong("id");
            String uuid = rs.getString("uuid");
            Integer i = before.remove(id);
            boolean topLevelNow = rs.getBoolean("top_level");
            if (i == null) {
                if (topLevelNow) {
                    found[0]++;
                    differences.add("job " + Shown.uuid(uuid) + " (id " + id + ") is new: a top-level job the baseline does not hold");
                }
            } else if (!topLevelNow) {
                found[0]++;
                differences.add("job " + Shown.uuid(then.uuids()[i]) + " (id " + id + ") is no longer a top-level job: it is now"
                        + " task-like job " + Shown.uuid(uuid));
            } else if (!then.rowHash(i).equals(rs.getString("h"))) {
                found[0]++;
                String renamed = Objects.equals(uuid, then.uuids()[i]) ? "" : " (its uuid was " + Shown.uuid(then.uuids()[i]) + ")";
                differences.add("job " + Shown.uuid(uuid) + " (id " + id + ") changed" + renamed + ": row checksum "
                        + then.rowHash(i) + " in the baseline, " + rs.getString("h") + " now");
            }
        });
        List<Long> gone = new ArrayList<>(before.keySet());
        Collections.sort(gone);
        for (long id : gone) {
            found[0]++;
            differences.add("job " + Shown.uuid(then.uuids()[before.get(id)]) + " (id " + id + ") is gone: in the baseline, not in jobs now");
        }
        if (found[0] == 0) {
            // Every row's hash prefix matched while the range's full hashes did not: vanishingly rare, still a difference.
            differences.add("jobs with ids " + r * RANGE_SIZE + " to " + (r * RANGE_SIZE + RANGE_SIZE - 1)
                    + " differ from the baseline, but no single row could be named");
        }
    }

    /** Which rows are top-level jobs: all of them before the migration, those that carry no task after it. */
    private static String topLevel(Connection c) throws SQLException {
        return Sql.hasColumn(c, "jobs", "legacy_task_uuid") ? "j.legacy_task_uuid IS NULL" : "true";
    }

    public JsonNode toJson() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode root = json.objectNode();
        root.put("format", FORMAT);
        root.put("range_size", RANGE_SIZE);
        ArrayNode columns = root.putArray("columns");
        COLUMNS.forEach(columns::add);
        root.put("jobs", jobs());
        ArrayNode list = root.putArray("ranges");
        for (Range r : ranges.values()) {
            ObjectNode n = list.addObject();
            n.put("range", r.range());
            n.put("rows", r.rows());
            n.put("hash", r.hash());
            ArrayNode ids = n.putArray("ids");
            for (long id : r.ids()) {
                ids.add(id);
            }
            ArrayNode uuids = n.putArray("uuids");
            for (String uuid : r.uuids()) {
                uuids.add(uuid);
            }
            n.put("row_hashes", r.rowHashes());
        }
        return root;
    }

    /**
     * Reads what {@link #toJson()} wrote.
     *
     * @throws BaselineFile.BaselineFormatException when the JSON is not job checksums of this format, with a one-line message
     */
    public static JobChecksums fromJson(JsonNode n) {
        if (n == null || !FORMAT.equals(n.path("format").asText())) {
            throw unreadable("they are not in the format " + FORMAT);
        }
        if (n.path("range_size").asInt() != RANGE_SIZE) {
            throw unreadable("they use id ranges of " + n.path("range_size").asText() + " rows, not " + RANGE_SIZE);
        }
        List<String> columns = new ArrayList<>();
        n.path("columns").forEach(c -> columns.add(c.asText()));
        if (!columns.equals(COLUMNS)) {
            throw unreadable("they cover other columns of jobs than this version compares");
        }
        NavigableMap<Long, Range> ranges = new TreeMap<>();
        for (JsonNode r : n.path("ranges")) {
            JsonNode ids = r.path("ids");
            JsonNode uuids = r.path("uuids");
            String rowHashes = r.path("row_hashes").asText();
            long rows = r.path("rows").asLong();
            if (!r.path("range").canConvertToLong() || !r.path("hash").isTextual() || ids.size() != rows || uuids.size() != rows
                    || rowHashes.length() != rows * ROW_HASH_CHARS) {
                throw unreadable("range " + r.path("range").asText() + " is incomplete");
            }
            long[] idValues = new long[ids.size()];
            String[] uuidValues = new String[uuids.size()];
            for (int i = 0; i < idValues.length; i++) {
                idValues[i] = ids.get(i).asLong();
                uuidValues[i] = uuids.get(i).isNull() ? null : uuids.get(i).asText();
            }
            long range = r.path("range").asLong();
            ranges.put(range, new Range(range, rows, r.path("hash").asText(), idValues, uuidValues, rowHashes));
        }
        return new JobChecksums(ranges);
    }

    private static BaselineFile.BaselineFormatException unreadable(String why) {
        return new BaselineFile.BaselineFormatException("the baseline's job checksums cannot be read: " + why
                + "; record the baseline again with this version");
    }
}
