package org.arvados.tasksasjobs.reuse;

/** What a probe would reuse: a job uuid or null (a new job), and the rule that decided it. */
public record ReuseOutcome(String probeId, String reused, ReuseRule rule) {

    public ReuseOutcome {
        if (probeId == null || rule == null) {
            throw new IllegalArgumentException("an outcome needs a probe id and a rule");
        }
    }

    /** Same decision (the probe id aside). */
    public boolean sameAs(ReuseOutcome other) {
        return java.util.Objects.equals(reused, other.reused) && rule == other.rule;
    }
}
