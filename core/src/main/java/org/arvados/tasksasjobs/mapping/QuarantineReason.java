package org.arvados.tasksasjobs.mapping;

/** Why a task cannot be carried; {@link #code()} is what {@code job_tasks_quarantine.reason} holds. */
public enum QuarantineReason {
    NULL_UUID("null_uuid"),
    MALFORMED_UUID("malformed_uuid"),
    ORPHAN("orphan"),
    UNPARSEABLE_PARAMETERS("unparseable_parameters"),
    UNPARSEABLE_PARENT_PARAMETERS("unparseable_parent_parameters"),
    /** The parent's state column holds text that is not a job state, so an unfinished task's state is unknown. */
    UNKNOWN_PARENT_STATE("unknown_parent_state");

    private final String code;

    QuarantineReason(String code) {
        this.code = code;
    }

    /** The stable reason code stored in the quarantine table and printed by {@code plan}. */
    public String code() {
        return code;
    }
}
