package org.arvados.tasksasjobs.gateway.auth;

import org.arvados.tasksasjobs.mapping.UuidMapping;

/**
 * A token as a client presents it: the v1 form is the secret itself; the v2 form, {@code v2/<uuid>/<secret>}, adds
 * the uuid of its {@code api_client_authorizations} row, which must then match too (as the API server checked).
 *
 * @param uuid the authorization's uuid (v2), or null (v1)
 * @param secret what {@code api_token} holds
 */
record PresentedToken(String uuid, String secret) {

    static PresentedToken parse(String token) {
        if (token.startsWith("v2/")) {
            String[] parts = token.split("/", -1);
            if (parts.length == 3 && UuidMapping.isWellFormed(parts[1]) && !parts[2].isEmpty()) {
                return new PresentedToken(parts[1], parts[2]);
            }
        }
        return new PresentedToken(null, token);
    }
}
