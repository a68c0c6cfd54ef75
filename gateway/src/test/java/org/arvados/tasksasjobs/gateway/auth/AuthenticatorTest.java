package org.arvados.tasksasjobs.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.arvados.tasksasjobs.gateway.tasks.Caller;
import org.arvados.tasksasjobs.gateway.tasks.GatewayException;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {

    private static final String ALICE = "zzzzz-tpzed-alice0000000001";
    private static final String CAROL = "zzzzz-tpzed-carol0000000004";

    private final Map<String, TokenOwner> owners = Map.of(
            "good", new TokenOwner(ALICE, false, true, Scopes.ALL),
            "boss", new TokenOwner(ALICE, true, true, Scopes.ALL),
            "inactive", new TokenOwner(CAROL, false, false, Scopes.ALL),
            "scoped", new TokenOwner(ALICE, false, true, new Scopes(List.of("GET /arvados/v1/collections/"))));
    private final Authenticator authenticator = new Authenticator(token -> Optional.ofNullable(owners.get(token)));

    @Test
    void oauth2AndBearerHeadersNameTheCaller() throws Exception {
        assertEquals(new Caller(ALICE, false, null), authenticator.authenticate("OAuth2 good", null, "GET", "/arvados/v1/jobs"));
        assertEquals(new Caller(ALICE, false, null), authenticator.authenticate("Bearer good", null, "GET", "/arvados/v1/jobs"));
        assertEquals(new Caller(ALICE, true, null), authenticator.authenticate("oauth2   boss ", null, "GET", "/arvados/v1/jobs"));
    }

    @Test
    void callingTaskIsHandedOn() throws Exception {
        assertEquals(new Caller(ALICE, false, "zzzzz-ot0gb-task00000000001"),
                authenticator.authenticate("OAuth2 good", " zzzzz-ot0gb-task00000000001 ", "GET", "/arvados/v1/jobs"));
        assertNull(authenticator.authenticate("OAuth2 good", "", "GET", "/arvados/v1/jobs").callingTask());
    }

    @Test
    void missingOrMalformedHeaderIsUnauthorized() {
        for (String header : new String[] {null, "", "OAuth2", "good", "Basic Z29vZA==", "OAuth2 "}) {
            GatewayException e = assertThrows(GatewayException.class, () -> authenticator.authenticate(header, null, "GET", "/arvados/v1/jobs"),
                    String.valueOf(header));
            assertEquals(401, e.status());
        }
    }

    @Test
    void unknownTokenIsUnauthorizedWithoutEchoingIt() {
        GatewayException e = assertThrows(GatewayException.class,
                () -> authenticator.authenticate("OAuth2 guessed-token-123", null, "GET", "/arvados/v1/jobs"));
        assertEquals(401, e.status());
        assertFalse(e.getMessage().contains("guessed-token-123"));
    }

    @Test
    void inactiveUserAndNarrowScopesAreForbidden() {
        for (String token : List.of("inactive", "scoped")) {
            GatewayException e = assertThrows(GatewayException.class,
                    () -> authenticator.authenticate("OAuth2 " + token, null, "GET", "/arvados/v1/jobs"));
            assertEquals(403, e.status(), token);
        }
    }
}
