package org.arvados.tasksasjobs.cli;

/**
 * An expected failure, told to the DBA in one line ("what went wrong; what to do") and ended with its exit code;
 * {@link ErrorHandler} prints it without a stack trace unless {@code --verbose} is given.
 */
public final class MigratorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public MigratorException(String message, int exitCode) {
        this(message, exitCode, null);
    }

    public MigratorException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A bad setting or argument, found before anything was done. */
    public static MigratorException usage(String message) {
        return new MigratorException(message, ExitCode.USAGE);
    }

    /** A database or migration error. */
    public static MigratorException failure(String message, Throwable cause) {
        return new MigratorException(message, ExitCode.FAILURE, cause);
    }

    public int exitCode() {
        return exitCode;
    }
}
