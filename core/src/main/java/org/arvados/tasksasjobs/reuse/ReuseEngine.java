package org.arvados.tasksasjobs.reuse;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.arvados.tasksasjobs.mapping.InheritPolicy;
import org.arvados.tasksasjobs.mapping.ParametersDigest;
import org.arvados.tasksasjobs.mapping.SerializedHashReader;
import org.arvados.tasksasjobs.mapping.UnparseableHashException;
import org.arvados.tasksasjobs.mapping.YamlDecoder;
import org.arvados.tasksasjobs.sql.SqlText;

/**
 * Which existing job each probe would reuse on this database now: the find_or_create of docs/arvados.md §5 (default
 * setting: no reuse when usable Complete jobs disagree on their output), in both worlds.
 * <ul>
 *   <li>Before the migration (jobs has no parent_job_uuid) every job is a candidate for a top-level probe, and a
 *       task probe has nothing to reuse.</li>
 *   <li>After it, a top-level probe sees only rows with parent_job_uuid NULL and a task probe only task-like jobs.
 *       A task probe is resolved as job_tasks.create maps a task (TaskJobMapping): repository, script, commit, image
 *       and SDK of its parent job, parameters = the parent's (narrowed by the inherit policy) overlaid with the
 *       task's own, shallowly. A parent that is unknown, or whose parameters cannot be read, means no reuse.</li>
 * </ul>
 * A task-like job's log is its parent's (docs/architecture.md "The contract"): a candidate without a log of its own is judged by
 * its parent's, since tasks created through the gateway while their parent ran were written before it had one.
 * Everything is treated as readable by the submitter (there are no permission tables to consult), unless a
 * {@link CandidateScope} narrows task candidates to those under parent jobs the submitter owns (the gateway's users).
 *
 * <p>Set-wise: the candidates of a whole batch of probes come from one query (the probes as arrays, unnested and
 * joined to jobs through the script_parameters_digest index), and the walk runs here over its ordered rows; a task
 * probe's parents come from one more query per batch. Uses the caller's connection as it is: it neither commits nor
 * changes the auto-commit mode, so it can run inside the caller's transaction (beside an open cursor of
 * {@link JobProbes}). Not thread-safe (one connection).
 */
public final class ReuseEngine {

    /** Probes per query: enough to amortize a round trip, few enough to keep arrays and result sets small. */
    static final int CHUNK_SIZE = 1000;

    private static final int FETCH_SIZE = 5000;

    private static final String PARENTS = """
            SELECT uuid, repository, script, script_version, docker_image_locator, arvados_sdk_version, script_parameters
            FROM jobs
            WHERE uuid = ANY (?) AND parent_job_uuid IS NULL
            """;

    /** The candidate query, candidates.sql beside this class: its comments say what each slot is for. */
    private static final String CANDIDATES = SqlText.load(ReuseEngine.class, "candidates.sql");

    private static final String WORLD_MIGRATED = "AND (c.parent_job_uuid IS NOT NULL) = p.task";
    // A task-like job's log is its parent's (docs/architecture.md "The contract"); one created through the gateway while its
    // parent ran was written with the parent's log still NULL, so the walk reads the parent's log through to it. A
    // top-level job has no parent row to join and keeps its own log. The join is by the unique uuid index, one
    // lookup per candidate, so the LATERAL stays an index lookup per probe.
    private static final String LOG_MIGRATED = "COALESCE(c.log, par.log)";
    private static final String PARENT_MIGRATED = "LEFT JOIN jobs par ON par.uuid = c.parent_job_uuid";
    private static final String SCOPE_OWNED_PARENTS = "AND (NOT p.task OR par.owner_uuid = p.owner_uuid)";

    private final Connection connection;
    private final SerializedHashReader reader;
    private final InheritPolicy policy;
    private final TieBreak tieBreak;
    private final CandidateScope scope;

    /**
     * The verifier's engine: every task-like job is a candidate ({@link CandidateScope#EVERY_JOB}).
     *
     * @param yaml   reads YAML-era script_parameters of parent jobs
     * @param policy which parent keys a task inherits: the one the migration used
     */
    public ReuseEngine(Connection connection, YamlDecoder yaml, InheritPolicy policy, TieBreak tieBreak) {
        this(connection, yaml, policy, tieBreak, CandidateScope.EVERY_JOB);
    }

