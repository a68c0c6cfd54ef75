package org.arvados.tasksasjobs.client;

/**
 * A resource of the Arvados API: its path segment under {@code /arvados/v1/} and the key its
 * create and update bodies wrap the attributes in ({@code {"job": {...}}}).
 *
 * @param path    e.g. {@code jobs}
 * @param bodyKey e.g. {@code job}
 */
public record ApiResource(String path, String bodyKey) {

    /** {@code /arvados/v1/jobs}: the only resource the crunch view ({@link Crunch}) uses. */
    public static final ApiResource JOBS = new ApiResource("jobs", "job");

    public ApiResource {
        if (path == null || !path.matches("[a-z_]+")) {
            throw new ArvadosConfigException("resource path must be lower-case letters and _, got " + path);
        }
        if (bodyKey == null || !bodyKey.matches("[a-z_]+")) {
            throw new ArvadosConfigException("resource body key must be lower-case letters and _, got " + bodyKey);
        }
    }
}
