package org.arvados.tasksasjobs.gateway;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The cluster's uuid prefix (its ClusterID), which the discovery document announces as {@code uuidPrefix}: read off
 * the database as the prefix of the cluster's system user ({@code xxxxx-tpzed-000000000000000}, created with every
 * Arvados database), or failing that (a copy without the users table) of its oldest job. {@code serve
 * --uuid-prefix} overrides it.
 */
final class ClusterPrefix {

    private static final String SYSTEM_USER = "SELECT substr(uuid, 1, 5) FROM users"
            + " WHERE uuid LIKE '_____-tpzed-000000000000000' ORDER BY id LIMIT 1";
    private static final String OLDEST_JOB = "SELECT substr(uuid, 1, 5) FROM jobs"
            + " WHERE parent_job_uuid IS NULL ORDER BY id LIMIT 1";

    private ClusterPrefix() {
    }

    static String read(DataSource dataSource) throws GatewayStartException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            if (first(s, "SELECT CASE WHEN to_regclass('users') IS NULL THEN NULL ELSE 'yes' END") != null) {
                String prefix = first(s, SYSTEM_USER);
                if (prefix != null) {
                    return prefix;
                }
            }
            String prefix = first(s, OLDEST_JOB);
            if (prefix != null) {
                return prefix;
            }
        } catch (SQLException e) {
            throw new GatewayStartException("cannot read this cluster's uuid prefix: " + e.getMessage().lines()
                    .findFirst().orElse("") + "; give --uuid-prefix", e);
        }
        throw new GatewayStartException("cannot tell this cluster's uuid prefix (no system user, no jobs);"
                + " give --uuid-prefix");
    }

    private static String first(Statement s, String query) throws SQLException {
        try (ResultSet r = s.executeQuery(query)) {
            return r.next() ? r.getString(1) : null;
        }
    }
}
