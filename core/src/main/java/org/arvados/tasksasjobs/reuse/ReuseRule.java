package org.arvados.tasksasjobs.reuse;

/** Which rule of docs/arvados.md §5 decided an outcome; {@link #code()} is what reports and `reuse` print. */
public enum ReuseRule {
    /** The oldest usable Complete job (all usable Complete jobs agree on their output). */
    COMPLETE("complete"),
    /** No Complete job to take; the oldest Running job the submitter owns. */
    RUNNING("running"),
    /** No Complete or Running job to take; the oldest Queued job the submitter owns. */
    QUEUED("queued"),
    /** Usable Complete jobs disagreed on their output, so none was taken; the reused job is the in-progress fallback or none. */
    OUTPUTS_DIFFER("outputs_differ"),
    /** No candidate: a new job would be created. */
    NONE("none");

    private final String code;

    ReuseRule(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static ReuseRule fromCode(String code) {
        for (ReuseRule r : values()) {
            if (r.code.equals(code)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown reuse rule '" + code + "'");
    }
}
