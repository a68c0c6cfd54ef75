package org.arvados.tasksasjobs.cli;

/**
 * The command line as the jar runs it, with the faults of {@link FaultInjection} when {@value FaultInjection#VARIABLE}
 * is set: the main class of {@link ChildMigrator}'s JVMs. The fault code lives here, in the tests, never in the jar.
 */
public final class FaultyTasksAsJobs {

    private FaultyTasksAsJobs() {
    }

    public static void main(String[] args) {
        String fault = System.getenv(FaultInjection.VARIABLE);
        System.exit(TasksAsJobs.run(args, progress -> FaultInjection.wrap(progress, fault, System.out, System.in)));
    }
}
