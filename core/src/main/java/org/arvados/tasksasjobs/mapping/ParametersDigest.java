package org.arvados.tasksasjobs.mapping;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** {@code jobs.script_parameters_digest}: md5 hex of the canonical JSON (docs/arvados.md §4). */
public final class ParametersDigest {

    private ParametersDigest() {}

    public static String of(Map<String, ?> parameters) {
        return ofCanonical(CanonicalJson.write(parameters));
    }

    /** Digest of text that is already canonical JSON (as {@link CanonicalJson#write} made it). */
    public static String ofCanonical(String canonicalJson) {
        return Md5.hex(canonicalJson.getBytes(StandardCharsets.UTF_8));
    }
}
