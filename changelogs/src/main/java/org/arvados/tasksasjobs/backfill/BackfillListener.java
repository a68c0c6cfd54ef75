package org.arvados.tasksasjobs.backfill;

/**
 * Hears about a backfill run as it goes. The CLI draws a progress bar with it; under a stock Liquibase the
 * change logs plain lines instead. Calls come from the thread that runs the backfill.
 */
public interface BackfillListener {

    /** Liquibase scope key under which a caller hands a listener to {@link BackfillChange}. */
    String SCOPE_KEY = "tasksAsJobs.backfillListener";

    BackfillListener NONE = new BackfillListener() { };

    /** A run starts (or resumes: {@code progress.done()} is then above zero). */
    default void started(BackfillProgress progress, boolean resumed) { }

    /** A batch and its checkpoint are committed. */
    default void batchCommitted(BackfillProgress progress) { }

    /**
     * The walk reached the bound fixed when the run started (or there was nothing to walk). With the online phase,
     * the captured changes are applied next.
     */
    default void walkFinished(BackfillProgress progress) { }

    /** A batch of captured job_tasks writes is applied and committed (online phase). */
    default void changesApplied(BackfillProgress progress) { }

    default void finished(BackfillResult result) { }
}
