package org.arvados.tasksasjobs.gateway.auth;

import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ADMIN;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ADMIN_TOKEN;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE_TOKEN;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.BOB;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.BOB_TOKEN;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.CAROL;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.EXPIRED_TOKEN;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.INACTIVE_TOKEN;
import static org.arvados.tasksasjobs.gateway.ArvadosUsers.SCOPED_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;
import org.arvados.tasksasjobs.gateway.MigratedArvadosExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.arvados.tasksasjobs.yaml.SnakeYamlDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/** Tokens read from Arvados's own tables, and the choice between them and a tokens file. */
@ExtendWith(MigratedArvadosExtension.class)
class DatabaseTokensTest {

    private static final SnakeYamlDecoder YAML = new SnakeYamlDecoder();

    @TempDir
    Path dir;

    private static DataSource dataSource(TestDatabase db) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(db.jdbcUrl());
        ds.setUser(db.user());
        ds.setPassword(db.password());
        return ds;
    }

    @Test
    void findsUsersWithTheirFlagsAndScopes(TestDatabase db) throws Exception {
        TokenSource tokens = new DatabaseTokens(dataSource(db), YAML, Clock.systemUTC());
        assertEquals(Optional.of(new TokenOwner(ALICE, false, true, Scopes.ALL)), tokens.find(ALICE_TOKEN), "YAML scopes");
        assertEquals(Optional.of(new TokenOwner(BOB, false, true, Scopes.ALL)), tokens.find(BOB_TOKEN), "JSON scopes");
        assertEquals(Optional.of(new TokenOwner(ADMIN, true, true, Scopes.ALL)), tokens.find(ADMIN_TOKEN), "NULL scopes");
        assertEquals(Optional.of(new TokenOwner(CAROL, false, false, Scopes.ALL)), tokens.find(INACTIVE_TOKEN));
        assertEquals(Optional.of(new TokenOwner(ALICE, false, true, new Scopes(java.util.List.of("GET /arvados/v1/collections")))), tokens.find(SCOPED_TOKEN));
        assertEquals(Optional.empty(), tokens.find(EXPIRED_TOKEN));
        assertEquals(Optional.empty(), tokens.find("no-such-token"));
    }

    @Test
    void aV2TokenIsUnknownWhereTheTableIsOlderThanV2Tokens(TestDatabase db) throws Exception {
        DataSource ds = dataSource(db);
        String v2 = "v2/" + org.arvados.tasksasjobs.gateway.ArvadosUsers.ALICE_TOKEN_UUID + "/" + ALICE_TOKEN;
        assertEquals(ALICE, new DatabaseTokens(ds, YAML, Clock.systemUTC()).find(v2).orElseThrow().userUuid());
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE api_client_authorizations DROP COLUMN uuid"); // as before Arvados had v2 tokens
        }
        TokenSource old = new DatabaseTokens(ds, YAML, Clock.systemUTC());
        assertEquals(Optional.empty(), old.find(v2), "no row can match: unknown (401), not a database error (500)");
        assertEquals(ALICE, old.find(ALICE_TOKEN).orElseThrow().userUuid(), "the plain token still works");
    }

    @Test
    void expiryIsReadAsUtcWhateverTheSessionZone(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("ALTER DATABASE \"" + db.name() + "\" SET timezone TO 'Pacific/Kiritimati'");
            st.execute("UPDATE api_client_authorizations SET expires_at = '2030-01-01 12:00:00'"
                    + " WHERE api_token = '" + BOB_TOKEN + "'");
        }
        DataSource ds = dataSource(db);
        Clock justBefore = Clock.fixed(Instant.parse("2030-01-01T11:59:59Z"), ZoneOffset.ofHours(-10));
        Clock atExpiry = Clock.fixed(Instant.parse("2030-01-01T12:00:00Z"), ZoneOffset.ofHours(-10));
        assertEquals(BOB, new DatabaseTokens(ds, YAML, justBefore).find(BOB_TOKEN).orElseThrow().userUuid());
        assertEquals(Optional.empty(), new DatabaseTokens(ds, YAML, atExpiry).find(BOB_TOKEN));
    }

    @Test
    void databaseTablesAreChosenWithoutAFile(TestDatabase db) throws Exception {
        assertInstanceOf(DatabaseTokens.class, TokenSources.choose(dataSource(db), null, YAML, Clock.systemUTC()));
    }

    @Test
    void anExplicitFileWinsOverTheTables(TestDatabase db) throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), "filetoken " + BOB + "\n");
        TokenSource tokens = TokenSources.choose(dataSource(db), file, YAML, Clock.systemUTC());
        assertEquals(Optional.empty(), tokens.find(ALICE_TOKEN));
        assertEquals(BOB, tokens.find("filetoken").orElseThrow().userUuid());
    }

    @Test
    void neitherTablesNorFileIsAClearError(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE api_client_authorizations");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenSources.choose(dataSource(db), null, YAML, Clock.systemUTC()));
        assertEquals("no api_client_authorizations table in this database; give --tokens FILE", e.getMessage());
    }
}
