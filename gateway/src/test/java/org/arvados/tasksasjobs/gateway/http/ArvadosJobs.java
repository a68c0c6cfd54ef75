package org.arvados.tasksasjobs.gateway.http;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.Map;
import org.arvados.tasksasjobs.gateway.Gateway;
import org.arvados.tasksasjobs.gateway.GatewaySettings;
import org.arvados.tasksasjobs.gateway.GatewayStartException;
import org.arvados.tasksasjobs.mapping.CanonicalJson;
import org.arvados.tasksasjobs.mapping.ParametersDigest;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.arvados.tasksasjobs.yaml.SnakeYamlDecoder;

/** Top-level jobs as the Arvados API server wrote them, and a gateway over a test database. */
final class ArvadosJobs {

    static final String REPOSITORY = "alice/hash";
    static final String COMMIT = "a1f7b8a3e6e2c9d0b4e5f6a7b8c9d0e1f2a3b4c5";
    static final String IMAGE = "b519d9cb706a29fc7ea24dbea2f05851+249025";
    static final String LOG = "d41d8cd98f00b204e9800998ecf8427e+0";
    static final LocalDateTime T0 = LocalDateTime.of(2016, 3, 1, 12, 0, 0);

    private ArvadosJobs() {
    }

    /** A Running top-level job of {@code owner} running {@code script} with {@code parameters}. */
    static void insertRunning(Connection c, String uuid, String owner, String script, Map<String, ?> parameters)
            throws SQLException {
        String sql = """
                INSERT INTO jobs (uuid, owner_uuid, modified_by_user_uuid, modified_at, created_at, updated_at,
                    script, script_version, supplied_script_version, repository, script_parameters,
                    script_parameters_digest, runtime_constraints, docker_image_locator, started_at,
                    running, success, state, log, priority)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'master', ?, ?, ?, '{}', ?, ?, true, NULL, 'Running', ?, 1)
                """;
        String canonical = CanonicalJson.write(parameters);
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, uuid);
            st.setString(2, owner);
            st.setString(3, owner);
            st.setObject(4, T0);
            st.setObject(5, T0);
            st.setObject(6, T0);
            st.setString(7, script);
            st.setString(8, COMMIT);
            st.setString(9, REPOSITORY);
            st.setString(10, canonical);
            st.setString(11, ParametersDigest.ofCanonical(canonical));
            st.setString(12, IMAGE);
            st.setObject(13, T0);
            st.setString(14, LOG);
            st.executeUpdate();
        }
    }

    /** A gateway on loopback, any free port, four threads, over {@code db} with its own token tables. */
    static Gateway gateway(TestDatabase db) throws GatewayStartException {
        return Gateway.start(settings(db), java.time.Clock.systemUTC(), System.err); // no access log in tests
    }

    static GatewaySettings settings(TestDatabase db) {
        return GatewaySettings.of(db.jdbcUrl(), db.user(), db.password(), new SnakeYamlDecoder()).withThreads(4);
    }
}
