package org.arvados.tasksasjobs.changelog;

import java.util.Arrays;
import java.util.Collection;
import java.util.stream.Collectors;

/** A phase of the migration; each is a Liquibase context of tasks-as-jobs.xml. */
public enum Phase {
    EXPAND("expand"),
    /** Optional, before backfill: capture job_tasks writes while crunch keeps running. */
    ONLINE("online"),
    BACKFILL("backfill"),
    /** Explicit only: job_tasks becomes a view over task-like jobs. */
    CONTRACT("contract");

    private final String context;

    Phase(String context) {
        this.context = context;
    }

    public String context() {
        return context;
    }

    public static Phase fromContext(String context) {
        return Arrays.stream(values()).filter(p -> p.context.equals(context)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown phase '" + context + "'; phases: "
                        + Arrays.stream(values()).map(Phase::context).collect(Collectors.joining(", "))));
    }

    static String contexts(Collection<Phase> phases) {
        return phases.stream().map(Phase::context).collect(Collectors.joining(","));
    }
}
