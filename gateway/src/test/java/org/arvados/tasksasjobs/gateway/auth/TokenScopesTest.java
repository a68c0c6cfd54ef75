package org.arvados.tasksasjobs.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.arvados.tasksasjobs.yaml.SnakeYamlDecoder;
import org.junit.jupiter.api.Test;

class TokenScopesTest {

    private final TokenScopes scopes = new TokenScopes(new SnakeYamlDecoder());

    @Test
    void nullOrBlankScopesAllow() {
        assertTrue(scopes.allowAll(null));
        assertTrue(scopes.allowAll(""));
        assertTrue(scopes.allowAll("  \n"));
    }

    @Test
    void listContainingAllAllowsInJsonAndYaml() {
        assertTrue(scopes.allowAll("[\"all\"]"));
        assertTrue(scopes.allowAll("---\n- all\n"));
        assertTrue(scopes.allowAll("[\"GET /arvados/v1/collections\", \"all\"]"));
    }

    @Test
    void narrowerOrEmptyOrUnreadableScopesDoNotAllow() {
        assertFalse(scopes.allowAll("[\"GET /arvados/v1/collections\"]"));
        assertFalse(scopes.allowAll("---\n- GET /arvados/v1/jobs\n"));
        assertFalse(scopes.allowAll("[]"));
        assertFalse(scopes.allowAll("--- []\n"));
        assertFalse(scopes.allowAll("[\"all\""));
        assertFalse(scopes.allowAll("all"), "a bare word is not a list");
        assertFalse(scopes.allowAll("{\"all\": true}"));
    }
}
