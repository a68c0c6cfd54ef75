package org.arvados.tasksasjobs.gateway.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Calendar;
import java.util.Optional;
import java.util.TimeZone;
import javax.sql.DataSource;
import org.arvados.tasksasjobs.mapping.YamlDecoder;

/**
 * Tokens as the Arvados API server kept them: {@code api_client_authorizations} joined to {@code users}
 * (docs/arvados.md §7). Every lookup asks the database, so a token revoked or a user disabled there takes effect
 * on the next request.
 */
final class DatabaseTokens implements TokenSource {

    private static final String LOOKUP = """
            SELECT u.uuid, u.is_admin, u.is_active, a.expires_at, a.scopes
            FROM api_client_authorizations a JOIN users u ON u.id = a.user_id
            WHERE a.api_token = ?
            """;

    /** A v2 token names its row too: both must match. */
    private static final String LOOKUP_V2 = LOOKUP + "AND a.uuid = ?\n";

    /** api_client_authorizations.uuid came with v2 tokens; a database from before them has no such column. */
    private static final String HAS_UUID = """
            SELECT EXISTS (SELECT 1 FROM information_schema.columns
                           WHERE table_schema = ANY (current_schemas(false))
                             AND table_name = 'api_client_authorizations' AND column_name = 'uuid')
            """;

    private final DataSource dataSource;
    private final TokenScopes scopes;
    private final Clock clock;
    private final boolean v2Tokens;

    /** @throws SQLException when the database cannot say which columns its token table has */
    DatabaseTokens(DataSource dataSource, YamlDecoder yaml, Clock clock) throws SQLException {
        this.dataSource = dataSource;
        this.scopes = new TokenScopes(yaml);
        this.clock = clock;
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(HAS_UUID);
             ResultSet rs = st.executeQuery()) {
            rs.next();
            this.v2Tokens = rs.getBoolean(1);
        }
    }

    @Override
    public Optional<TokenOwner> find(String token) throws SQLException {
        PresentedToken presented = PresentedToken.parse(token);
        if (presented.uuid() != null && !v2Tokens) {
            return Optional.empty(); // no row can carry that uuid: unknown, as the API server of that time said (401)
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement(presented.uuid() == null ? LOOKUP : LOOKUP_V2)) {
            st.setString(1, presented.secret());
            if (presented.uuid() != null) {
                st.setString(2, presented.uuid());
            }
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                // Arvados writes expires_at as UTC wall-clock time without a zone; reading it through a UTC
                // calendar keeps the comparison right whatever the JVM's or the session's time zone is.
                Timestamp expiresAt = rs.getTimestamp(4, Calendar.getInstance(TimeZone.getTimeZone("UTC")));
                if (expiresAt != null && !expiresAt.toInstant().isAfter(clock.instant())) {
                    return Optional.empty();
                }
                return Optional.of(new TokenOwner(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3),
                        scopes.read(rs.getString(5))));
            }
        }
    }
}
