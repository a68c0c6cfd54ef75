package org.arvados.tasksasjobs.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.arvados.tasksasjobs.yaml.SnakeYamlDecoder;
import org.junit.jupiter.api.Test;

class TokenScopesTest {

    private static final String TASK = "/arvados/v1/job_tasks/zzzzz-ot0gb-task00000000001";

    private final TokenScopes scopes = new TokenScopes(new SnakeYamlDecoder());

    private boolean allows(String text, String method, String path) {
        return scopes.read(text).allow(method, path);
    }

    @Test
    void nullOrBlankScopesAllowEverything() {
        for (String text : new String[] {null, "", "  \n"}) {
            assertTrue(allows(text, "PUT", TASK));
        }
    }

    @Test
    void listContainingAllAllowsInJsonAndYaml() {
        assertTrue(allows("[\"all\"]", "DELETE", TASK));
        assertTrue(allows("---\n- all\n", "POST", "/arvados/v1/jobs"));
        assertTrue(allows("[\"GET /arvados/v1/collections\", \"all\"]", "PUT", TASK));
    }

    @Test
    void methodAndPathScopesAllowExactlyOrByPrefixEndingInASlash() {
        String prefix = "[\"GET /arvados/v1/job_tasks/\"]";
        assertTrue(allows(prefix, "GET", TASK));
        assertTrue(allows(prefix, "HEAD", TASK), "a GET scope allows a HEAD");
        assertFalse(allows(prefix, "PUT", TASK));
        assertFalse(allows(prefix, "GET", "/arvados/v1/job_tasks"), "the list path has no trailing slash");
        assertFalse(allows(prefix, "GET", "/arvados/v1/jobs/zzzzz-8i9sb-job000000000001"));
        String exact = "---\n- GET /arvados/v1/job_tasks\n";
        assertTrue(allows(exact, "GET", "/arvados/v1/job_tasks"));
        assertFalse(allows(exact, "GET", TASK), "without a trailing slash a scope is exact");
    }

    @Test
    void emptyOrUnreadableScopesAllowNothing() {
        for (String text : new String[] {"[]", "--- []\n", "[\"all\"", "all", "{\"all\": true}"}) {
            assertFalse(allows(text, "GET", TASK), text);
        }
    }
}
