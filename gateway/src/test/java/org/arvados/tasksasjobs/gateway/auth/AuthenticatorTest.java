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
            "good", new TokenOwner(ALICE, false, true, true),
            "boss", new TokenOwner(ALICE, true, true, true),
            "inactive", new TokenOwner(CAROL, false, false, true),
            "scoped", new TokenOwner(ALICE, false, true, false));
    private final Authenticator authenticator = new Authenticator(token -> Optional.ofNullable(owners.get(token)));

    @Test
    void oauth2AndBearerHeadersNameTheCaller() throws Exception {
        assertEquals(new Caller(ALICE, false, null), authenticator.authenticate("OAuth2 good", null));
        assertEquals(new Caller(ALICE, false, null), authenticator.authenticate("Bearer good", null));
        assertEquals(new Caller(ALICE, true, null), authenticator.authenticate("oauth2   boss ", null));
    }

    @Test
    void callingTaskIsHandedOn() throws Exception {
        assertEquals(new Caller(ALICE, false, "zzzzz-ot0gb-task00000000001"),
                authenticator.authenticate("OAuth2 good", " zzzzz-ot0gb-task00000000001 "));
        assertNull(authenticator.authenticate("OAuth2 good", "").callingTask());
    }

    @Test
    void missingOrMalformedHeaderIsUnauthorized() {
        for (String header : new String[] {null, "", "OAuth2", "good", "Basic Z29vZA==", "OAuth2 "}) {
            GatewayException e = assertThrows(GatewayException.class, () -> authenticator.authenticate(header, null),
                    String.valueOf(header));
            assertEquals(401, e.status());
        }
    }

    @Test
    void unknownTokenIsUnauthorizedWithoutEchoingIt() {
        GatewayException e = assertThrows(GatewayException.class,
                () -> authenticator.authenticate("OAuth2 guessed-token-123", null));
        assertEquals(401, e.status());
        assertFalse(e.getMessage().contains("guessed-token-123"));
    }

    @Test
    void inactiveUserAndNarrowScopesAreForbidden() {
        for (String token : List.of("inactive", "scoped")) {
            GatewayException e = assertThrows(GatewayException.class,
                    () -> authenticator.authenticate("OAuth2 " + token, null));
            assertEquals(403, e.status(), token);
        }
    }
}
