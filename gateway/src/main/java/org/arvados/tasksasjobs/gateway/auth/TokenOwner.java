package org.arvados.tasksasjobs.gateway.auth;

import java.util.Objects;

/**
 * What a valid (known, unexpired) token says about its holder: the user's uuid, whether the user is an admin
 * and active, and the token's scopes. The token itself is deliberately not
 * kept here, so nothing downstream can log it.
 */
public record TokenOwner(String userUuid, boolean admin, boolean active, Scopes scopes) {

    public TokenOwner {
        Objects.requireNonNull(userUuid, "userUuid");
        Objects.requireNonNull(scopes, "scopes");
    }
}
