package org.arvados.tasksasjobs.gateway.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import javax.sql.DataSource;
import org.arvados.tasksasjobs.gateway.ArvadosUsers;
import org.arvados.tasksasjobs.mapping.InheritPolicy;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.arvados.tasksasjobs.yaml.SnakeYamlDecoder;
import org.postgresql.ds.PGSimpleDataSource;

/** Parent jobs, callers and services over a test's migrated database; a fixed clock so two writes can be compared. */
final class GatewayRows {

    static final String ALICE_JOB = "zzzzz-8i9sb-alicejob0000001";
    static final String ALICE_OTHER_JOB = "zzzzz-8i9sb-alicejob0000002";
    static final String BOB_JOB = "zzzzz-8i9sb-bobjob000000001";
    static final String COMMIT = "a1f7b8a3e6e2c9d0b4e5f6a7b8c9d0e1f2a3b4c5";
    static final String LOG = "d41d8cd98f00b204e9800998ecf8427e+0";
    static final String INPUT = "fa7aeb5140e2848d39b416daeef4ffc5+45";
    static final String MANIFEST = ". 37b51d194a7513e45b56f6524f2d51f2+3 0:3:out.txt\n";
    static final LocalDateTime T0 = LocalDateTime.of(2016, 3, 1, 12, 0, 0);
    static final Instant NOW = Instant.parse("2026-01-02T03:04:05.123456Z");

    static final Caller ALICE = new Caller(ArvadosUsers.ALICE, false, null);
    static final Caller BOB = new Caller(ArvadosUsers.BOB, false, null);
    static final Caller ADMIN = new Caller(ArvadosUsers.ADMIN, true, null);

    static final ObjectMapper JSON = new ObjectMapper();

    private final TestDatabase db;
    final DataSource dataSource;

    GatewayRows(TestDatabase db) {
        this.db = db;
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(db.jdbcUrl());
        source.setUser(db.user());
        source.setPassword(db.password());
        this.dataSource = source;
    }

    JobTasksService tasks() {
        return new JobTasksService(dataSource, new SnakeYamlDecoder(), InheritPolicy.ALL, Clock.fixed(NOW, ZoneOffset.UTC),
                new SplittableRandom(1));
    }

    JobsService jobs() {
        return new JobsService(dataSource, new SnakeYamlDecoder(), InheritPolicy.ALL, Clock.fixed(NOW, ZoneOffset.UTC),
                new SplittableRandom(2));
    }

    /** A Running top-level job of {@code owner}, without log yet, as a job whose tasks are being created. */
    String job(String uuid, String owner, String scriptParameters) throws SQLException {
        return job(uuid, owner, scriptParameters, "Running", null);
    }

    String job(String uuid, String owner, String scriptParameters, String state, String log) throws SQLException {
        execute("""
                INSERT INTO jobs (uuid, owner_uuid, repository, script, script_version, script_parameters,
                    script_parameters_digest, docker_image_locator, state, running, success, log, runtime_constraints,
                    tasks_summary, created_at, updated_at, modified_at, started_at)
                VALUES (?, ?, 'active/foo', 'hash', ?, ?, md5(?), NULL, ?, ? = 'Running', NULL, ?, '{}', ?, ?, ?, ?, ?)
                """, uuid, owner, COMMIT, scriptParameters, scriptParameters, state, state, log, "not a hash",
                T0, T0, T0, T0);
        return uuid;
    }

    int execute(String sql, Object... values) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                st.setObject(i + 1, values[i]);
            }
            return st.executeUpdate();
        }
    }

    String scalar(String sql, Object... values) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                st.setObject(i + 1, values[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Every column of the jobs row with that uuid (id included), by name. */
    Map<String, Object> row(String uuid) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement("SELECT * FROM jobs WHERE uuid = ?")) {
            st.setString(1, uuid);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                ResultSetMetaData meta = rs.getMetaData();
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnName(i), rs.getObject(i));
                }
                return row;
            }
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Caller calling(Caller caller, String task) {
        return new Caller(caller.userUuid(), caller.admin(), task);
    }
}
