package org.arvados.tasksasjobs.verification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/** Writes hand-made Arvados rows for tests: only the columns a test cares about, the rest realistic defaults. */
final class ArvadosRows {

    static final LocalDateTime T0 = LocalDateTime.of(2016, 3, 1, 12, 0, 0, 123_456_000);

    private final Connection c;

    ArvadosRows(Connection c) {
        this.c = c;
    }

    /** A job; state drives the legacy flags the way Arvados keeps them in step. */
    void job(String uuid, String state, String scriptParameters) throws SQLException {
        job(uuid, state, "Running".equals(state), switch (state) {
            case "Complete" -> Boolean.TRUE;
            case "Failed", "Cancelled" -> Boolean.FALSE;
            default -> null;
        }, scriptParameters);
    }

    /** A job from before the state column: only its legacy flags say where it is. */
    void jobWithoutState(String uuid, boolean running, Boolean success, String scriptParameters) throws SQLException {
        job(uuid, null, running, success, scriptParameters);
    }

    private void job(String uuid, String state, boolean running, Boolean success, String scriptParameters) throws SQLException {
        String sql = """
                INSERT INTO jobs (uuid, owner_uuid, script, script_version, supplied_script_version, repository,
                    docker_image_locator, arvados_sdk_version, runtime_constraints, nondeterministic, script_parameters,
                    state, running, success, log, output, created_at, updated_at, modified_at, priority, description,
                    script_parameters_digest)
                VALUES (?, 'zzzzz-tpzed-000000000000000', 'hash', 'a1f7b8a3e6e2c9d0b4e5f6a7b8c9d0e1f2a3b4c5', 'master',
                    'active/foo', 'b519d9cb706a29fc7ea24dbea2f05851+249025', NULL, '{"docker_image":"arvados/jobs"}', NULL, ?,
                    ?, ?, ?, 'd41d8cd98f00b204e9800998ecf8427e+0', NULL, ?, ?, ?, 0, 'Gr\u00fc\u00dfe, \u65e5\u672c', md5(?))
                """;
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, uuid);
            st.setString(2, scriptParameters);
            st.setString(3, state);
            st.setObject(4, running);
            st.setObject(5, success);
            st.setObject(6, T0);
            st.setObject(7, T0);
            st.setObject(8, T0);
            st.setString(9, scriptParameters);
            st.executeUpdate();
        }
    }

    /** A task with the columns that matter to the mapping; returns its id. */
    long task(String uuid, String jobUuid, String parameters, Boolean success, String output, String createdBy, boolean started)
            throws SQLException {
        String sql = """
                INSERT INTO job_tasks (uuid, owner_uuid, modified_by_client_uuid, modified_by_user_uuid, modified_at, job_uuid,
                    sequence, parameters, output, progress, success, created_at, updated_at, created_by_job_task_uuid,
                    qsequence, started_at, finished_at)
                VALUES (?, 'zzzzz-tpzed-000000000000000', 'zzzzz-ozdt8-000000000000000', NULL, ?, ?,
                    ?, ?, ?, ?, ?, ?, ?, ?, nextval('job_tasks_qsequence_seq'), ?, ?)
                RETURNING id
                """;
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, uuid);
            st.setObject(2, T0.plusSeconds(5));
            st.setString(3, jobUuid);
            st.setObject(4, createdBy == null ? 0 : 1);
            st.setString(5, parameters);
            st.setString(6, output);
            st.setObject(7, success == null ? 0.5 : 1.0);
            st.setObject(8, success);
            st.setObject(9, T0.plusSeconds(1));
            st.setObject(10, T0.plusSeconds(5));
            st.setString(11, createdBy);
            st.setObject(12, started ? T0.plusSeconds(2) : null);
            st.setObject(13, success == null ? null : T0.plusSeconds(4));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    int execute(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                st.setObject(i + 1, parameters[i]);
            }
            return st.executeUpdate();
        }
    }

    String scalar(String sql, Object... parameters) throws SQLException {
        List<String> column = column(sql, parameters);
        return column.isEmpty() ? null : column.get(0);
    }

    List<String> column(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                st.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                List<String> values = new ArrayList<>();
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
                return values;
            }
        }
    }

    long count(String sql, Object... parameters) throws SQLException {
        return Long.parseLong(scalar(sql, parameters));
    }

    void statement(String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
