package org.arvados.tasksasjobs.changelog;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.arvados.tasksasjobs.mapping.JobColumn;

/**
 * Which phase a database is in, read in one query: the one answer to "is this an Arvados database, is it expanded,
 * is the online capture on, is it contracted" for status, plan, migrate and serve. A snapshot: read it again after
 * changing the schema. Names resolve through the connection's search_path, as every other query of the toolkit does.
 *
 * @param schema             the current schema, for messages
 * @param database           the current database, for messages
 * @param jobsTable          {@code jobs} is a table
 * @param jobTasks           what {@code job_tasks} is
 * @param expanded           the expand phase's columns are on jobs (legacy_task_uuid)
 * @param legacyTaskIdColumn jobs.legacy_task_id exists (a later expand changeSet)
 * @param quarantineTable    job_tasks_quarantine exists
 * @param checkpointTable    tasks_as_jobs_checkpoint exists
 * @param verificationTable  tasks_as_jobs_verification exists
 * @param deferredIndexTable tasks_as_jobs_deferred_index exists (a deferred-index run has indexes to rebuild)
 * @param capture            the online phase's change capture
 * @param changelogTable     Liquibase's databasechangelog exists
 * @param backfilled         a backfill run finished here (or there are no tasks to carry) and none is unfinished
 * @param missingColumns     Arvados columns that jobs or job_tasks lack ("jobs.script", ...): empty on an Arvados database
 * @param railsVersion       the newest version in Rails' schema_migrations, or null when there is no such table
 */
