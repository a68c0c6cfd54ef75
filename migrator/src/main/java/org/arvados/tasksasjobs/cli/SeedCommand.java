package org.arvados.tasksasjobs.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import liquibase.exception.LiquibaseException;
import org.arvados.tasksasjobs.changelog.BaselineSchema;
import org.arvados.tasksasjobs.changelog.BaselineSchema.BaselineRefusedException;
import org.arvados.tasksasjobs.seed.SeedGenerator;
import org.arvados.tasksasjobs.seed.SeedSpec;
import org.arvados.tasksasjobs.seed.SeedSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code seed}: creates the pre-migration Arvados schema in an empty database and fills it with synthetic crunch v1 data. */
@Command(name = "seed",
        sortOptions = false,
        description = {
            "Creates the pre-migration Arvados schema (jobs, job_tasks and every index of the real schema) in an empty"
                    + " database and fills it with realistic synthetic crunch v1 jobs and tasks.",
            "The same --jobs, --tasks-per-job, --seed and --dirty always give the same rows."})
public final class SeedCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "1000", description = "top-level jobs (default: ${DEFAULT-VALUE})")
    private int jobs;

    @Option(names = "--tasks-per-job", paramLabel = "K", defaultValue = "20",
            description = "tasks per job that ran, on average (default: ${DEFAULT-VALUE})")
    private int tasksPerJob;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--dirty", description = "also plant what old databases hold and a migration must handle: orphan tasks,"
            + " NULL and malformed uuids, unparseable parameters, uuid collisions, tasks created by missing tasks")
    private boolean dirty;

    @Override
    public Integer call() throws SQLException {
        SeedSpec seedSpec = seedSpec();
        PrintWriter out = spec.commandLine().getOut();
        try (DatabaseTarget target = connection.open("tasks-as-jobs seed"); Connection c = target.connect()) {
            long start = System.nanoTime();
            createSchema(c, target);
            SeedSummary summary = new SeedGenerator(seedSpec).writeTo(c);
            double seconds = (System.nanoTime() - start) / 1e9;
            out.println(String.format(Locale.ROOT, "seeded %,d jobs and %,d tasks into %s in %.1f s (planted: %s)",
                    summary.jobs(), summary.tasks(), target.describe(), seconds, planted(summary)));
        }
        return ExitCode.OK;
    }

    private SeedSpec seedSpec() {
        try {
            return new SeedSpec(jobs, tasksPerJob, seed, dirty);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static void createSchema(Connection c, DatabaseTarget target) {
        try {
            BaselineSchema.apply(c);
        } catch (BaselineRefusedException e) {
            throw MigratorException.failure(e.getMessage() + "; seed into a new database (createdb) or use --embedded", e);
        } catch (LiquibaseException e) {
            SQLException sql = ErrorHandler.sqlCause(e);
            String reason = sql != null ? ErrorHandler.explain(sql, target.describe(), null, null) : ErrorHandler.firstLine(e.getMessage());
            throw MigratorException.failure("cannot create the Arvados baseline schema in " + target.describe() + ": " + reason, e);
        }
    }

    /** The counts that are not zero, dirt first: "3 orphan, 1,234 yaml_rows, ...". */
    private static String planted(SeedSummary summary) {
        StringJoiner joiner = new StringJoiner(", ");
        for (Map.Entry<String, Long> e : summary.planted().entrySet()) {
            if (e.getValue() > 0) {
                joiner.add(String.format(Locale.ROOT, "%,d %s", e.getValue(), e.getKey()));
            }
        }
        return joiner.length() == 0 ? "nothing" : joiner.toString();
    }
}
