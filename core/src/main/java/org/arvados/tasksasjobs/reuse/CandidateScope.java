package org.arvados.tasksasjobs.reuse;

/**
 * Which task-like jobs a task probe may reuse, besides the rules of docs/arvados.md §5. The verifier treats every job as
 * readable (there are no permission tables to consult); the gateway serves users who may read only the task-like
 * jobs of parent jobs they own, so it must not hand one of them another user's work.
 */
public enum CandidateScope {
    /** Every task-like job: the verifier's view. */
    EVERY_JOB,
    /** Only task-like jobs whose parent job the submitter (the probe's owner) owns: a non-admin gateway user's view. */
    PARENTS_OWNED_BY_SUBMITTER
}
