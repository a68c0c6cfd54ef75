package org.arvados.tasksasjobs.reuse;

/**
 * What a probe asks the jobs table for once everything is resolved: a task probe's repository, script, commit,
 * image and SDK taken from its parent job, and the digest of its merged parameters.
 *
 * @param scriptVersion      null: no commit filter
 * @param dockerImageLocator null: candidates must have none
 * @param arvadosSdkVersion  null: not compared
 * @param task               whether candidates are task-like jobs (else top-level jobs)
 */
record Submission(String repository, String script, String scriptVersion, String dockerImageLocator,
                  String arvadosSdkVersion, String digest, String ownerUuid, boolean task) {
}
