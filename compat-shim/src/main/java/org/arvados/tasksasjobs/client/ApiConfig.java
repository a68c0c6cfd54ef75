package org.arvados.tasksasjobs.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where the API is and how to talk to it, validated once.
 *
 * @param baseUri  scheme, host and port of the API (e.g. {@code https://api.example:443} or
 *                 {@code http://127.0.0.1:8000}), no path
 * @param token    the API token sent as {@code Authorization: OAuth2 <token>}; never printed
 * @param insecure skip the TLS certificate and host name checks (ARVADOS_API_HOST_INSECURE)
 * @param retry    how failed requests are retried
 */
public record ApiConfig(URI baseUri, String token, boolean insecure, RetryPolicy retry) {

    private static final Set<String> TRUE_WORDS = Set.of("true", "1", "yes");

    public ApiConfig {
        if (baseUri == null || baseUri.getScheme() == null || baseUri.getHost() == null) {
            throw new ArvadosConfigException("API base URI must have a scheme and a host, got " + baseUri);
        }
        String scheme = baseUri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ArvadosConfigException("API base URI must be http or https, got " + baseUri);
        }
        if (baseUri.getRawPath() != null && !baseUri.getRawPath().isEmpty() && !baseUri.getRawPath().equals("/")) {
            throw new ArvadosConfigException("API base URI must not have a path, got " + baseUri);
        }
        if (token == null || token.isBlank()) {
            throw new ArvadosConfigException("API token is missing (set ARVADOS_API_TOKEN)");
        }
        if (token.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            // A header value cannot carry these; say so without echoing the token.
            throw new ArvadosConfigException("API token contains whitespace or control characters");
        }
        if (retry == null) {
            retry = RetryPolicy.DEFAULT;
        }
    }

    /**
     * Reads ARVADOS_API_HOST, ARVADOS_API_TOKEN and ARVADOS_API_HOST_INSECURE as the Python SDK did.
     * A bare {@code host:port} means https; an explicit {@code http://} or {@code https://} prefix is
     * honoured (the gateway serves plain HTTP on loopback). INSECURE is true for true, 1 or yes in
     * any case; anything else (or unset) is false. Uses {@link RetryPolicy#DEFAULT}.
     *
     * @throws ArvadosConfigException naming the variable that is missing or malformed
     */
    public static ApiConfig fromEnvironment(Map<String, String> env) {
        String host = env.get("ARVADOS_API_HOST");
        if (host == null || host.isBlank()) {
            throw new ArvadosConfigException("ARVADOS_API_HOST is not set (expected host:port or http(s)://host:port)");
        }
        String token = env.get("ARVADOS_API_TOKEN");
        if (token == null || token.isBlank()) {
            throw new ArvadosConfigException("ARVADOS_API_TOKEN is not set");
        }
        String insecure = env.get("ARVADOS_API_HOST_INSECURE");
        boolean skipChecks = insecure != null && TRUE_WORDS.contains(insecure.trim().toLowerCase(Locale.ROOT));
        return new ApiConfig(parseHost(host.trim()), token.trim(), skipChecks, RetryPolicy.DEFAULT);
    }

    /** This configuration with another retry policy (tests use millisecond delays). */
    public ApiConfig withRetry(RetryPolicy policy) {
        return new ApiConfig(baseUri, token, insecure, policy);
    }

    private static URI parseHost(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        String text = lower.startsWith("http://") || lower.startsWith("https://") ? host : "https://" + host;
        if (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        try {
            URI uri = new URI(text);
            if (uri.getHost() == null) {
                throw new ArvadosConfigException("ARVADOS_API_HOST is not host:port or http(s)://host:port: " + host);
            }
            if (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
                throw new ArvadosConfigException("ARVADOS_API_HOST must not contain a path: " + host);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ArvadosConfigException("ARVADOS_API_HOST is not host:port or http(s)://host:port: " + host);
        }
    }

    /** Never shows the token, so a logged configuration leaks nothing. */
    @Override
    public String toString() {
        return "ApiConfig[baseUri=" + baseUri + ", token=(hidden), insecure=" + insecure + ", retry=" + retry + "]";
    }
}
