package org.arvados.tasksasjobs.examples.hash;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.client.LocalKeep;
import org.arvados.tasksasjobs.client.Manifest;
import org.arvados.tasksasjobs.mapping.CanonicalJson;
import org.arvados.tasksasjobs.mapping.ParametersDigest;

/** A hash job as the API server held it, its input collection in a local Keep, and its task-like jobs read back. */
final class HashJobs {

    static final String REPOSITORY = "arvados";
    static final String COMMIT = "c0ffee0ddba11c0ffee0ddba11c0ffee0ddba11c";
    static final String IMAGE = "b519d9cb706a29fc7ea24dbea2f05851+249025";
    static final String LOG = "9f7b4d1e0a2c3b5d6e7f8091a2b3c4d5+1234";
    static final LocalDateTime T0 = LocalDateTime.of(2016, 3, 1, 12, 0, 0);

    /** The input files: two in the top stream, one (non-ASCII, with a space) in a sub-directory. */
    static final Map<String, String> FILES = Map.of(
            "alpha.txt", "alpha\n",
            "beta.txt", "beta beta\n",
            "sub/gr\u00fcn file.txt", "gr\u00fcn \u2603\n");

    private HashJobs() {
    }

    /** Stores {@link #FILES} as one collection in {@code keep}; returns its portable data hash. */
    static String putInput(LocalKeep keep) throws Exception {
        StringBuilder top = new StringBuilder(".");
        StringBuilder sub = new StringBuilder("./sub");
        long topOffset = 0;
        long subOffset = 0;
        List<String> topFiles = new ArrayList<>();
        List<String> subFiles = new ArrayList<>();
        for (String name : FILES.keySet().stream().sorted().toList()) {
            byte[] content = FILES.get(name).getBytes(StandardCharsets.UTF_8);
            String locator = keep.put(content);
            if (name.startsWith("sub/")) {
                sub.append(' ').append(locator);
                subFiles.add(subOffset + ":" + content.length + ":" + Manifest.escape(name.substring(4)));
                subOffset += content.length;
            } else {
                top.append(' ').append(locator);
                topFiles.add(topOffset + ":" + content.length + ":" + Manifest.escape(name));
                topOffset += content.length;
            }
        }
        String manifest = top + " " + String.join(" ", topFiles) + "\n" + sub + " " + String.join(" ", subFiles) + "\n";
        return keep.putManifest(manifest);
    }

    static LocalKeep keep(Path directory) {
        return new LocalKeep(directory);
    }

    /** A Running top-level hash job of {@code owner}, as the API server left it when crunch-job locked it. */
    static void insertRunning(Connection c, String uuid, String owner, Map<String, ?> parameters) throws SQLException {
        String canonical = CanonicalJson.write(parameters);
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO jobs (uuid, owner_uuid, modified_by_user_uuid, modified_at, created_at, updated_at,
                    script, script_version, supplied_script_version, repository, script_parameters,
                    script_parameters_digest, runtime_constraints, docker_image_locator, started_at,
                    running, success, state, priority)
                VALUES (?, ?, ?, ?, ?, ?, 'hash', ?, 'master', ?, ?, ?, '{}', ?, ?, true, NULL, 'Running', 1)
                """)) {
            st.setString(1, uuid);
            st.setString(2, owner);
            st.setString(3, owner);
            st.setObject(4, T0);
            st.setObject(5, T0);
            st.setObject(6, T0);
            st.setString(7, COMMIT);
            st.setString(8, REPOSITORY);
            st.setString(9, canonical);
            st.setString(10, ParametersDigest.ofCanonical(canonical));
            st.setString(11, IMAGE);
            st.setObject(12, T0);
            st.executeUpdate();
        }
    }

    /** The job ends as crunch-job ended it: Complete, with its log collection. */
    static void complete(Connection c, String uuid) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE jobs SET state = 'Complete', running = false, success = true, log = ? WHERE uuid = ?")) {
            st.setString(1, LOG);
            st.setString(2, uuid);
            st.executeUpdate();
        }
    }

    /**
     * The task-like jobs of {@code parent}, in task order, with every column the contract sets except uuids and
     * times (which differ from run to run), the creator named by its parameters, and nondeterministic apart.
     */
    static List<Map<String, Object>> taskLikeJobs(Connection c, String parent) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("""
                SELECT t.task_sequence, t.task_qsequence, t.task_parameters, t.script_parameters,
                       t.script_parameters_digest, t.state, t.running, t.success, t.output, t.task_output,
                       t.task_progress, t.script, t.script_version, t.supplied_script_version, t.repository,
                       t.docker_image_locator, t.arvados_sdk_version, t.runtime_constraints, t.log, t.priority,
                       t.owner_uuid, t.modified_by_user_uuid, t.submit_id, t.is_locked_by_uuid, t.tasks_summary,
                       t.components, t.description,
                       c.task_parameters AS creator_parameters,
                       t.legacy_created_by_task_uuid IS NOT DISTINCT FROM c.legacy_task_uuid AS creator_consistent,
                       t.uuid = substr(t.legacy_task_uuid, 1, 6) || '8i9sb' || substr(t.legacy_task_uuid, 12)
                           AS uuid_derived
                FROM jobs t LEFT JOIN jobs c ON c.uuid = t.created_by_job_uuid
                WHERE t.parent_job_uuid = ?
                ORDER BY t.task_sequence, t.task_parameters
                """)) {
            st.setString(1, parent);
            try (ResultSet rs = st.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /** task_parameters -> whether the task is impure (nondeterministic is true), for the task-like jobs of {@code parent}. */
    static Map<String, Boolean> impurity(Connection c, String parent) throws SQLException {
        Map<String, Boolean> out = new LinkedHashMap<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT task_parameters, nondeterministic IS TRUE FROM jobs WHERE parent_job_uuid = ? ORDER BY task_sequence, task_parameters")) {
            st.setString(1, parent);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getBoolean(2));
                }
            }
        }
        return out;
    }
}
