package org.arvados.tasksasjobs.changelog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

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
 * @param changelogLockTable Liquibase's databasechangeloglock exists
 */
public record SchemaState(String schema, String database, boolean jobsTable, JobTasks jobTasks, boolean expanded,
                          boolean legacyTaskIdColumn, boolean quarantineTable, boolean checkpointTable,
                          boolean verificationTable, boolean deferredIndexTable, Capture capture,
                          boolean changelogTable, boolean changelogLockTable) {

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
                   to_regclass('databasechangeloglock') IS NOT NULL
            """;

    /** Reads the state of the database behind {@code connection}, in one query that changes nothing. */
    public static SchemaState read(Connection connection) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(READ); ResultSet rs = st.executeQuery()) {
            rs.next();
            String relkind = rs.getString(4);
            JobTasks jobTasks = relkind == null ? JobTasks.ABSENT
                    : relkind.equals("v") ? JobTasks.VIEW
                    : relkind.equals("r") || relkind.equals("p") ? JobTasks.TABLE
                    : JobTasks.ABSENT;
            String trigger = rs.getString(11);
            Capture capture = trigger == null ? Capture.ABSENT : trigger.equals("D") ? Capture.DISABLED : Capture.ACTIVE;
            return new SchemaState(rs.getString(1), rs.getString(2), rs.getBoolean(3), jobTasks, rs.getBoolean(5),
                    rs.getBoolean(6), rs.getBoolean(7), rs.getBoolean(8), rs.getBoolean(9), rs.getBoolean(10), capture,
                    rs.getBoolean(12), rs.getBoolean(13));
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
        if (jobsTable && tasks) {
            return null;
        }
        String where = "schema " + schema + " of database " + database;
        if (!jobsTable && !tasks) {
            return "no jobs or job_tasks table in " + where + ": not an Arvados database (check --url / PGDATABASE)";
        }
        if (!tasks) {
            return "no job_tasks table in " + where + ": an Arvados schema without crunch v1 tasks (nothing to migrate)";
        }
        return "no jobs table in " + where + ": not an Arvados database (check --url / PGDATABASE)";
    }
}
