package org.arvados.tasksasjobs.verification;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.arvados.tasksasjobs.mapping.CanonicalJson;
import org.arvados.tasksasjobs.mapping.InheritPolicy;

/**
 * The verification record: one row of {@code tasks_as_jobs_verification} per verify run, what the contract phase
 * requires (the latest row passed, recorded after the last backfill finished).
 *
 * <p>Recording never changes the outcome of a verify: on a database without the table (not migrated, or migrated by
 * an older version) nothing is written; a run that may not write (a read-only transaction or role, no privilege)
 * is reported in a note, and its failed INSERT is rolled back to a savepoint so the caller's transaction stays usable.
 * On a connection in auto-commit mode (the CLI's) the row is committed at once; otherwise with the caller's transaction.
 */
final class VerificationRecord {

    static final String TABLE = "tasks_as_jobs_verification";

    private VerificationRecord() {
    }

    /** Records the report; returns the note that says what happened. */
    static String record(Connection connection, VerificationReport report, Path baseline, InheritPolicy policy) throws SQLException {
        if (!Sql.hasTable(connection, TABLE)) {
            return "not recorded in the database: it has no " + TABLE + " table (run the expand phase to get one)";
        }
        Map<String, Object> checks = new LinkedHashMap<>();
        for (CheckResult c : report.checks()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("passed", c.passed());
            one.put("examined", c.examined());
            one.put("differences", c.differences());
            checks.put(c.name(), one);
        }
        String sql = "INSERT INTO " + TABLE + " (started_at, passed, baseline, inherit_policy, checks) VALUES (?, ?, ?, ?, ?) RETURNING id";
        try {
            long id = Sql.attempt(connection, () -> {
                try (PreparedStatement st = connection.prepareStatement(sql)) {
                    st.setTimestamp(1, Timestamp.valueOf(report.startedAt().atOffset(ZoneOffset.UTC).toLocalDateTime()));
                    st.setBoolean(2, report.passed());
                    st.setString(3, baseline == null ? null : baseline.getFileName().toString());
                    // NULL: the default policy (every parent key), the only one the contract's SQL mapping reproduces.
                    st.setString(4, policy == null || policy.equals(InheritPolicy.ALL) ? null : CanonicalJson.write(policy.keysByScript()));
                    st.setString(5, CanonicalJson.write(checks));
                    try (var rs = st.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            });
            return "recorded in the database as " + TABLE + " id " + id + (report.passed() ? " (passed)" : " (failed)");
        } catch (SQLException e) {
            return "not recorded in the database: " + e.getMessage().lines().findFirst().orElse("") + " (the contract phase needs a recorded pass)";
        }
    }
}
