package org.arvados.tasksasjobs.gateway.http;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * The real Arvados API server that {@code serve --upstream} forwards every path the gateway does not own to
 * (collections, users, keep_services, logs, jobs/{uuid}/lock, ...).
 *
 * @param url its base, {@code https://host[:port]}; a path on it is refused, since forwarded paths are kept
 *        exactly as the client sent them
 * @param insecure accept its certificate unchecked ({@code --upstream-insecure}, as ARVADOS_API_HOST_INSECURE does)
 */
public record Upstream(URI url, boolean insecure) {

    public Upstream {
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("--upstream must be an https:// (or http://) URL, not " + url);
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("--upstream " + url + " names no host");
        }
        if (url.getRawPath() != null && !url.getRawPath().isEmpty() && !url.getRawPath().equals("/")) {
            throw new IllegalArgumentException("--upstream takes the API server's root URL (https://host[:port]),"
                    + " without a path; paths are forwarded as sent");
        }
        if (url.getRawQuery() != null || url.getRawUserInfo() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("--upstream takes only https://host[:port]");
        }
    }

    /** Parses the {@code --upstream} value, with the message {@link #Upstream} gives for a bad one. */
    public static Upstream of(String url, boolean insecure) {
        try {
            return new Upstream(new URI(url.strip()), insecure);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("--upstream " + url + " is not a URL: " + e.getReason());
        }
    }

    /** {@code scheme://host:port}, the origin requests go to. */
    String origin() {
        int port = url.getPort();
        return url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getHost() + (port < 0 ? "" : ":" + port);
    }
}
