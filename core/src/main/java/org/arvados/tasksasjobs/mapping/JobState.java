package org.arvados.tasksasjobs.mapping;

/** The values of {@code jobs.state}, as the API server spells them. */
public enum JobState {
    QUEUED("Queued"),
    RUNNING("Running"),
    CANCELLED("Cancelled"),
    FAILED("Failed"),
    COMPLETE("Complete");

    private final String text;

    JobState(String text) {
        this.text = text;
    }

    /** The text stored in {@code jobs.state}. */
    public String text() {
        return text;
    }

    /**
     * The state whose stored text is {@code text} (exact, case-sensitive, as the column holds it).
     *
     * @throws IllegalArgumentException for NULL or any other text
     */
    public static JobState fromText(String text) {
        for (JobState state : values()) {
            if (state.text.equals(text)) {
                return state;
            }
        }
        throw new IllegalArgumentException(text == null
                ? "job state is NULL"
                : "unknown job state \"" + text + "\" (expected Queued, Running, Cancelled, Failed or Complete)");
    }

    /** Whether a job in this state will never run again: Cancelled, Failed, Complete. */
    public boolean ended() {
        return this == CANCELLED || this == FAILED || this == COMPLETE;
    }
}