    /**
     * @param scope which task-like jobs a task probe may reuse; top-level probes are not affected
     */
    public ReuseEngine(Connection connection, YamlDecoder yaml, InheritPolicy policy, TieBreak tieBreak,
                       CandidateScope scope) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.reader = new SerializedHashReader(Objects.requireNonNull(yaml, "yaml"));
        this.policy = Objects.requireNonNull(policy, "policy");
        this.tieBreak = Objects.requireNonNull(tieBreak, "tieBreak");
        this.scope = Objects.requireNonNull(scope, "scope");
    }

    /**
     * The outcome of each probe, in the order given. Any number of probes; they are queried
     * {@value #CHUNK_SIZE} at a time.
     *
     * @throws IllegalArgumentException for a probe whose parameters have no canonical JSON (not from
     *     {@link ProbeReader} or {@link JobProbes}, which only make probes that have one)
     */
    public List<ReuseOutcome> evaluate(List<Probe> probes) throws SQLException {
        List<ReuseOutcome> outcomes = new ArrayList<>(probes.size());
        if (probes.isEmpty()) {
            return outcomes;
        }
        // Asked on every call: a long-lived engine may see the database migrated under it.
        boolean migrated = JobsTable.hasParentColumn(connection);
        for (int from = 0; from < probes.size(); from += CHUNK_SIZE) {
            outcomes.addAll(evaluateChunk(probes.subList(from, Math.min(probes.size(), from + CHUNK_SIZE)), migrated));
        }
        return outcomes;
    }

    private List<ReuseOutcome> evaluateChunk(List<Probe> probes, boolean migrated) throws SQLException {
        Map<String, ParentValues> parents = migrated ? parents(probes) : Map.of();
        List<Submission> submissions = new ArrayList<>(probes.size());
        for (Probe probe : probes) {
            submissions.add(submission(probe, migrated, parents));
        }
        CandidateWalk[] walks = candidates(submissions, migrated);
        List<ReuseOutcome> outcomes = new ArrayList<>(probes.size());
        for (int i = 0; i < probes.size(); i++) {
            CandidateWalk walk = walks[i] == null ? new CandidateWalk() : walks[i];
            outcomes.add(walk.outcome(probes.get(i).id()));
        }
        return outcomes;
    }

    /** What the probe asks for, or null when it has nothing to reuse whatever the jobs table holds. */
    private Submission submission(Probe probe, boolean migrated, Map<String, ParentValues> parents) {
        if (!probe.isTask()) {
            if (probe.repository() == null || probe.script() == null) {
                return null; // the server refused such a submission ("repository filter required")
            }
            return new Submission(probe.repository(), probe.script(), probe.scriptVersion(), probe.dockerImageLocator(),
                    probe.arvadosSdkVersion(), digest(probe, probe.scriptParameters()), probe.ownerUuid(), false);
        }
        if (!migrated) {
            return null; // no task-like jobs exist before the migration
        }
        ParentValues parent = parents.get(probe.parentJobUuid());
        if (parent == null || parent.parameters() == null || parent.repository() == null || parent.script() == null) {
            return null;
        }
        // As TaskJobMapping builds a task-like job's script_parameters: the inherited parent keys, then the task's.
        Map<String, Object> merged = new LinkedHashMap<>(policy.inherited(parent.script(), parent.parameters()));
        merged.putAll(probe.scriptParameters());
        return new Submission(parent.repository(), parent.script(), parent.scriptVersion(), parent.dockerImageLocator(),
                parent.arvadosSdkVersion(), digest(probe, merged), probe.ownerUuid(), true);
    }

    private static String digest(Probe probe, Map<String, Object> parameters) {
        try {
            return ParametersDigest.of(parameters);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("probe " + probe.id() + ": script_parameters have no canonical JSON: "
                    + e.getMessage(), e);
        }
    }

    /** The parent jobs the task probes name, read in one query; a parent whose parameters cannot be read maps to null parameters. */
    private Map<String, ParentValues> parents(List<Probe> probes) throws SQLException {
        Set<String> uuids = new LinkedHashSet<>();
        for (Probe probe : probes) {
            if (probe.isTask()) {
                uuids.add(probe.parentJobUuid());
            }
        }
        Map<String, ParentValues> parents = new HashMap<>();
        if (uuids.isEmpty()) {
            return parents;
        }
        try (PreparedStatement st = connection.prepareStatement(PARENTS)) {
            Array array = connection.createArrayOf("text", uuids.toArray());
            st.setArray(1, array);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> parameters;
                    try {
                        parameters = reader.read(rs.getString("script_parameters"));
                    } catch (UnparseableHashException e) {
                        parameters = null; // the backfill quarantines such a parent's tasks: nothing of it to reuse
                    }
                    parents.put(rs.getString("uuid"), new ParentValues(rs.getString("repository"), rs.getString("script"),
                            rs.getString("script_version"), rs.getString("docker_image_locator"),
                            rs.getString("arvados_sdk_version"), parameters));
                }
            } finally {
                array.free();
            }
        }
        return parents;
    }

    /** One query for every submission; the walk of each probe, by position (null where it had no candidate). */
    private CandidateWalk[] candidates(List<Submission> submissions, boolean migrated) throws SQLException {
        CandidateWalk[] walks = new CandidateWalk[submissions.size()];
        int[] positions = new int[submissions.size()];
        int n = 0;
        for (int i = 0; i < submissions.size(); i++) {
            if (submissions.get(i) != null) {
                positions[n++] = i;
            }
        }
        if (n == 0) {
            return walks;
        }
        String[][] columns = new String[7][n];
        Boolean[] task = new Boolean[n];
        for (int k = 0; k < n; k++) {
            Submission s = submissions.get(positions[k]);
            columns[0][k] = s.repository();
            columns[1][k] = s.script();
            columns[2][k] = s.scriptVersion();
            columns[3][k] = s.dockerImageLocator();
            columns[4][k] = s.arvadosSdkVersion();
            columns[5][k] = s.digest();
            columns[6][k] = s.ownerUuid();
            task[k] = s.task();
        }
        String sql = candidatesSql(migrated, tieBreak, scope);
        List<Array> arrays = new ArrayList<>(8);
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            for (String[] column : columns) {
                arrays.add(connection.createArrayOf("text", column));
            }
            arrays.add(connection.createArrayOf("boolean", task));
            for (int a = 0; a < arrays.size(); a++) {
                st.setArray(a + 1, arrays.get(a));
            }
            // Takes effect only inside a transaction (JobProbes runs in one); otherwise the driver reads all rows.
            st.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    int position = positions[(int) rs.getLong(1) - 1];
                    CandidateWalk walk = walks[position];
                    if (walk == null) {
                        walk = new CandidateWalk();
                        walks[position] = walk;
                    }
                    walk.accept(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
                }
            }
        } finally {
            for (Array array : arrays) {
                array.free();
            }
        }
        return walks;
    }

    /**
     * The candidate query: parameters 1-7 are text arrays (repository, script, script_version, image, sdk, digest,
     * owner_uuid), 8 a boolean array (task), one element per probe.
     */
    static String candidatesSql(boolean migrated, TieBreak tieBreak) {
        return candidatesSql(migrated, tieBreak, CandidateScope.EVERY_JOB);
    }

    /** As above; before the migration there are no task-like jobs, so neither the parent's log nor the scope applies. */
    static String candidatesSql(boolean migrated, TieBreak tieBreak, CandidateScope scope) {
        String world = !migrated ? ""
                : scope == CandidateScope.PARENTS_OWNED_BY_SUBMITTER ? WORLD_MIGRATED + "\n      " + SCOPE_OWNED_PARENTS
                : WORLD_MIGRATED;
        return SqlText.fill(CANDIDATES, Map.of(
                "log", migrated ? LOG_MIGRATED : "c.log",
                "parent", migrated ? PARENT_MIGRATED : "",
                "world", world,
                "tie", tieBreak.sql()));
    }

    /** The columns of a parent job a task probe takes; {@code parameters} null when they cannot be read. */
    private record ParentValues(String repository, String script, String scriptVersion, String dockerImageLocator,
                                String arvadosSdkVersion, Map<String, Object> parameters) {
    }
}
