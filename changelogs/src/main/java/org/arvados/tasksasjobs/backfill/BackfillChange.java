package org.arvados.tasksasjobs.backfill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import liquibase.Scope;
import liquibase.change.custom.CustomTaskChange;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CustomChangeException;
import liquibase.exception.DatabaseException;
import liquibase.exception.ValidationErrors;
import liquibase.executor.Executor;
import liquibase.executor.ExecutorService;
import liquibase.executor.LoggingExecutor;
import liquibase.resource.ResourceAccessor;
import org.arvados.tasksasjobs.changelog.SchemaState;
import org.arvados.tasksasjobs.mapping.InheritPolicy;
import org.arvados.tasksasjobs.mapping.TaskJobMapping;

/**
 * The Liquibase face of {@link Backfill}: the {@code customChange} of backfill.xml. Its attributes come from
 * changelog parameters ({@code tasksAsJobs.batchSize}, {@code tasksAsJobs.inheritPolicy} (a file path, empty for
 * "inherit every key"), {@code tasksAsJobs.strict}). A caller running Liquibase in-process may instead put a
 * {@link BackfillSettings}, a {@link BackfillListener} and a {@link ConnectionSource} (for more than one worker) into
 * the Liquibase scope.
 */
public class BackfillChange implements CustomTaskChange {

    /** Liquibase scope key for {@link BackfillSettings} that take precedence over the attributes. */
    public static final String SETTINGS_SCOPE_KEY = "tasksAsJobs.backfillSettings";

    private String batchSize;
    private String inheritPolicy;
    private String strict;
    private BackfillResult result;

    public void setBatchSize(String batchSize) {
        this.batchSize = batchSize;
    }

    public void setInheritPolicy(String inheritPolicy) {
        this.inheritPolicy = inheritPolicy;
    }

    public void setStrict(String strict) {
        this.strict = strict;
    }

