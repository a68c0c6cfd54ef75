package org.arvados.tasksasjobs.cli;

import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liquibase.exception.LiquibaseException;
import org.arvados.tasksasjobs.backfill.MigrationRefusedException;
import org.arvados.tasksasjobs.changelog.BaselineSchema;
import org.arvados.tasksasjobs.migration.MigrationInterruptedException;
import org.arvados.tasksasjobs.reuse.ProbeFormatException;
import org.arvados.tasksasjobs.verification.BaselineFile;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on stderr and an exit code: a {@link MigratorException} says its own message, an
 * SQLException anywhere in the cause chain is translated by its SQLState into what to check, anything else is an
 * internal error. The stack trace is printed only with {@code --verbose}. Bad arguments end with a pointer to
 * {@code --help} and {@link ExitCode#USAGE}.
 */
public final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    static final String PREFIX = "tasks-as-jobs: ";
    static final String VERBOSE = "--verbose";

    private static final Pattern REFUSED = Pattern.compile("Connection to (\\S+) refused");
    private static final Pattern USER = Pattern.compile("user \"([^\"]*)\"");
    private static final Pattern DATABASE = Pattern.compile("database \"([^\"]*)\"");
    private static final Pattern SCHEMA = Pattern.compile("permission denied for schema (\\S+)");

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parsed) {
        PrintWriter err = commandLine.getErr();
        int exitCode = report(ex, err);
        if (exitCode == ExitCode.USAGE) {
            err.println(tryHelp(commandLine));
        }
        if (verbose(parsed)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return exitCode;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine commandLine = ex.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println(PREFIX + firstLine(ex.getMessage()));
        err.println(tryHelp(commandLine));
        if (Arrays.asList(args).contains(VERBOSE)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCode.USAGE;
    }

    /** Prints the one-line message for {@code failure} and returns its exit code. */
    static int report(Throwable failure, PrintWriter err) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MigratorException m) {
                err.println(PREFIX + firstLine(m.getMessage()));
                return m.exitCode();
            }
        }
        MigrationRefusedException refused = cause(failure, MigrationRefusedException.class);
        if (refused != null) {
            err.println(PREFIX + firstLine(refused.getMessage()));
            return ExitCode.FAILURE;
        }
        MigrationInterruptedException interrupted = cause(failure, MigrationInterruptedException.class);
        if (interrupted != null) {
            err.println(PREFIX + firstLine(interrupted.getMessage()));
            return ExitCode.FAILURE;
        }
        ProbeFormatException probes = cause(failure, ProbeFormatException.class);
        if (probes != null) {
            err.println(PREFIX + firstLine(probes.getMessage()));
            return ExitCode.USAGE;
        }
        BaselineFile.BaselineFormatException baselineFile = cause(failure, BaselineFile.BaselineFormatException.class);
        if (baselineFile != null) {
            err.println(PREFIX + firstLine(baselineFile.getMessage()));
            return ExitCode.FAILURE;
        }
        java.nio.file.NoSuchFileException missing = cause(failure, java.nio.file.NoSuchFileException.class);
        if (missing != null) {
            err.println(PREFIX + "no such file: " + missing.getFile());
            return ExitCode.USAGE;
        }
        BaselineSchema.BaselineRefusedException baseline = cause(failure, BaselineSchema.BaselineRefusedException.class);
        if (baseline != null) {
            err.println(PREFIX + firstLine(baseline.getMessage()));
            return ExitCode.FAILURE;
        }
        SQLException sql = sqlCause(failure);
        if (sql != null) {
            err.println(PREFIX + explain(sql, null, null, null));
            return ExitCode.FAILURE;
        }
        LiquibaseException liquibase = cause(failure, LiquibaseException.class);
        if (liquibase != null) {
            err.println(PREFIX + "the migration changelog failed: " + liquibaseReason(liquibase)
                    + "; committed work is kept, run status to see where it stands (" + VERBOSE + " for details)");
            return ExitCode.FAILURE;
        }
        err.println(PREFIX + "internal error: " + failure.getClass().getName() + ": " + firstLine(String.valueOf(failure.getMessage()))
                + " (run with " + VERBOSE + " for details)");
        return ExitCode.FAILURE;
    }

    /** Liquibase nests its messages ("Migration failed for changeSet ...: Reason: ..."); the innermost says what broke. */
    private static String liquibaseReason(LiquibaseException e) {
        String reason = firstLine(e.getMessage());
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                reason = firstLine(t.getMessage());
            }
        }
        return reason;
    }

    /** The first SQLException in the cause chain, preferring one that carries an SQLState; null when there is none. */
    public static SQLException sqlCause(Throwable failure) {
        SQLException first = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                if (sql.getSQLState() != null) {
                    return sql;
                }
                if (first == null) {
                    first = sql;
                }
            }
        }
        return first;
    }

    /**
     * One line saying what went wrong with the database and what to check. {@code server} ("host:port/db"), {@code user}
     * and {@code database} are used when known (nullable); otherwise they are read from the driver's message.
     */
    public static String explain(SQLException e, String server, String user, String database) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = serverMessage(e);
        if (isMissingPassword(e)) {
            return "the server at " + where(e, server) + " asks user " + named(user, USER, e) + " for a password and none was"
                    + " given: set PGPASSWORD or add it to ~/.pgpass (PGPASSFILE), or run on a terminal to be asked for it";
        }
        if (state.startsWith("08") || cause(e, ConnectException.class) != null || cause(e, UnknownHostException.class) != null
                || cause(e, SocketTimeoutException.class) != null) {
            return "cannot connect to " + where(e, server) + ": " + connectReason(e)
                    + "; is PostgreSQL running there? check --url or PGHOST/PGPORT";
        }
        switch (state) {
            case "28P01":
                return "authentication failed for user " + named(user, USER, e) + "; set PGPASSWORD or ~/.pgpass";
            case "28000":
                return "authentication failed for user " + named(user, USER, e) + ": " + message
                        + "; set PGPASSWORD or ~/.pgpass, or ask the DBA for a pg_hba.conf entry";
            case "3D000":
                String db = named(database, DATABASE, e);
                return "database " + db + " does not exist; create it (createdb " + db + ") or check --url or PGDATABASE";
            case "57P01", "57P02":
                return "the database connection was lost (" + message + "); run the command again";
            case "42P01":
                return "missing table: " + message + "; is this an Arvados API server database (jobs, job_tasks)?";
            case "42501":
                Matcher schema = SCHEMA.matcher(message);
                if (schema.find()) {
                    return "permission denied: " + message + "; the migration creates its tables there: GRANT CREATE ON SCHEMA "
                            + schema.group(1) + " TO " + (user != null ? user : "the migrating role");
                }
                return "permission denied: " + message + "; connect as the owner of the Arvados tables";
            default:
                return message + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")");
        }
    }

    /** pgjdbc's refusal when the server asks for a password (SCRAM, md5, password) and the client has none. */
    static boolean isMissingPassword(SQLException e) {
        return "08004".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("no password was provided");
    }

    private static String where(SQLException e, String server) {
        if (server != null) {
            return server;
        }
        Matcher m = REFUSED.matcher(String.valueOf(e.getMessage()));
        return m.find() ? m.group(1) : "the database server";
    }

    private static String connectReason(SQLException e) {
        if (cause(e, SocketTimeoutException.class) != null || String.valueOf(e.getMessage()).contains("timed out")) {
            return "no answer within the connect timeout";
        }
        UnknownHostException unknown = cause(e, UnknownHostException.class);
        if (unknown != null) {
            return "unknown host " + unknown.getMessage();
        }
        ConnectException refused = cause(e, ConnectException.class); // "Connection refused", "Network is unreachable", ...
        if (refused != null && refused.getMessage() != null) {
            String m = firstLine(refused.getMessage());
            return m.isEmpty() ? "connection refused" : Character.toLowerCase(m.charAt(0)) + m.substring(1);
        }
        String m = firstLine(String.valueOf(e.getMessage()));
        return m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
    }

    private static String named(String known, Pattern pattern, SQLException e) {
        if (known != null) {
            return known;
        }
        Matcher m = pattern.matcher(String.valueOf(e.getMessage()));
        return m.find() ? m.group(1) : "(unknown)";
    }

    /** The server's own message without pgjdbc's "ERROR: " prefix and detail lines. */
    private static String serverMessage(SQLException e) {
        if (e instanceof PSQLException p) {
            ServerErrorMessage server = p.getServerErrorMessage();
            if (server != null && server.getMessage() != null) {
                return firstLine(server.getMessage());
            }
        }
        return firstLine(String.valueOf(e.getMessage()));
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }

    static String tryHelp(CommandLine commandLine) {
        return "try '" + commandLine.getCommandSpec().qualifiedName() + " --help'";
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(VERBOSE)) {
                return true;
            }
        }
        return false;
    }
}
