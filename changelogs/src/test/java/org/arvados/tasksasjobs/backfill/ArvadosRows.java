package org.arvados.tasksasjobs.backfill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;

/** Writes hand-made Arvados rows for tests: only the columns a test cares about, the rest realistic defaults. */
final class ArvadosRows {

    static final LocalDateTime T0 = LocalDateTime.of(2016, 3, 1, 12, 0, 0, 123_456_000);

    private final Connection c;

    ArvadosRows(Connection c) {
        this.c = c;
    }

    /** A job; state drives the legacy flags the way Arvados keeps them in step. */
    void job(String uuid, String state, String scriptParameters) throws SQLException {
        String sql = """
                INSERT INTO jobs (uuid, owner_uuid, script, script_version, supplied_script_version, repository,
                    docker_image_locator, arvados_sdk_version, runtime_constraints, nondeterministic, script_parameters,
                    state, running, success, log, output, created_at, updated_at, modified_at, priority)
                VALUES (?, 'zzzzz-tpzed-000000000000000', 'hash', 'a1f7b8a3e6e2c9d0b4e5f6a7b8c9d0e1f2a3b4c5', 'master',
                    'active/foo', 'b519d9cb706a29fc7ea24dbea2f05851+249025', NULL, '{"docker_image":"arvados/jobs"}', NULL, ?,
                    ?, ?, ?, 'd41d8cd98f00b204e9800998ecf8427e+0', NULL, ?, ?, ?, 0)
                """;
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, uuid);
            st.setString(2, scriptParameters);
            st.setString(3, state);
            st.setObject(4, "Running".equals(state));
            st.setObject(5, switch (state) {
                case "Complete" -> Boolean.TRUE;
                case "Failed", "Cancelled" -> Boolean.FALSE;
                default -> null;
            });
            st.setObject(6, T0);
            st.setObject(7, T0);
            st.setObject(8, T0);
            st.executeUpdate();
        }
    }

    /** A task with the columns that matter to the mapping; returns its id. */
    long task(String uuid, String jobUuid, String parameters, Boolean success, String output, String createdBy) throws SQLException {
        String sql = """
                INSERT INTO job_tasks (uuid, owner_uuid, modified_by_client_uuid, modified_by_user_uuid, modified_at, job_uuid,
                    sequence, parameters, output, progress, success, created_at, updated_at, created_by_job_task_uuid,
                    qsequence, started_at, finished_at)
                VALUES (?, 'zzzzz-tpzed-000000000000000', 'zzzzz-ozdt8-000000000000000', 'zzzzz-tpzed-000000000000000', ?, ?,
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
            st.setObject(12, T0.plusSeconds(2));
            st.setObject(13, success == null ? null : T0.plusSeconds(4));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    long scalarLong(String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    String scalar(String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** A checksum over every column of every row of a table (columns dropped by a rollback are gone from it). */
    String checksum(String table) throws SQLException {
        return scalar("SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM " + table + " t");
    }
}
