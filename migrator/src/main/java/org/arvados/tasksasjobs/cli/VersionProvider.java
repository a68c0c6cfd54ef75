package org.arvados.tasksasjobs.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the Implementation-Version of the jar's manifest, or "development" when run from classes. */
public final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {
            "tasks-as-jobs " + version(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
        };
    }

    /** This build's version; also for reports and the migration's bookkeeping. */
    public static String version() {
        String v = TasksAsJobs.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? "development" : v;
    }
}
