package org.arvados.tasksasjobs.reuse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * What a task submission is matched on (docs/arvados.md §5, candidates.sql): repository, script, commit, image, SDK
 * version and the digest of its script_parameters after inheritance. Held as 128 bits of an MD5 of those fields, so
 * that a replay over millions of tasks keeps one small key per identity, not six strings.
 */
public record TaskIdentity(long high, long low) {

    public static TaskIdentity of(String repository, String script, String scriptVersion, String dockerImageLocator,
            String arvadosSdkVersion, String parametersDigest) {
        Objects.requireNonNull(parametersDigest, "parametersDigest");
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
        for (String field : new String[] {repository, script, scriptVersion, dockerImageLocator, arvadosSdkVersion,
                parametersDigest}) {
            // Length-prefixed, and null apart from "": no two different field lists give the same bytes.
            if (field == null) {
                md5.update((byte) 0);
            } else {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                md5.update((byte) 1);
                md5.update(java.nio.ByteBuffer.allocate(4).putInt(bytes.length).array());
                md5.update(bytes);
            }
        }
        java.nio.ByteBuffer hash = java.nio.ByteBuffer.wrap(md5.digest());
        return new TaskIdentity(hash.getLong(), hash.getLong());
    }
}
