package org.arvados.tasksasjobs.client;

import java.util.List;

/**
 * The API answered with an error status (after any retries): the status, the {@code errors} list
 * and {@code error_token} of the Arvados error body ({@code {"errors": [...], "error_token": "..."}}).
 * A body that is not an Arvados error (a proxy's HTML page, say) gives one error: its first line,
 * shortened. The message never contains the API token.
 */
public class ArvadosApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String method;
    private final String path;
    private final int status;
    private final List<String> errors;
    private final String errorToken;

    public ArvadosApiException(String method, String path, int status, List<String> errors, String errorToken) {
        super(message(method, path, status, errors, errorToken));
        this.method = method;
        this.path = path;
        this.status = status;
        this.errors = List.copyOf(errors);
        this.errorToken = errorToken;
    }

    /** The HTTP method of the failed request. */
    public String method() {
        return method;
    }

    /** The path (and query) of the failed request, e.g. {@code /arvados/v1/jobs/zzzzz-8i9sb-...}. */
    public String path() {
        return path;
    }

    /** The HTTP status, e.g. 401, 403, 404, 422. */
    public int status() {
        return status;
    }

    /** The server's error messages, possibly empty. */
    public List<String> errors() {
        return errors;
    }

    /** The server's error_token (to find the request in its logs), or null when it sent none. */
    public String errorToken() {
        return errorToken;
    }

    private static String message(String method, String path, int status, List<String> errors, String errorToken) {
        StringBuilder text = new StringBuilder()
                .append(method).append(' ').append(path).append(": HTTP ").append(status);
        if (!errors.isEmpty()) {
            text.append(": ").append(String.join("; ", errors));
        }
        if (errorToken != null) {
            text.append(" (error_token ").append(errorToken).append(')');
        }
        return text.toString();
    }
}
