package org.arvados.tasksasjobs.cli;

/** The exit codes of {@code tasks-as-jobs}, as docs/architecture.md promises them to scripts. */
public final class ExitCode {

    /** Success. */
    public static final int OK = 0;
    /** Verification found differences. */
    public static final int DIFFERENCES = 1;
    /** Bad command line or settings: nothing was done. */
    public static final int USAGE = 2;
    /** A database or migration error. */
    public static final int FAILURE = 3;

    private ExitCode() {
    }
}
