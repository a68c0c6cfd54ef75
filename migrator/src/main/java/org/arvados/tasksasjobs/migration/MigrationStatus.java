package org.arvados.tasksasjobs.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import liquibase.exception.LiquibaseException;
import org.arvados.tasksasjobs.changelog.SchemaState;
import org.arvados.tasksasjobs.backfill.MigrationLock;
import org.arvados.tasksasjobs.changelog.MigrationChangelog;

/**
 * Where a database stands: which changeSets ran, the last backfill run, how every task is accounted for, who holds
 * which lock. Reads only.
 *
 * @param arvados          null when the database is a crunch v1 Arvados one, else why not
 * @param changeSets       tasks-as-jobs changeSets that ran, in order
 * @param lastRun          the newest backfill run, if any
 * @param tasks            rows of job_tasks
 * @param carried          tasks with a task-like job
 * @param quarantinedBy    quarantine rows by reason
 * @param neither          tasks with neither
 * @param migratorLock     who holds the migrators' advisory lock ("nobody" when free)
 * @param liquibaseLock    Liquibase's changelog lock, when set
 * @param changesWaiting   with the online phase installed, job_tasks writes captured and not applied yet (the next
 *                         migrate applies them); empty without it
 * @param capture          the online phase's capture: active, disabled (resting while job_tasks is the contract's
 *                         view) or absent
 */
public record MigrationStatus(String arvados, List<AppliedChangeSet> changeSets, Optional<Run> lastRun, long tasks,
                              long carried, Map<String, Long> quarantinedBy, long neither, String migratorLock,
                              Optional<String> liquibaseLock, OptionalLong changesWaiting, SchemaState.Capture capture) {

    /** A changeSet as DATABASECHANGELOG recorded it. */
    public record AppliedChangeSet(String id, LocalDateTime executedAt, String execType) { }

    /** A backfill run as its checkpoint row holds it. */
    public record Run(long runId, long done, long total, long migrated, long quarantined, LocalDateTime startedAt,
                      LocalDateTime updatedAt, LocalDateTime finishedAt) {
        public boolean finished() {
            return finishedAt != null;
        }
    }

    public boolean expanded() {
        return changeSets.stream().anyMatch(c -> c.id().equals("expand-add-task-columns-to-jobs"));
    }

    /** Whether the contract phase ran: job_tasks is a view over the task-like jobs, the table is job_tasks_legacy. */
    public boolean contracted() {
        return changeSets.stream().anyMatch(c -> c.id().equals("contract-job-tasks-view"));
    }

    /** Whether the online phase's change capture is installed. */
    public boolean online() {
        return changesWaiting.isPresent();
    }

    public long quarantined() {
        return quarantinedBy.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Reads the status of the database behind {@code connection}. */
    public static MigrationStatus read(Connection connection) throws SQLException, LiquibaseException {
        SchemaState schema = SchemaState.read(connection);
        String why = schema.whyNotArvados();
        String migratorLock = MigrationLock.holder(connection);
        Optional<String> liquibaseLock = new MigrationChangelog(connection).changelogLockHolder();
        if (why != null) {
            return new MigrationStatus(why, List.of(), Optional.empty(), 0, 0, Map.of(), 0, migratorLock, liquibaseLock,
                    OptionalLong.empty(), schema.capture());
        }
        List<AppliedChangeSet> changeSets = new ArrayList<>();
        if (schema.changelogTable()) {
            String sql = """
                    SELECT id, dateexecuted, exectype FROM databasechangelog
                    WHERE filename LIKE '%db/changelog/expand.xml' OR filename LIKE '%db/changelog/online.xml'
                       OR filename LIKE '%db/changelog/backfill.xml' OR filename LIKE '%db/changelog/contract.xml'
                    ORDER BY orderexecuted
                    """;
            try (PreparedStatement st = connection.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    changeSets.add(new AppliedChangeSet(rs.getString(1), rs.getObject(2, LocalDateTime.class), rs.getString(3)));
                }
            }
        }
        Optional<Run> lastRun = Optional.empty();
        if (schema.checkpointTable()) {
            String sql = """
                    SELECT run_id, tasks_migrated + tasks_quarantined, tasks_total, tasks_migrated, tasks_quarantined,
                           started_at, updated_at, finished_at
                    FROM tasks_as_jobs_checkpoint ORDER BY run_id DESC LIMIT 1
                    """;
            try (PreparedStatement st = connection.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                    lastRun = Optional.of(new Run(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            rs.getObject(6, LocalDateTime.class), rs.getObject(7, LocalDateTime.class),
                            rs.getObject(8, LocalDateTime.class)));
                }
            }
        }
        boolean expanded = schema.expanded();
        boolean quarantine = schema.quarantineTable();
        String counts = "SELECT count(*), "
                + (expanded ? "count(*) FILTER (WHERE j.legacy_task_uuid IS NOT NULL), " : "0, ")
                + (expanded && quarantine ? "count(*) FILTER (WHERE j.legacy_task_uuid IS NULL AND q.task_id IS NULL) "
                        : "count(*) ")
                + "FROM job_tasks t"
                + (expanded ? " LEFT JOIN jobs j ON j.legacy_task_uuid = t.uuid" : "")
                + (expanded && quarantine ? " LEFT JOIN job_tasks_quarantine q ON q.task_id = t.id" : "");
        long tasks;
        long carried;
        long neither;
        try (PreparedStatement st = connection.prepareStatement(counts); ResultSet rs = st.executeQuery()) {
            rs.next();
            tasks = rs.getLong(1);
            carried = rs.getLong(2);
            neither = rs.getLong(3);
        }
        Map<String, Long> byReason = new LinkedHashMap<>();
        if (quarantine) {
            try (PreparedStatement st = connection.prepareStatement(
                    "SELECT reason, count(*) FROM job_tasks_quarantine GROUP BY reason ORDER BY count(*) DESC, reason");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    byReason.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        OptionalLong changesWaiting = OptionalLong.empty();
        if (schema.capture() != SchemaState.Capture.ABSENT) {
            try (PreparedStatement st = connection.prepareStatement("SELECT count(*) FROM job_tasks_changes");
                 ResultSet rs = st.executeQuery()) {
                rs.next();
                changesWaiting = OptionalLong.of(rs.getLong(1));
            }
        }
        return new MigrationStatus(null, List.copyOf(changeSets), lastRun, tasks, carried, java.util.Collections.unmodifiableMap(byReason), neither,
                migratorLock, liquibaseLock, changesWaiting, schema.capture());
    }
}
