package org.arvados.tasksasjobs.client;

/**
 * A request got no HTTP answer: the connection was refused or timed out, or broke, on every
 * attempt the retry policy allowed (or on the first one, for a failure not worth retrying).
 * The cause is the last I/O failure. The message names the method, the URI and the attempts, never
 * the token.
 */
public class ArvadosUnreachableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int attempts;

    public ArvadosUnreachableException(String message, int attempts, Throwable cause) {
        super(message, cause);
        this.attempts = attempts;
    }

    /** How many attempts were made. */
    public int attempts() {
        return attempts;
    }
}
