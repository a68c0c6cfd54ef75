package org.arvados.tasksasjobs.reuse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.backfill.BackfillListener;
import org.arvados.tasksasjobs.backfill.BackfillSettings;
import org.arvados.tasksasjobs.changelog.MigrationChangelog;
import org.arvados.tasksasjobs.changelog.Phase;
import org.arvados.tasksasjobs.mapping.InheritPolicy;
import org.arvados.tasksasjobs.mapping.ParametersDigest;
import org.arvados.tasksasjobs.mapping.SerializedHashReader;
import org.arvados.tasksasjobs.mapping.UnparseableHashException;
import org.arvados.tasksasjobs.yaml.SnakeYamlDecoder;

/**
 * Writes hand-made Arvados rows for reuse tests: a job differs from the defaults only where a test says so, and is
 * created a minute after the one before, so "oldest" is the order of the calls unless a test sets created_at.
 */
final class JobRows {

    static final String OWNER = "zzzzz-tpzed-submitter000001";
    static final String OTHER_USER = "zzzzz-tpzed-someoneelse00001";
    static final String REPOSITORY = "active/foo";
    static final String SCRIPT = "hash";
    static final String COMMIT = "a1f7b8a3e6e2c9d0b4e5f6a7b8c9d0e1f2a3b4c5";
    static final String OTHER_COMMIT = "0000000000000000000000000000000000000001";
    static final String IMAGE = "b519d9cb706a29fc7ea24dbea2f05851+249025";
    static final String OTHER_IMAGE = "d41d8cd98f00b204e9800998ecf8427e+0";
    static final String INPUT = "fa7aeb5140e2848d39b416daeef4ffc5+45";
    static final String PARAMETERS = "{\"input\":\"" + INPUT + "\"}";
    static final String OUTPUT = "37b51d194a7513e45b56f6524f2d51f2+67";
    static final String OTHER_OUTPUT = "acbd18db4cc2f85cedef654fccc4a4d8+3";
    static final String LOG = "d41d8cd98f00b204e9800998ecf8427e+0";
    static final LocalDateTime T0 = LocalDateTime.of(2016, 3, 1, 12, 0, 0);

    static final SnakeYamlDecoder YAML = new SnakeYamlDecoder();

    private final Connection c;
    private int created;

    JobRows(Connection c) {
        this.c = c;
    }

    /** A Complete job of OWNER: repository, script, commit, image, PARAMETERS, OUTPUT and LOG as above. */
    Job job(String uuid) {
        return new Job(uuid, T0.plusMinutes(created++));
    }

    /** A top-level probe of OWNER asking for exactly what {@link #job} makes. */
    static Probe probe(String id) {
        return new Probe(id, REPOSITORY, SCRIPT, COMMIT, Map.of("input", INPUT), IMAGE, null, OWNER, null);
    }

    /** A task probe of OWNER under {@code parent} with the task's own parameters. */
    static Probe taskProbe(String id, String parent, Map<String, Object> parameters) {
        return new Probe(id, null, null, null, parameters, null, null, OWNER, parent);
    }

    /** A job_tasks row, finished as {@code success} says. */
    void task(String uuid, String jobUuid, String parameters, Boolean success, String output) throws SQLException {
        String sql = """
                INSERT INTO job_tasks (uuid, owner_uuid, modified_at, job_uuid, sequence, parameters, output, progress, success,
                    created_at, updated_at, qsequence, started_at, finished_at)
                VALUES (?, ?, ?, ?, 1, ?, ?, 1.0, ?, ?, ?, nextval('job_tasks_qsequence_seq'), ?, ?)
                """;
        try (PreparedStatement st = c.prepareStatement(sql)) {
            LocalDateTime at = T0.plusMinutes(created++);
            st.setString(1, uuid);
            st.setString(2, OWNER);
            st.setObject(3, at);
            st.setString(4, jobUuid);
            st.setString(5, parameters);
            st.setString(6, output);
            st.setObject(7, success);
            st.setObject(8, at);
            st.setObject(9, at);
            st.setObject(10, at);
            st.setObject(11, success == null ? null : at);
            st.executeUpdate();
        }
    }

    /** Runs expand and backfill, as migrate does. */
    void migrate() throws Exception {
        migrate(InheritPolicy.ALL);
    }

