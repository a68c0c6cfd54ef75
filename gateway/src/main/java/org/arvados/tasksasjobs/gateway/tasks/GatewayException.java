package org.arvados.tasksasjobs.gateway.tasks;

/**
 * A request the gateway refuses, with the HTTP status to answer and a one-line message for the {@code "errors"}
 * array of the Arvados error body: 403 (another user's task or job), 404 (no such uuid), 422 (a request that
 * cannot be carried out as given). Checked, so that every service method says it can refuse.
 */
public final class GatewayException extends Exception {

    private final int status;

    public GatewayException(int status, String message) {
        super(oneLine(message));
        this.status = status;
    }

    public int status() {
        return status;
    }

    static GatewayException forbidden(String message) {
        return new GatewayException(403, message);
    }

    static GatewayException notFound(String message) {
        return new GatewayException(404, message);
    }

    static GatewayException unprocessable(String message) {
        return new GatewayException(422, message);
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        return message.replace("\r", " ").replace("\n", " ");
    }
}
