package org.arvados.tasksasjobs.verification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.arvados.tasksasjobs.mapping.SerializedHashReader;
import org.arvados.tasksasjobs.mapping.UnparseableHashException;
import org.arvados.tasksasjobs.mapping.YamlDecoder;
import org.arvados.tasksasjobs.reuse.JobsTable;
import org.arvados.tasksasjobs.reuse.Probe;
import org.arvados.tasksasjobs.sql.SqlText;

/**
 * The probes the verifier asks about without being given any: every job of the database resubmitted as itself.
 * Streams the jobs table through a server-side cursor in id order and hands the probes over in batches, so a table
 * of any size is never held in memory. The batch consumer may use the same connection (a {@link ReuseEngine} on it):
 * it runs inside the transaction the cursor lives in.
 *
 * <p>A job whose parameters cannot be read cannot be resubmitted as itself: it is skipped and counted in the
 * returned {@link Scan}.
 *
 * <p>Transactions: with the connection in auto-commit mode, the scan runs in a transaction of its own, ended before
 * returning, and the mode is restored. With auto-commit already off, the scan runs in the caller's transaction and
 * leaves it open.
 */
public final class JobProbes {

    /** How many unreadable jobs a {@link Scan} names. */
    static final int EXAMPLES = 10;

    private static final String TOP_LEVEL = """
            SELECT uuid, repository, script, script_version, docker_image_locator, arvados_sdk_version, owner_uuid,
                   script_parameters
            FROM jobs ${where}
            ORDER BY id
            """;
    private static final String TASK_LIKE = """
            SELECT uuid, legacy_task_uuid, parent_job_uuid, owner_uuid, task_parameters
            FROM jobs
            WHERE parent_job_uuid IS NOT NULL
            ORDER BY id
            """;

    private JobProbes() {
    }

    /** Receives one batch of probes; may run SQL on the scanning connection. */
    @FunctionalInterface
    public interface BatchConsumer {
        void accept(List<Probe> batch) throws SQLException;
    }

    /**
     * What a scan handed over and what it had to skip.
     *
     * @param probes      probes handed to the consumer
     * @param unparseable jobs skipped because their parameters cannot be read
     * @param examples    uuids of the first {@value #EXAMPLES} of them
     */
    public record Scan(long probes, long unparseable, List<String> examples) {
        public Scan {
            examples = List.copyOf(examples);
        }
    }

    /**
     * Every top-level job (parent_job_uuid NULL; every job before the migration) as a probe of itself: id = its uuid,
     * repository, script, commit, image, SDK and owner from the row, parameters = its script_parameters.
     */
    public static Scan forEachTopLevelJob(Connection c, YamlDecoder yaml, int batchSize, BatchConsumer batch) throws SQLException {
        SerializedHashReader reader = reader(yaml, batchSize, batch);
        return inTransaction(c, () -> {
            String sql = SqlText.fill(TOP_LEVEL, Map.of("where", JobsTable.hasParentColumn(c) ? "WHERE parent_job_uuid IS NULL" : ""));
            return scan(c, sql, batchSize, batch, rs -> {
                String uuid = rs.getString("uuid");
                String repository = rs.getString("repository");
                String script = rs.getString("script");
                String scriptVersion = rs.getString("script_version");
                String image = rs.getString("docker_image_locator");
                String sdk = rs.getString("arvados_sdk_version");
                String owner = rs.getString("owner_uuid");
                return new Row(uuid, rs.getString("script_parameters"),
                        parameters -> new Probe(uuid, repository, script, scriptVersion, parameters, image, sdk, owner, null));
            }, reader);
        });
    }

    /**
     * Every task-like job as the task submission that would make it again: id = its legacy_task_uuid (its own uuid
     * when it has none), parent = parent_job_uuid, parameters = the task's own (task_parameters), owner = its owner.
     * Nothing before the migration.
     */
    public static Scan forEachTaskLikeJob(Connection c, YamlDecoder yaml, int batchSize, BatchConsumer batch) throws SQLException {
        SerializedHashReader reader = reader(yaml, batchSize, batch);
        return inTransaction(c, () -> {
            if (!JobsTable.hasParentColumn(c)) {
                return new Scan(0, 0, List.of());
            }
            return scan(c, TASK_LIKE, batchSize, batch, rs -> {
                String uuid = rs.getString("uuid");
                String legacy = rs.getString("legacy_task_uuid");
                String id = legacy != null ? legacy : uuid;
                String owner = rs.getString("owner_uuid");
                String parent = rs.getString("parent_job_uuid");
                // Repository, script, commit, image and SDK are the parent's: a task submission does not carry them.
                return new Row(id, rs.getString("task_parameters"),
                        parameters -> new Probe(id, null, null, null, parameters, null, null, owner, parent));
            }, reader);
        });
    }

    private static SerializedHashReader reader(YamlDecoder yaml, int batchSize, BatchConsumer batch) {
        Objects.requireNonNull(batch, "batch");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
        }
        return new SerializedHashReader(Objects.requireNonNull(yaml, "yaml"));
    }

    private static Scan scan(Connection c, String sql, int batchSize, BatchConsumer consumer, RowReader rows,
                             SerializedHashReader reader) throws SQLException {
        long probes = 0;
        long unparseable = 0;
        List<String> examples = new ArrayList<>();
        List<Probe> batch = new ArrayList<>(batchSize);
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setFetchSize(Math.min(batchSize, 10_000)); // a cursor, not the whole table in the driver's memory
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Row row = rows.read(rs);
                    Map<String, Object> parameters;
                    try {
                        parameters = reader.read(row.parameters());
                    } catch (UnparseableHashException e) {
                        unparseable++;
                        if (examples.size() < EXAMPLES) {
                            examples.add(row.id());
                        }
                        continue;
                    }
                    batch.add(row.probe().make(parameters));
                    if (batch.size() == batchSize) {
                        consumer.accept(List.copyOf(batch));
                        probes += batch.size();
                        batch.clear();
                    }
                }
            }
        }
        if (!batch.isEmpty()) {
            consumer.accept(List.copyOf(batch));
            probes += batch.size();
        }
        return new Scan(probes, unparseable, examples);
    }

    /** Runs {@code work} in a transaction (a cursor needs one), its own unless the caller already has one open. */
    private static Scan inTransaction(Connection c, Work work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        if (!autoCommit) {
            return work.run();
        }
        c.setAutoCommit(false);
        Scan scan;
        try {
            scan = work.run();
            c.commit(); // the scan only read; a consumer that wrote keeps its work, as it would have in auto-commit mode
        } catch (SQLException | RuntimeException | Error e) {
            try {
                c.rollback();
                c.setAutoCommit(true);
            } catch (SQLException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        c.setAutoCommit(true);
        return scan;
    }

    @FunctionalInterface
    private interface Work {
        Scan run() throws SQLException;
    }

    @FunctionalInterface
    private interface RowReader {
        Row read(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    private interface ProbeMaker {
        Probe make(Map<String, Object> parameters);
    }

    /** A row's probe id, serialized parameters, and how to make its probe once the parameters are read. */
    private record Row(String id, String parameters, ProbeMaker probe) {
    }
}
