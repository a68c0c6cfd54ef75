package org.arvados.tasksasjobs.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokensFileTest {

    private static final String ALICE = "zzzzz-tpzed-alice0000000001";
    private static final String ADMIN = "zzzzz-tpzed-admin0000000003";

    @Test
    void readsTokensSkippingBlankLinesAndComments() {
        TokensFile file = TokensFile.parse("tokens", List.of(
                "# the gateway's callers",
                "",
                "  t1   " + ALICE + "  ",
                "\t# indented comment",
                "t2 " + ADMIN + " admin"));
        assertEquals(2, file.size());
        assertEquals(Optional.of(new TokenOwner(ALICE, false, true, Scopes.ALL)), file.find("t1"));
        assertEquals(Optional.of(new TokenOwner(ADMIN, true, true, Scopes.ALL)), file.find("t2"));
        assertEquals(Optional.empty(), file.find("t3"));
        assertEquals(Optional.empty(), file.find(ALICE));
    }

    @Test
    void lineWithoutUserIsMalformedAndNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokensFile.parse("/etc/gw/tokens", List.of("# x", "", "secrettoken")));
        assertEquals("tokens file /etc/gw/tokens, line 3: expected \"<token> <user_uuid> [admin]\"", e.getMessage());
    }

    @Test
    void badUuidThirdFieldAndExtraFieldsAreMalformed() {
        for (String line : List.of("secrettoken alice", "secrettoken " + ALICE + " root",
                "secrettoken " + ALICE + " admin extra")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TokensFile.parse("f", List.of(line)), line);
            assertTrue(e.getMessage().startsWith("tokens file f, line 1: "), e.getMessage());
            assertFalse(e.getMessage().contains("secrettoken"), "a message never shows the token");
        }
    }

    @Test
    void repeatedTokenIsMalformed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokensFile.parse("f", List.of("secrettoken " + ALICE, "secrettoken " + ADMIN + " admin")));
        assertEquals("tokens file f, line 2: the token is already given on line 1", e.getMessage());
    }
}