    @Override
    public void execute(Database database) throws CustomChangeException {
        BackfillSettings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            throw new CustomChangeException(e.getMessage(), e);
        }
        Connection connection = ((JdbcConnection) database.getConnection()).getUnderlyingConnection();
        Executor executor = Scope.getCurrentScope().getSingleton(ExecutorService.class).getExecutor("jdbc", database);
        if (executor instanceof LoggingExecutor) {
            describeInstead(executor, connection, settings);
            return;
        }
        try {
            if (SchemaState.read(connection).contracted()) {
                // After the contract phase every write to a task reaches the task-like jobs directly: nothing to carry.
                Scope.getCurrentScope().getUI().sendMessage("backfill: nothing to do, job_tasks is the contract's view over the task-like jobs");
                return;
            }
        } catch (SQLException e) {
            throw new CustomChangeException("backfill failed: " + e.getMessage(), e);
        }
        TaskJobMapping mapping = settings.mapping();
        BackfillListener listener = Scope.getCurrentScope().get(BackfillListener.SCOPE_KEY, BackfillListener.class);
        try {
            ConnectionSource more = Scope.getCurrentScope().get(ConnectionSource.SCOPE_KEY, ConnectionSource.class);
            result = new Backfill(connection, more, mapping, settings, listener != null ? listener : new UiListener()).run();
        } catch (SQLException e) {
            throw new CustomChangeException("backfill failed: " + e.getMessage() + "; committed batches are kept, run again to resume", e);
        } catch (MigrationRefusedException e) {
            throw new CustomChangeException(e.getMessage(), e);
        }
    }

    /**
     * update-sql, updateSQL and the like only print: the backfill, which writes through its own JDBC, says what it
     * would do as SQL comments instead, from the plan's read-only survey (every task mapped as the backfill would,
     * a sample written into a temporary table that is rolled back), and touches nothing.
     */
    private static void describeInstead(Executor executor, Connection connection, BackfillSettings settings)
            throws CustomChangeException {
        try {
            MigrationPlan.Report plan = new MigrationPlan(connection, settings.mapping(), settings).survey();
            executor.comment("tasks-as-jobs backfill: not run (this command only prints SQL); no row is written by it.");
            executor.comment(String.format("It would examine %d of the %d tasks of job_tasks: carry %d as task-like jobs"
                    + " and quarantine %d%s.", plan.toExamine(), plan.tasks(), plan.toCarry(),
                    plan.toQuarantine().values().stream().mapToLong(Long::longValue).sum(),
                    plan.toQuarantine().isEmpty() ? "" : " " + plan.toQuarantine()));
            executor.comment(String.format("Estimated time: %d s (reading and mapping %.0f rows/s, writing %.0f rows/s, as"
                    + " measured on this database just now).", plan.estimate().toSeconds(), plan.mapRowsPerSecond(),
                    plan.writeRowsPerSecond()));
            executor.comment("It runs in batches, each committed with its checkpoint, so it can be stopped and resumed.");
        } catch (SQLException | DatabaseException e) {
            throw new CustomChangeException("backfill (update-sql): cannot survey the tasks: " + e.getMessage(), e);
        }
    }

    BackfillSettings settings() {
        BackfillSettings fromScope = Scope.getCurrentScope().get(SETTINGS_SCOPE_KEY, BackfillSettings.class);
        if (fromScope != null) {
            return fromScope;
        }
        BackfillSettings settings = BackfillSettings.defaults();
        if (batchSize != null && !batchSize.isBlank() && !batchSize.trim().equals("auto")) {
            try {
                settings = settings.withBatchSize(Integer.parseInt(batchSize.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("tasksAsJobs.batchSize must be a whole number or auto, not '" + batchSize + "'");
            }
        }
        if (inheritPolicy != null && !inheritPolicy.isBlank()) {
            Path file = Path.of(inheritPolicy.trim());
            try {
                settings = settings.withInheritPolicy(InheritPolicy.parse(Files.readString(file)));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read inherit policy " + file + ": " + e.getMessage());
            }
        }
        if (strict != null && !strict.isBlank()) {
            String s = strict.trim();
            if (!s.equals("true") && !s.equals("false")) {
                throw new IllegalArgumentException("tasksAsJobs.strict must be true or false, not '" + strict + "'");
            }
            settings = settings.withStrict(Boolean.parseBoolean(s));
        }
        return settings;
    }

    @Override
    public String getConfirmationMessage() {
        if (result == null) {
            return "backfill did not run";
        }
        String changes = result.changesApplied() == 0 && result.changesWaiting() == 0 ? ""
                : "; " + result.changesApplied() + " captured job_tasks writes applied, " + result.changesWaiting() + " waiting";
        if (result.nothingToDo()) {
            return "backfill: nothing to do, every task is already carried or quarantined" + changes;
        }
        return "backfill: " + result.migrated() + " task-like jobs written, " + result.quarantined() + " tasks quarantined" + changes;
    }

    @Override
    public void setUp() {
        // settings are read when the change runs, so a Scope set by the caller is seen
    }

    @Override
    public void setFileOpener(ResourceAccessor resourceAccessor) {
        // the inherit policy is a file path of the operator's, not a changelog resource
    }

    @Override
    public ValidationErrors validate(Database database) {
        ValidationErrors errors = new ValidationErrors();
        try {
            settings();
        } catch (IllegalArgumentException e) {
            errors.addError(e.getMessage());
        }
        return errors;
    }

    /** Plain progress lines and the run's summary through Liquibase's UI, for runs under a stock Liquibase. */
    private static final class UiListener implements BackfillListener {
        private static final long INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();
        private long lastReport = System.nanoTime();

        @Override
        public void batchCommitted(BackfillProgress p) {
            long now = System.nanoTime();
            if (now - lastReport >= INTERVAL_NANOS) {
                lastReport = now;
                Scope.getCurrentScope().getUI().sendMessage(String.format("backfill: %d/%d tasks (%.0f%%), %.0f rows/s",
                        p.done(), p.total(), p.fraction() * 100, p.rate()));
            }
        }

        @Override
        public void finished(BackfillResult result) {
            Scope.getCurrentScope().getUI().sendMessage(String.format("backfill: %d task-like jobs written, %d tasks"
                    + " quarantined (they stay in job_tasks; see job_tasks_quarantine) in %.1f s", result.migrated(),
                    result.quarantined(), result.elapsed().toNanos() / 1e9));
            Scope.getCurrentScope().getUI().sendMessage("backfill: the contract phase (job_tasks becomes a view) runs only"
                    + " when asked for by name, after a passed verification: tasks-as-jobs verify --baseline FILE, then"
                    + " liquibase update --contexts=contract");
        }
    }
}
