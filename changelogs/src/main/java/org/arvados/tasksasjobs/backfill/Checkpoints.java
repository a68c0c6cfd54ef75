package org.arvados.tasksasjobs.backfill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The tasks_as_jobs_checkpoint table (one row per run) and tasks_as_jobs_checkpoint_range (the run's id ranges, one
 * per worker at first, one more each time a worker with nothing left takes half of another's rest): a range and its
 * run advance in the same transaction as each batch.
 */
final class Checkpoints {

    /**
     * One range of a run: tasks with ids in (lastTaskId, upperBound] are left. Ranges of a run are contiguous and
     * disjoint, so the lowest {@code lastTaskId} of the unfinished ones is the point below which every task is done.
     */
    record Range(long runId, int rangeNo, long lowerBound, long upperBound, long lastTaskId, boolean finished) { }

    /** Ranges smaller than this are not split further for more workers. */
    static final long MIN_RANGE_ROWS = 1000;

    /** A run's row as stored. {@code lastTaskId} is the id of the last task handled; bounds are (lower, upper]. */
    record Run(long runId, long lowerBound, long upperBound, long lastTaskId, long total, long migrated, long quarantined) {
        long done() {
            return migrated + quarantined;
        }
    }

    private final Connection connection;

    Checkpoints(Connection connection) {
        this.connection = connection;
    }

    /** The run an earlier process left unfinished, if any. */
    Optional<Run> unfinished() throws SQLException {
        String sql = """
                SELECT run_id, lower_bound, upper_bound, last_task_id, tasks_total, tasks_migrated, tasks_quarantined
                FROM tasks_as_jobs_checkpoint WHERE finished_at IS NULL ORDER BY run_id DESC LIMIT 1
                """;
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Run(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                    rs.getLong(6), rs.getLong(7)));
        }
    }

    /**
     * Starts a run over the tasks that arrived since the last finished one: (highest finished upper bound,
     * highest id now]. Empty when there are none.
     */
    Optional<Run> start() throws SQLException {
        String bounds = """
                SELECT (SELECT max(upper_bound) FROM tasks_as_jobs_checkpoint WHERE finished_at IS NOT NULL),
                       (SELECT max(id) FROM job_tasks)
                """;
        long lower;
        long upper;
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(bounds)) {
            rs.next();
            lower = rs.getObject(1) == null ? Long.MIN_VALUE : rs.getLong(1);
            if (rs.getObject(2) == null) {
                return Optional.empty();
            }
            upper = rs.getLong(2);
        }
        if (upper <= lower) {
            return Optional.empty();
        }
        long total;
        try (PreparedStatement st = connection.prepareStatement("SELECT count(*) FROM job_tasks WHERE id > ? AND id <= ?")) {
            st.setLong(1, lower);
            st.setLong(2, upper);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
        }
        String insert = """
                INSERT INTO tasks_as_jobs_checkpoint (lower_bound, upper_bound, last_task_id, tasks_total)
                VALUES (?, ?, ?, ?) RETURNING run_id
                """;
        try (PreparedStatement st = connection.prepareStatement(insert)) {
            st.setLong(1, lower);
            st.setLong(2, upper);
            st.setLong(3, lower);
            st.setLong(4, total);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return Optional.of(new Run(rs.getLong(1), lower, upper, lower, total, 0, 0));
            }
        }
    }

    /**
     * The unfinished ranges of {@code run}, split until there are {@code workers} of them where the rows allow: the
     * first call of a run splits its bounds at id quantiles; a resumed run keeps its ranges and splits the largest
     * ones when more workers came back than ranges are left. A run left by a migrator without ranges gets one.
     */
    List<Range> rangesFor(Run run, int workers) throws SQLException {
        List<Range> all = ranges(run.runId());
        if (all.isEmpty()) {
            insertRange(new Range(run.runId(), 0, run.lowerBound(), run.upperBound(), run.lastTaskId(), false));
            all = ranges(run.runId());
        }
        List<Range> open = new ArrayList<>(all.stream().filter(r -> !r.finished()).toList());
        int next = all.stream().mapToInt(Range::rangeNo).max().orElse(-1) + 1;
        while (open.size() < workers) {
            Range largest = null;
            long largestRows = 0;
            for (Range r : open) {
                long rows = rowsLeft(r);
                if (rows > largestRows) {
                    largest = r;
                    largestRows = rows;
                }
            }
            if (largest == null || largestRows < 2 * MIN_RANGE_ROWS) {
                break;
            }
            int pieces = (int) Math.min(workers - open.size() + 1, largestRows / MIN_RANGE_ROWS);
            List<Long> cuts = quantiles(largest.lastTaskId(), largest.upperBound(), pieces);
            if (cuts.isEmpty()) {
                break;
            }
            open.remove(largest);
            long low = largest.lastTaskId();
            long lowerBound = largest.lowerBound();
            int rangeNo = largest.rangeNo();
            for (int i = 0; i <= cuts.size(); i++) {
                long high = i < cuts.size() ? cuts.get(i) : largest.upperBound();
                Range piece = new Range(run.runId(), rangeNo, lowerBound, high, low, false);
                if (i == 0) {
                    updateUpperBound(piece);
                } else {
                    insertRange(piece);
                }
                open.add(piece);
                low = high;
                lowerBound = high;
                rangeNo = next++;
            }
        }
        open.sort(Comparator.comparingLong(Range::lastTaskId));
        return open;
    }

    /**
     * Splits what {@code range} has left after {@code after} (the last id its walker has read) into two halves of about
     * equal rows: {@code range} keeps the lower one, the upper one becomes a new range numbered {@code rangeNo}. Both
     * rows change in the caller's transaction, so a run killed at any point finds its ranges contiguous and disjoint.
     * Empty when fewer than twice {@link #MIN_RANGE_ROWS} rows are left.
     *
     * @return the range's new upper bound and the new range
     */
    Optional<Split> split(Range range, long after, int rangeNo) throws SQLException {
        long cut;
        try (PreparedStatement st = connection.prepareStatement(
                "SELECT count(*), percentile_disc(0.5) WITHIN GROUP (ORDER BY id) FROM job_tasks WHERE id > ? AND id <= ?")) {
            st.setLong(1, after);
            st.setLong(2, range.upperBound());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                if (rs.getLong(1) < 2 * MIN_RANGE_ROWS) {
                    return Optional.empty();
                }
                cut = rs.getLong(2);
            }
        }
        if (cut <= after || cut >= range.upperBound()) {
            return Optional.empty();
        }
        Range kept = new Range(range.runId(), range.rangeNo(), range.lowerBound(), cut, range.lastTaskId(), false);
        Range given = new Range(range.runId(), rangeNo, cut, range.upperBound(), cut, false);
        updateUpperBound(kept);
        insertRange(given);
        return Optional.of(new Split(kept, given));
    }

    /** A range cut in two: {@code kept} by its walker, {@code given} to a waiting worker. */
    record Split(Range kept, Range given) { }

    /** The first range number {@code runId} has not used. */
    int nextRangeNo(long runId) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "SELECT coalesce(max(range_no) + 1, 0) FROM tasks_as_jobs_checkpoint_range WHERE run_id = ?")) {
            st.setLong(1, runId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    List<Range> ranges(long runId) throws SQLException {
        String sql = """
                SELECT range_no, lower_bound, upper_bound, last_task_id, finished_at IS NOT NULL
                FROM tasks_as_jobs_checkpoint_range WHERE run_id = ? ORDER BY lower_bound, range_no
                """;
        List<Range> ranges = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setLong(1, runId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    ranges.add(new Range(runId, rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getBoolean(5)));
                }
            }
        }
        return ranges;
    }

    private long rowsLeft(Range range) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT count(*) FROM job_tasks WHERE id > ? AND id <= ?")) {
            st.setLong(1, range.lastTaskId());
            st.setLong(2, range.upperBound());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The ids that cut (low, high] into {@code pieces} ranges of about equal row counts, ascending, without repeats. */
    private List<Long> quantiles(long low, long high, int pieces) throws SQLException {
        List<Long> cuts = new ArrayList<>();
        if (pieces < 2) {
            return cuts;
        }
        Double[] fractions = new Double[pieces - 1];
        for (int i = 1; i < pieces; i++) {
            fractions[i - 1] = (double) i / pieces;
        }
        String sql = "SELECT unnest(percentile_disc(?::float8[]) WITHIN GROUP (ORDER BY id)) FROM job_tasks WHERE id > ? AND id <= ?";
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setArray(1, connection.createArrayOf("float8", fractions));
            st.setLong(2, low);
            st.setLong(3, high);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    long cut = rs.getLong(1);
                    if (cut > low && cut < high && (cuts.isEmpty() || cut > cuts.get(cuts.size() - 1))) {
                        cuts.add(cut);
                    }
                }
            }
        }
        return cuts;
    }

    private void insertRange(Range range) throws SQLException {
        String sql = """
                INSERT INTO tasks_as_jobs_checkpoint_range (run_id, range_no, lower_bound, upper_bound, last_task_id)
                VALUES (?, ?, ?, ?, ?)
                """;
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setLong(1, range.runId());
            st.setInt(2, range.rangeNo());
            st.setLong(3, range.lowerBound());
            st.setLong(4, range.upperBound());
            st.setLong(5, range.lastTaskId());
            st.executeUpdate();
        }
    }

    private void updateUpperBound(Range range) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "UPDATE tasks_as_jobs_checkpoint_range SET upper_bound = ? WHERE run_id = ? AND range_no = ?")) {
            st.setLong(1, range.upperBound());
            st.setLong(2, range.runId());
            st.setInt(3, range.rangeNo());
            st.executeUpdate();
        }
    }

    /**
     * Records a committed batch of one range: the range's position and, on the run, the counts and the point below
     * which every task is done (as far as this transaction sees; other workers' batches raise it when they commit).
     * The range row is locked before the run row by every worker, so two workers never wait on each other in a cycle.
     */
    void advance(Range range, long lastTaskId, long migrated, long quarantined, boolean finished) throws SQLException {
        String rangeSql = """
                UPDATE tasks_as_jobs_checkpoint_range
                SET last_task_id = ?, tasks_migrated = tasks_migrated + ?, tasks_quarantined = tasks_quarantined + ?,
                    finished_at = CASE WHEN ? THEN now() AT TIME ZONE 'UTC' END
                WHERE run_id = ? AND range_no = ?
                """;
        try (PreparedStatement st = connection.prepareStatement(rangeSql)) {
            st.setLong(1, lastTaskId);
            st.setLong(2, migrated);
            st.setLong(3, quarantined);
            st.setBoolean(4, finished);
            st.setLong(5, range.runId());
            st.setInt(6, range.rangeNo());
            st.executeUpdate();
        }
        String runSql = """
                UPDATE tasks_as_jobs_checkpoint
                SET last_task_id = coalesce((SELECT min(r.last_task_id) FROM tasks_as_jobs_checkpoint_range r
                                             WHERE r.run_id = ? AND r.finished_at IS NULL), upper_bound),
                    tasks_migrated = tasks_migrated + ?, tasks_quarantined = tasks_quarantined + ?,
                    updated_at = now() AT TIME ZONE 'UTC'
                WHERE run_id = ?
                """;
        try (PreparedStatement st = connection.prepareStatement(runSql)) {
            st.setLong(1, range.runId());
            st.setLong(2, migrated);
            st.setLong(3, quarantined);
            st.setLong(4, range.runId());
            st.executeUpdate();
        }
    }

    void finish(long runId) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "UPDATE tasks_as_jobs_checkpoint SET finished_at = now() AT TIME ZONE 'UTC', updated_at = now() AT TIME ZONE 'UTC',"
                        + " last_task_id = upper_bound WHERE run_id = ?")) {
            st.setLong(1, runId);
            st.executeUpdate();
        }
    }

    /** How every task of job_tasks is accounted for now: one pass, hash joins on the two unique keys. */
    BackfillResult.Totals totals() throws SQLException {
        String sql = """
                SELECT count(*),
                       count(*) FILTER (WHERE j.legacy_task_uuid IS NOT NULL),
                       count(*) FILTER (WHERE q.task_id IS NOT NULL),
                       count(*) FILTER (WHERE j.legacy_task_uuid IS NULL AND q.task_id IS NULL),
                       count(*) FILTER (WHERE j.legacy_task_uuid IS NOT NULL AND q.task_id IS NOT NULL)
                FROM job_tasks t
                LEFT JOIN jobs j ON j.legacy_task_uuid = t.uuid
                LEFT JOIN job_tasks_quarantine q ON q.task_id = t.id
                """;
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return new BackfillResult.Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
        }
    }
}
