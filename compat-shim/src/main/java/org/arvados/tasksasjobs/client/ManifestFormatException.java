package org.arvados.tasksasjobs.client;

/** Manifest text that is not a valid Arvados manifest; the message names the line and the token. */
public class ManifestFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ManifestFormatException(String message) {
        super(message);
    }
}
