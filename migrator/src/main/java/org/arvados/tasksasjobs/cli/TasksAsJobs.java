package org.arvados.tasksasjobs.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.arvados.tasksasjobs.backfill.BackfillListener;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code tasks-as-jobs} command line. {@link #main} is the jar's entry point; {@link #execute} runs a command
 * in-process with the given streams and returns its exit code ({@link ExitCode}), which is how tests call it.
 * Commands print through {@code spec.commandLine().getOut()/getErr()}, never System.out, and never call System.exit.
 */
@Command(name = "tasks-as-jobs",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        // INHERIT: every subcommand gets --help and --version too.
        scope = ScopeType.INHERIT,
        synopsisSubcommandLabel = "COMMAND",
        description = "Carries an Arvados database from crunch v1 job_tasks to task-like jobs.",
        subcommands = {
            DemoCommand.class,
            SeedCommand.class,
            PlanCommand.class,
            MigrateCommand.class,
            StatusCommand.class,
            RollbackCommand.class,
            VerifyCommand.class,
            ReuseCommand.class,
            SavingsCommand.class,
            ServeCommand.class,
            BenchCommand.class,
            BenchGatewayCommand.class,
            CommandLine.HelpCommand.class,
        },
        footer = {"", "Exit codes: 0 success, 1 verification found differences, 2 usage error, 3 database or migration error."})
public final class TasksAsJobs implements Callable<Integer> {

    // Held for the JVM's life: java.util.logging keeps loggers only weakly, and a collected one forgets its level.
    private static final Logger LIQUIBASE_LOG = Logger.getLogger("liquibase");

    @Spec
    private CommandSpec spec;

    @Option(names = ErrorHandler.VERBOSE, scope = ScopeType.INHERIT, description = "print stack traces of errors")
    private boolean verbose;

    private final UnaryOperator<BackfillListener> backfillListeners;
    private Terminal terminal = Terminal.NONE;

    /** The command line as the jar runs it; picocli's generators (man pages, completion) build it this way. */
    public TasksAsJobs() {
        this(UnaryOperator.identity());
    }

    /**
     * @param backfillListeners wraps the progress listener of every backfill (migrate, demo): identity in the jar;
     *     tests wrap it to inject faults (halt after a batch, pause) from test code
     */
    TasksAsJobs(UnaryOperator<BackfillListener> backfillListeners) {
        this.backfillListeners = backfillListeners;
    }

    public static void main(String[] args) {
        System.exit(run(args, UnaryOperator.identity()));
    }

    /** What {@link #main} does, without exiting: runs {@code args} on System.out and System.err. */
    static int run(String[] args, UnaryOperator<BackfillListener> backfillListeners) {
        // Liquibase logs every changeSet at INFO, and a failed one at SEVERE with its stack trace, through
        // java.util.logging to stderr. The error handler already says in one line what failed and what to do, so
        // Liquibase stays silent unless --verbose asks for its warnings and errors (stack traces included).
        LIQUIBASE_LOG.setLevel(java.util.Arrays.asList(args).contains(ErrorHandler.VERBOSE) ? Level.WARNING : Level.OFF);
        return commandLine(System.out, System.err, backfillListeners).execute(args);
    }

    /** Runs one command line with {@code out} and {@code err} as its streams; returns the exit code. */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        return commandLine(out, err).execute(args);
    }

    /** The configured command line, for callers that need it (tests of help output, shell completion). */
    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        return commandLine(out, err, UnaryOperator.identity());
    }

    private static CommandLine commandLine(PrintStream out, PrintStream err, UnaryOperator<BackfillListener> backfillListeners) {
        ErrorHandler errors = new ErrorHandler();
        TasksAsJobs root = new TasksAsJobs(backfillListeners);
        root.terminal = Terminal.of(out, err, System.getenv());
        return new CommandLine(root)
                .setColorScheme(CommandLine.Help.defaultColorScheme(
                        root.terminal.colourOnStdout() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF))
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors);
    }

    /** Without a command there is nothing to do: a usage error that lists the commands. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(),
                "missing command: choose one of " + String.join(", ", spec.subcommands().keySet()));
    }

    /** The listener a backfill reports to: {@code progress}, as the constructor's wrapper made it. */
    BackfillListener backfillListener(BackfillListener progress) {
        return backfillListeners.apply(progress);
    }

    /** Which of this run's streams are terminals (progress bars and colour only there). */
    public Terminal terminal() {
        return terminal;
    }

    /** The terminal state of the command line {@code spec} belongs to. */
    static Terminal terminal(CommandSpec spec) {
        return spec.root().userObject() instanceof TasksAsJobs root ? root.terminal : Terminal.NONE;
    }

    /** Whether --verbose was given (on this command or any subcommand). */
    public boolean verbose() {
        return verbose;
    }
}
