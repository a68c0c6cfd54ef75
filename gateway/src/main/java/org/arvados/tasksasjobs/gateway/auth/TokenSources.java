package org.arvados.tasksasjobs.gateway.auth;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import javax.sql.DataSource;
import org.arvados.tasksasjobs.mapping.YamlDecoder;

/**
 * Chooses where tokens come from. A tokens file, when the operator gives one, wins: it is an explicit choice
 * (a test bed, or a copy of the database whose token rows must not be honoured), so it is never second-guessed.
 * Without one, the database's {@code api_client_authorizations} and {@code users} tables are used when both
 * exist; with neither, the gateway refuses to start rather than serve without authentication.
 */
public final class TokenSources {

    private static final String TABLE_EXISTS = """
            SELECT count(*) FROM information_schema.tables
            WHERE table_schema = ANY (current_schemas(false)) AND table_name IN ('api_client_authorizations', 'users')
            """;

    private TokenSources() {
    }

    /**
     * The token source for a gateway over {@code dataSource}.
     *
     * @param tokensFile the {@code --tokens} file, or null
     * @throws IllegalArgumentException when there is no tokens file and the tables are missing, or the file is
     *         malformed (a one-line message)
     * @throws IOException when the tokens file cannot be read
     * @throws SQLException when the database cannot be asked whether the tables exist
     */
    public static TokenSource choose(DataSource dataSource, Path tokensFile, YamlDecoder yaml, Clock clock)
            throws IOException, SQLException {
        if (tokensFile != null) {
            return TokensFile.read(tokensFile);
        }
        if (hasTokenTables(dataSource)) {
            return new DatabaseTokens(dataSource, yaml, clock);
        }
        throw new IllegalArgumentException(
                "no api_client_authorizations table in this database; give --tokens FILE");
    }

    /** Whether both {@code api_client_authorizations} and {@code users} are visible on the search path. */
    public static boolean hasTokenTables(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(TABLE_EXISTS);
                ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getInt(1) == 2;
        }
    }
}
