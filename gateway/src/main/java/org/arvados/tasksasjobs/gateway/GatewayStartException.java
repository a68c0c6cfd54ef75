package org.arvados.tasksasjobs.gateway;

/**
 * The gateway cannot start: the database is unreachable or not migrated, no token source, the port is taken.
 * The message is one line meant for the operator (never a password or a token); {@code serve} prints it and
 * exits without a stack trace.
 */
public final class GatewayStartException extends Exception {

    public GatewayStartException(String message, Throwable cause) {
        super(message, cause);
    }

    public GatewayStartException(String message) {
        super(message);
    }
}
