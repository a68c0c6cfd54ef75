package org.arvados.tasksasjobs.reuse;

import java.util.Map;

/**
 * A job submission to ask "what would be reused?" about, values already resolved (a commit, not a branch; an
 * image's portable data hash, not its name). With {@code parentJobUuid} set it is a task submission, as
 * job_tasks.create makes one: {@code scriptParameters} then holds the task's own parameters, merged with the
 * parent's as the contract says, and repository, script, commit, image and SDK come from the parent (null here).
 *
 * @param scriptVersion       a 40-hex commit; null means "unresolved": no commit filter
 * @param dockerImageLocator  null when no image was asked for (candidates must have none)
 * @param arvadosSdkVersion   null when not asked for (not compared)
 * @param ownerUuid           the submitting user (in-progress jobs count only when they own them)
 */
public record Probe(String id, String repository, String script, String scriptVersion, Map<String, Object> scriptParameters,
                    String dockerImageLocator, String arvadosSdkVersion, String ownerUuid, String parentJobUuid) {

    public Probe {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("a probe needs an id");
        }
        scriptParameters = scriptParameters == null ? Map.of() : scriptParameters;
    }

    public boolean isTask() {
        return parentJobUuid != null;
    }
}
