package org.arvados.tasksasjobs.gateway.auth;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import org.arvados.tasksasjobs.gateway.tasks.Caller;
import org.arvados.tasksasjobs.gateway.tasks.GatewayException;

/**
 * Turns a request's {@code Authorization} header into the {@link Caller} the services check ownership with,
 * with Arvados's answers: no token, or an unknown or expired one, is 401; an inactive user or a token whose
 * scopes do not cover the request ({@link Scopes}) is 403, decided before any body is read or row written. Messages never contain the token.
 */
public final class Authenticator {

    private final TokenSource tokens;

    public Authenticator(TokenSource tokens) {
        this.tokens = tokens;
    }

    /**
     * @param authorization the {@code Authorization} header value, or null
     * @param callingTask the {@code X-Arvados-Task-Uuid} header value, or null; handed on unchecked (the
     *        services know what a task uuid may name)
     * @param method the method the request means (after {@code _method}), for the token's scopes
     * @param path the request's path as sent, without the query string, for the token's scopes
     */
    public Caller authenticate(String authorization, String callingTask, String method, String path)
            throws GatewayException, SQLException {
        return authorize(identify(authorization), callingTask, method, path);
    }

    /**
     * The holder of the token in {@code authorization}: 401 without a known, unexpired token, 403 for an inactive
     * user. Needs only the header, so a request is answered this before its body is read.
     */
    public TokenOwner identify(String authorization) throws GatewayException, SQLException {
        String token = tokenOf(authorization);
        if (token == null) {
            throw new GatewayException(401, "Not logged in: no \"Authorization: OAuth2 <token>\" header");
        }
        Optional<TokenOwner> owner = tokens.find(token);
        if (owner.isEmpty()) {
            throw new GatewayException(401, "Not logged in: the token is unknown or has expired");
        }
        TokenOwner holder = owner.get();
        if (!holder.active()) {
            throw new GatewayException(403, "the user " + holder.userUuid() + " is not active");
        }
        return holder;
    }

    /** The caller {@code holder} is for this request, once its method is known: 403 outside the token's scopes. */
    public Caller authorize(TokenOwner holder, String callingTask, String method, String path) throws GatewayException {
        if (!holder.scopes().allow(method, path)) {
            throw new GatewayException(403, "Forbidden: the token's scopes do not allow " + method + " " + path);
        }
        String task = callingTask == null || callingTask.isBlank() ? null : callingTask.strip();
        return new Caller(holder.userUuid(), holder.admin(), task);
    }

    /** The token of {@code OAuth2 <token>} or {@code Bearer <token>} (scheme case-insensitive), else null. */
    static String tokenOf(String authorization) {
        if (authorization == null) {
            return null;
        }
        String[] parts = authorization.strip().split("\\s+", 2);
        if (parts.length != 2) {
            return null;
        }
        String scheme = parts[0].toLowerCase(Locale.ROOT);
        if (!scheme.equals("oauth2") && !scheme.equals("bearer")) {
            return null;
        }
        String token = parts[1].strip();
        return token.isEmpty() ? null : token;
    }
}