    void migrate(InheritPolicy policy) throws Exception {
        new MigrationChangelog(c).update(List.of(Phase.EXPAND, Phase.BACKFILL),
                BackfillSettings.defaults().withInheritPolicy(policy), BackfillListener.NONE);
    }

    /** Runs expand only: the new columns exist, no task is carried yet. */
    void expand() throws Exception {
        new MigrationChangelog(c).update(List.of(Phase.EXPAND), BackfillSettings.defaults(), BackfillListener.NONE);
    }

    String scalar(String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The digest Arvados stored with a job: of its parameters, canonical. */
    static String digestOf(String scriptParameters) {
        try {
            return ParametersDigest.of(new SerializedHashReader(YAML).read(scriptParameters));
        } catch (UnparseableHashException e) {
            return null; // rows whose parameters are unreadable carry no meaningful digest
        }
    }

    /** One job row to be; change what the test is about, then {@link #insert()}. */
    final class Job {
        private final String uuid;
        private LocalDateTime createdAt;
        private String owner = OWNER;
        private String repository = REPOSITORY;
        private String script = SCRIPT;
        private String scriptVersion = COMMIT;
        private String parameters = PARAMETERS;
        private String digest;
        private boolean digestSet;
        private String image = IMAGE;
        private String sdk;
        private String state = "Complete";
        private String output = OUTPUT;
        private String log = LOG;
        private Boolean nondeterministic;
        private String parent;
        private String legacyTaskUuid;

        private Job(String uuid, LocalDateTime createdAt) {
            this.uuid = uuid;
            this.createdAt = createdAt;
        }

        Job createdAt(LocalDateTime at) {
            createdAt = at;
            return this;
        }

        Job owner(String value) {
            owner = value;
            return this;
        }

        Job repository(String value) {
            repository = value;
            return this;
        }

        Job script(String value) {
            script = value;
            return this;
        }

        Job scriptVersion(String value) {
            scriptVersion = value;
            return this;
        }

        /** The serialized text; the digest follows it unless set. */
        Job parameters(String value) {
            parameters = value;
            return this;
        }

        Job digest(String value) {
            digest = value;
            digestSet = true;
            return this;
        }

        Job image(String value) {
            image = value;
            return this;
        }

        Job sdk(String value) {
            sdk = value;
            return this;
        }

        /** Queued and Running jobs have no output or log yet. */
        Job state(String value) {
            state = value;
            if (!"Complete".equals(value)) {
                output = null;
                log = null;
            }
            return this;
        }

        Job output(String value) {
            output = value;
            return this;
        }

        Job log(String value) {
            log = value;
            return this;
        }

        Job nondeterministic(Boolean value) {
            nondeterministic = value;
            return this;
        }

        /** Makes it a task-like job (after expand). */
        Job parent(String parentUuid, String legacyTask) {
            parent = parentUuid;
            legacyTaskUuid = legacyTask;
            return this;
        }

        /** Writes the row; returns its uuid. */
        String insert() throws SQLException {
            List<String> columns = new ArrayList<>(List.of("uuid", "owner_uuid", "repository", "script", "script_version",
                    "script_parameters", "script_parameters_digest", "docker_image_locator", "arvados_sdk_version", "state",
                    "running", "success", "output", "log", "nondeterministic", "created_at", "updated_at", "modified_at"));
            List<Object> values = new ArrayList<>();
            values.add(uuid);
            values.add(owner);
            values.add(repository);
            values.add(script);
            values.add(scriptVersion);
            values.add(parameters);
            values.add(digestSet ? digest : digestOf(parameters));
            values.add(image);
            values.add(sdk);
            values.add(state);
            values.add("Running".equals(state));
            values.add("Complete".equals(state) ? Boolean.TRUE : "Failed".equals(state) || "Cancelled".equals(state) ? Boolean.FALSE : null);
            values.add(output);
            values.add(log);
            values.add(nondeterministic);
            values.add(createdAt);
            values.add(createdAt);
            values.add(createdAt);
            if (parent != null) {
                columns.add("parent_job_uuid");
                values.add(parent);
                columns.add("legacy_task_uuid");
                values.add(legacyTaskUuid);
            }
            String sql = "INSERT INTO jobs (" + String.join(", ", columns) + ") VALUES ("
                    + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
            try (PreparedStatement st = c.prepareStatement(sql)) {
                for (int i = 0; i < values.size(); i++) {
                    st.setObject(i + 1, values.get(i));
                }
                st.executeUpdate();
            }
            return uuid;
        }
    }
}
