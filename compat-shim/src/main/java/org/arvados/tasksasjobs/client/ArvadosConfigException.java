package org.arvados.tasksasjobs.client;

/**
 * A setting the client library needs is missing or malformed (an environment variable such as
 * ARVADOS_API_HOST, or a value given to a constructor). The message names the setting and never
 * contains the API token.
 */
public class ArvadosConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ArvadosConfigException(String message) {
        super(message);
    }
}