public record SchemaState(String schema, String database, boolean jobsTable, JobTasks jobTasks, boolean expanded,
                          boolean legacyTaskIdColumn, boolean quarantineTable, boolean checkpointTable,
                          boolean verificationTable, boolean deferredIndexTable, Capture capture,
                          boolean changelogTable, boolean backfilled, List<String> missingColumns, String railsVersion) {

    /**
     * The oldest Arvados API server schema the toolkit works on: the Rails migration (2014-07-09) from which
     * job_tasks.qsequence is drawn from job_tasks_qsequence_seq, as the gateway draws it. The columns decide the rest.
     */
    public static final String OLDEST_RAILS_VERSION = "20140709172343";

    public SchemaState {
        missingColumns = List.copyOf(missingColumns);
    }

    /** What the name job_tasks stands for. */
    public enum JobTasks {
        /** No relation of that name: not a crunch v1 database. */
        ABSENT,
        /** The table crunch wrote. */
        TABLE,
        /** The contract phase's view over the task-like jobs (the table lives on as job_tasks_legacy). */
        VIEW
    }

    /** The online phase's capture of job_tasks writes. */
    public enum Capture {
        /** Not installed. */
        ABSENT,
        /** Installed and recording every write to the job_tasks table. */
        ACTIVE,
        /** Installed, resting: the contract made job_tasks a view, whose writes go to task-like jobs directly. */
        DISABLED
    }

    private static final String READ = """
            SELECT current_schema(), current_database(),
                   (SELECT relkind FROM pg_class WHERE oid = to_regclass('jobs')) = 'r',
                   (SELECT relkind::text FROM pg_class WHERE oid = to_regclass('job_tasks')),
                   EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('jobs') AND attname = 'legacy_task_uuid'
                           AND attnum > 0 AND NOT attisdropped),
                   EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('jobs') AND attname = 'legacy_task_id'
                           AND attnum > 0 AND NOT attisdropped),
                   to_regclass('job_tasks_quarantine') IS NOT NULL,
                   to_regclass('tasks_as_jobs_checkpoint') IS NOT NULL,
                   to_regclass('tasks_as_jobs_verification') IS NOT NULL,
                   to_regclass('tasks_as_jobs_deferred_index') IS NOT NULL,
                   (SELECT tgenabled::text FROM pg_trigger WHERE tgname = 'tasks_as_jobs_capture'
                           AND tgrelid IN (to_regclass('job_tasks'), to_regclass('job_tasks_legacy')) LIMIT 1),
                   to_regclass('databasechangelog') IS NOT NULL,
                   (SELECT array_agg(attname::text) FROM pg_attribute
                    WHERE attrelid = to_regclass('jobs') AND attnum > 0 AND NOT attisdropped),
                   (SELECT array_agg(attname::text) FROM pg_attribute
                    WHERE attrelid = coalesce(to_regclass('job_tasks_legacy'), to_regclass('job_tasks')) AND attnum > 0
                      AND NOT attisdropped),
                   to_regclass('schema_migrations') IS NOT NULL
            """;

    /** Read only when the tables exist: a query cannot name a table that is not there, even in a branch not taken. */
    private static final String BACKFILLED = "SELECT (EXISTS (SELECT 1 FROM tasks_as_jobs_checkpoint WHERE finished_at IS NOT NULL)"
            + " OR NOT EXISTS (SELECT 1 FROM job_tasks))"
            + " AND NOT EXISTS (SELECT 1 FROM tasks_as_jobs_checkpoint WHERE finished_at IS NULL)";
    private static final String RAILS_VERSION = "SELECT max(version) FROM schema_migrations";

    /** Reads the state of the database behind {@code connection}, in one query that changes nothing. */
    public static SchemaState read(Connection connection) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(READ); ResultSet rs = st.executeQuery()) {
            rs.next();
            boolean checkpointTable = rs.getBoolean(8);
            String relkind = rs.getString(4);
            JobTasks jobTasks = relkind == null ? JobTasks.ABSENT
                    : relkind.equals("v") ? JobTasks.VIEW
                    : relkind.equals("r") || relkind.equals("p") ? JobTasks.TABLE
                    : JobTasks.ABSENT;
            String trigger = rs.getString(11);
            Capture capture = trigger == null ? Capture.ABSENT : trigger.equals("D") ? Capture.DISABLED : Capture.ACTIVE;
            List<String> missing = new ArrayList<>();
            missing(rs.getArray(13), "jobs", JobColumn.arvados().stream().map(JobColumn::column).toList(), missing);
            missing(rs.getArray(14), "job_tasks", JOB_TASKS_COLUMNS, missing);
            return new SchemaState(rs.getString(1), rs.getString(2), rs.getBoolean(3), jobTasks, rs.getBoolean(5),
                    rs.getBoolean(6), rs.getBoolean(7), checkpointTable, rs.getBoolean(9), rs.getBoolean(10), capture,
                    rs.getBoolean(12), checkpointTable && scalar(connection, BACKFILLED, Boolean.class),
                    missing, rs.getBoolean(15) ? scalar(connection, RAILS_VERSION, String.class) : null);
        }
    }

    /** job_tasks' columns: the ones the column table says task-like jobs give back, the surrogate id and success. */
    private static final List<String> JOB_TASKS_COLUMNS = Stream.concat(Stream.of("id", "success"),
            Arrays.stream(JobColumn.values()).map(JobColumn::taskColumn).filter(Objects::nonNull)).toList();

    private static void missing(Array present, String table, List<String> expected, List<String> missing) throws SQLException {
        if (present == null) {
            return; // no such table: whyNotArvados names the table
        }
        Set<String> names = Set.of((String[]) present.getArray());
        for (String column : expected) {
            if (!names.contains(column)) {
                missing.add(table + "." + column);
            }
        }
    }

    private static <T> T scalar(Connection connection, String sql, Class<T> type) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getObject(1, type);
        }
    }

    /** The contract phase ran: job_tasks is the view over the task-like jobs. */
    public boolean contracted() {
        return jobTasks == JobTasks.VIEW;
    }

    /**
     * Why this database is not a crunch v1 Arvados database the toolkit can work on, or null when it is. After the
     * contract phase job_tasks is a view: still a database to work on.
     */
    public String whyNotArvados() {
        boolean tasks = jobTasks != JobTasks.ABSENT;
        String where = "schema " + schema + " of database " + database;
        if (jobsTable && tasks) {
            if (!missingColumns.isEmpty()) {
                return String.join(", ", missingColumns) + (missingColumns.size() == 1 ? " is" : " are") + " missing in "
                        + where + ": not the crunch v1 tables of an Arvados API server (check --url / PGDATABASE)";
            }
            if (railsVersion != null && !(railsVersion.matches("\\d{14}") && railsVersion.compareTo(OLDEST_RAILS_VERSION) >= 0)) {
                return "schema_migrations of " + where + " ends at version " + railsVersion + ": an Arvados API server"
                        + " database from before " + OLDEST_RAILS_VERSION + " (or not one), which this toolkit does not support";
            }
            return null;
        }
        if (!jobsTable && !tasks) {
            return "no jobs or job_tasks table in " + where + ": not an Arvados database (check --url / PGDATABASE)";
        }
        if (!tasks) {
            return "no job_tasks table in " + where + ": an Arvados schema without crunch v1 tasks (nothing to migrate)";
        }
        return "no jobs table in " + where + ": not an Arvados database (check --url / PGDATABASE)";
    }
}
