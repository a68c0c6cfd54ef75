package org.arvados.tasksasjobs.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.util.concurrent.Callable;
import org.arvados.tasksasjobs.backfill.BackfillListener;
import org.arvados.tasksasjobs.migration.Migrator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "rollback", description = {"Undo every phase: delete the task-like jobs, the quarantine and checkpoint"
        + " tables, the new columns and indexes. jobs and job_tasks are left row for row as they were before migrate.",
        "Refuses when task-like jobs exist that no job_tasks row stands for (made after the migration), unless --force."})
final class RollbackCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--force", description = "Also delete task-like jobs that have no job_tasks row.")
    boolean force;

    @Mixin
    LockOptions locks;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        try (DatabaseTarget target = connection.open("tasks-as-jobs rollback"); Connection c = target.connect()) {
            new Migrator(c, BackfillListener.NONE).rollback(force, locks.lockTimeout);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("rolled back %s to before tasks-as-jobs in %s%n", target.describe(),
                    MigrationSummary.seconds((System.nanoTime() - start) / 1_000_000));
            out.flush();
            return ExitCode.OK;
        }
    }
}
