package org.arvados.tasksasjobs.backfill;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.arvados.tasksasjobs.mapping.TaskLikeJob;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes task-like jobs like {@link TaskLikeJobWriter#insert}, but streams each batch with COPY into a temporary
 * staging table and then runs one INSERT ... SELECT from it: a measured alternative to the unnest insert, kept so the
 * benchmark can compare the two.
 */
final class StagingCopyWriter implements BatchWriter {

    /** A column written: its name in jobs and in the staging table, its staging type, and its COPY text (null: NULL). */
    private record Column(String name, String type, Function<TaskLikeJob, String> text) { }

    private static final List<Column> COLUMNS = List.of(
            new Column("uuid", "varchar", TaskLikeJob::uuid),
            new Column("owner_uuid", "varchar", TaskLikeJob::ownerUuid),
            new Column("modified_by_client_uuid", "varchar", TaskLikeJob::modifiedByClientUuid),
            new Column("modified_by_user_uuid", "varchar", TaskLikeJob::modifiedByUserUuid),
            new Column("modified_at", "timestamp", j -> SqlTimestamps.format(j.modifiedAt())),
            new Column("created_at", "timestamp", j -> SqlTimestamps.format(j.createdAt())),
            new Column("updated_at", "timestamp", j -> SqlTimestamps.format(j.updatedAt())),
            new Column("started_at", "timestamp", j -> SqlTimestamps.format(j.startedAt())),
            new Column("finished_at", "timestamp", j -> SqlTimestamps.format(j.finishedAt())),
            new Column("script", "varchar", TaskLikeJob::script),
            new Column("script_version", "varchar", TaskLikeJob::scriptVersion),
            new Column("supplied_script_version", "varchar", TaskLikeJob::suppliedScriptVersion),
            new Column("repository", "varchar", TaskLikeJob::repository),
            new Column("docker_image_locator", "varchar", TaskLikeJob::dockerImageLocator),
            new Column("arvados_sdk_version", "varchar", TaskLikeJob::arvadosSdkVersion),
            new Column("runtime_constraints", "text", TaskLikeJob::runtimeConstraints),
            new Column("nondeterministic", "boolean", j -> bool(j.nondeterministic())),
            new Column("script_parameters", "text", TaskLikeJob::scriptParameters),
            new Column("script_parameters_digest", "varchar", TaskLikeJob::scriptParametersDigest),
            new Column("state", "varchar", j -> j.state().text()),
            new Column("running", "boolean", j -> bool(j.running())),
            new Column("success", "boolean", j -> bool(j.success())),
            new Column("output", "varchar", TaskLikeJob::output),
            new Column("log", "varchar", TaskLikeJob::log),
            new Column("priority", "integer", j -> Integer.toString(j.priority())),
            new Column("parent_job_uuid", "varchar", TaskLikeJob::parentJobUuid),
            new Column("legacy_task_uuid", "varchar", TaskLikeJob::legacyTaskUuid),
            new Column("task_sequence", "integer", j -> number(j.taskSequence())),
            new Column("task_qsequence", "bigint", j -> number(j.taskQsequence())),
            new Column("created_by_job_uuid", "varchar", TaskLikeJob::createdByJobUuid),
            new Column("legacy_created_by_task_uuid", "varchar", TaskLikeJob::legacyCreatedByTaskUuid),
            // Double.toString round-trips exactly through float8in, NaN, Infinity, -Infinity and -0.0 included.
            new Column("task_progress", "float8", j -> number(j.taskProgress())),
            new Column("task_parameters", "text", TaskLikeJob::taskParameters),
            new Column("task_output", "text", TaskLikeJob::taskOutput));

    private static final String STAGING = "pg_temp.tasks_as_jobs_staging";

    /**
     * Unbounded varchar, so a value too long for jobs fails in the INSERT, as it does for the unnest writer. ON COMMIT
     * DELETE ROWS empties it at each batch's commit; a rollback drops it if this transaction created it, hence
     * IF NOT EXISTS at every batch.
     */
    private static final String CREATE_STAGING = "CREATE TEMP TABLE IF NOT EXISTS tasks_as_jobs_staging ("
            + COLUMNS.stream().map(c -> c.name() + " " + c.type()).collect(Collectors.joining(", "))
            + ") ON COMMIT DELETE ROWS";

    private static final String COPY = "COPY " + STAGING + " FROM STDIN (FORMAT text)";

    private static final int BUFFER_BYTES = 64 * 1024;

    private final Connection connection;
    private final String insert;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int used;

    StagingCopyWriter(Connection connection) {
        this.connection = connection;
        String names = COLUMNS.stream().map(Column::name).collect(Collectors.joining(", "));
        String selected = COLUMNS.stream().map(c -> "s." + c.name()).collect(Collectors.joining(", "));
        // A temporary table is never scanned in parallel nor by a synchronized scan, so rows reach jobs in list
        // order, as from unnest: the same ids, and the same job_tasks_id_seq values for tasks the trigger numbers.
        this.insert = TaskLikeJobWriter.hasLegacyTaskId(connection, "jobs")
                ? "INSERT INTO jobs (" + names + ", legacy_task_id) SELECT " + selected
                        + ", (SELECT t.id FROM job_tasks t WHERE t.uuid = s.legacy_task_uuid) FROM " + STAGING
                        + " s ON CONFLICT DO NOTHING"
                : "INSERT INTO jobs (" + names + ") SELECT " + selected + " FROM " + STAGING + " s ON CONFLICT DO NOTHING";
    }

    @Override
    public int insert(List<TaskLikeJob> jobs) throws SQLException {
        if (jobs.isEmpty()) {
            return 0;
        }
        if (!connection.getAutoCommit()) {
            return write(jobs);
        }
        // In autocommit the staging rows would be deleted between the COPY and the INSERT: one transaction for both.
        connection.setAutoCommit(false);
        try {
            int written = write(jobs);
            connection.commit();
            return written;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException r) {
                e.addSuppressed(r);
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private int write(List<TaskLikeJob> jobs) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(CREATE_STAGING);
        }
        copy(jobs);
        try (Statement st = connection.createStatement()) {
            return st.executeUpdate(insert);
        }
    }

    private void copy(List<TaskLikeJob> jobs) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
        used = 0;
        try {
            for (TaskLikeJob job : jobs) {
                for (int k = 0; k < COLUMNS.size(); k++) {
                    if (k > 0) {
                        put(copy, '\t');
                    }
                    String value = COLUMNS.get(k).text().apply(job);
                    if (value == null) {
                        put(copy, '\\');
                        put(copy, 'N');
                    } else {
                        escaped(copy, value);
                    }
                }
                put(copy, '\n');
            }
            flush(copy);
            copy.endCopy();
        } catch (SQLException | RuntimeException e) {
            // An open COPY holds the connection: end it so the caller can roll back and go on with the next batch.
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException c) {
                    e.addSuppressed(c);
                }
            }
            throw e;
        }
    }

    /** Appends {@code value} in COPY text format, UTF-8 encoded; a lone surrogate becomes '?', as String.getBytes does. */
    private void escaped(CopyIn copy, String value) throws SQLException {
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char ch = value.charAt(i);
            if (used + 4 > buffer.length) {
                flush(copy);
            }
            switch (ch) {
                case '\\' -> twoBytes('\\', '\\');
                case '\t' -> twoBytes('\\', 't');
                case '\n' -> twoBytes('\\', 'n');
                case '\r' -> twoBytes('\\', 'r');
                default -> {
                    if (ch < 0x80) {
                        buffer[used++] = (byte) ch;
                    } else if (ch < 0x800) {
                        buffer[used++] = (byte) (0xC0 | ch >> 6);
                        buffer[used++] = (byte) (0x80 | ch & 0x3F);
                    } else if (!Character.isSurrogate(ch)) {
                        buffer[used++] = (byte) (0xE0 | ch >> 12);
                        buffer[used++] = (byte) (0x80 | ch >> 6 & 0x3F);
                        buffer[used++] = (byte) (0x80 | ch & 0x3F);
                    } else if (Character.isHighSurrogate(ch) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                        int cp = Character.toCodePoint(ch, value.charAt(++i));
                        buffer[used++] = (byte) (0xF0 | cp >> 18);
                        buffer[used++] = (byte) (0x80 | cp >> 12 & 0x3F);
                        buffer[used++] = (byte) (0x80 | cp >> 6 & 0x3F);
                        buffer[used++] = (byte) (0x80 | cp & 0x3F);
                    } else {
                        buffer[used++] = '?';
                    }
                }
            }
        }
    }

    private void twoBytes(char first, char second) {
        buffer[used++] = (byte) first;
        buffer[used++] = (byte) second;
    }

    private void put(CopyIn copy, char ascii) throws SQLException {
        if (used == buffer.length) {
            flush(copy);
        }
        buffer[used++] = (byte) ascii;
    }

    private void flush(CopyIn copy) throws SQLException {
        if (used > 0) {
            copy.writeToCopy(buffer, 0, used);
            used = 0;
        }
    }

    private static String bool(Boolean value) {
        return value == null ? null : value ? "t" : "f";
    }

    private static String number(Number value) {
        return value == null ? null : value.toString();
    }
}
