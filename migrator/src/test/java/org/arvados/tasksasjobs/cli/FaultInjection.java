package org.arvados.tasksasjobs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import org.arvados.tasksasjobs.backfill.BackfillListener;
import org.arvados.tasksasjobs.backfill.BackfillProgress;
import org.arvados.tasksasjobs.backfill.BackfillResult;

/**
 * Faults for tests that run the command line in a JVM of its own ({@link FaultyTasksAsJobs}), read from
 * {@value #VARIABLE}: {@code halt-after-batch:N} kills the JVM the way SIGKILL would
 * (no shutdown hooks, no rollback) right after batch N commits; {@code pause-after-batch:N} prints
 * {@value #PAUSED} and blocks until standard input closes, so a test can run a second migrator meanwhile without
 * sleeping. Unset, it does nothing.
 */
final class FaultInjection implements BackfillListener {

    static final String VARIABLE = "TASKS_AS_JOBS_FAULT";
    static final String PAUSED = "tasks-as-jobs: paused by " + VARIABLE;

    private final BackfillListener delegate;
    private final String action;
    private final long afterBatch;
    private final PrintStream out;
    private final InputStream in;

    private FaultInjection(BackfillListener delegate, String action, long afterBatch, PrintStream out, InputStream in) {
        this.delegate = delegate;
        this.action = action;
        this.afterBatch = afterBatch;
        this.out = out;
        this.in = in;
    }

    /** Wraps {@code delegate} when the variable is set; returns it unchanged otherwise. */
    static BackfillListener wrap(BackfillListener delegate, String setting, PrintStream out, InputStream in) {
        if (setting == null || setting.isBlank()) {
            return delegate;
        }
        String[] parts = setting.trim().split(":", 2);
        if (parts.length != 2 || !(parts[0].equals("halt-after-batch") || parts[0].equals("pause-after-batch"))) {
            throw new IllegalArgumentException(VARIABLE + " must be halt-after-batch:N or pause-after-batch:N, not '" + setting + "'");
        }
        try {
            return new FaultInjection(delegate, parts[0], Long.parseLong(parts[1]), out, in);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(VARIABLE + ": N must be a whole number, not '" + parts[1] + "'");
        }
    }

    @Override
    public void started(BackfillProgress progress, boolean resumed) {
        delegate.started(progress, resumed);
    }

    @Override
    public void batchCommitted(BackfillProgress progress) {
        delegate.batchCommitted(progress);
        if (progress.batches() != afterBatch) {
            return;
        }
        if (action.equals("halt-after-batch")) {
            Runtime.getRuntime().halt(137);
        }
        out.println(PAUSED);
        out.flush();
        try {
            while (in.read() != -1) {
                // wait for the test to close our standard input
            }
        } catch (IOException e) {
            // a closed pipe ends the pause as well
        }
    }

    @Override
    public void walkFinished(BackfillProgress progress) {
        delegate.walkFinished(progress);
    }

    @Override
    public void changesApplied(BackfillProgress progress) {
        delegate.changesApplied(progress);
    }

    @Override
    public void finished(BackfillResult result) {
        delegate.finished(result);
    }
}
