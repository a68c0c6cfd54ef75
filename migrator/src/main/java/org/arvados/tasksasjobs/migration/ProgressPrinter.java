package org.arvados.tasksasjobs.migration;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.arvados.tasksasjobs.backfill.BackfillListener;
import org.arvados.tasksasjobs.backfill.BackfillProgress;
import org.arvados.tasksasjobs.backfill.BackfillResult;

/**
 * Shows backfill progress: a bar redrawn in place on a terminal, plain lines every few seconds otherwise (a log
 * file or a CI console gets no control characters). Writes to standard error so standard output stays for results.
 */
public final class ProgressPrinter implements BackfillListener {

    private static final long TERMINAL_INTERVAL = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long PLAIN_INTERVAL = TimeUnit.SECONDS.toNanos(5);
    private static final int BAR_WIDTH = 30;

    private final PrintWriter err;
    private final boolean terminal;
    private long lastPrinted;
    private boolean drawn;

    public ProgressPrinter(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public void started(BackfillProgress p, boolean resumed) {
        lastPrinted = System.nanoTime();
        String what = resumed
                ? String.format("backfill: resuming run %d at %,d of %,d tasks", p.runId(), p.done(), p.total())
                : String.format("backfill: %,d tasks to carry (run %d)", p.total(), p.runId());
        err.println(what);
        err.flush();
    }

    @Override
    public void batchCommitted(BackfillProgress p) {
        long now = System.nanoTime();
        boolean last = p.done() >= p.total();
        if (!last && now - lastPrinted < (terminal ? TERMINAL_INTERVAL : PLAIN_INTERVAL)) {
            return;
        }
        lastPrinted = now;
        if (terminal) {
            int filled = (int) Math.round(p.fraction() * BAR_WIDTH);
            err.print(String.format("\r[%s%s] %3.0f%% %,d/%,d tasks  %,.0f rows/s  ETA %s   ",
                    "#".repeat(filled), ".".repeat(BAR_WIDTH - filled), p.fraction() * 100, p.done(), p.total(), p.rate(),
                    clock(p.eta())));
            drawn = true;
        } else {
            err.println(String.format("backfill: %,d/%,d tasks (%.0f%%), %,d quarantined, %,.0f rows/s, ETA %s",
                    p.done(), p.total(), p.fraction() * 100, p.quarantined(), p.rate(), clock(p.eta())));
        }
        err.flush();
    }

    @Override
    public void changesApplied(BackfillProgress p) {
        long now = System.nanoTime();
        if (now - lastPrinted < PLAIN_INTERVAL) {
            return;
        }
        lastPrinted = now;
        if (drawn) {
            err.println();
            drawn = false;
        }
        err.println(String.format("online: %,d captured job_tasks writes applied, %,d waiting", p.changesApplied(), p.changesWaiting()));
        err.flush();
    }

    @Override
    public void finished(BackfillResult result) {
        if (drawn) {
            err.println();
            err.flush();
        }
    }

    /** h:mm:ss, or m:ss under an hour; "--" while unknown. */
    static String clock(Duration d) {
        if (d == null) {
            return "--";
        }
        long s = d.toSeconds();
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
