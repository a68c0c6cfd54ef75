package org.arvados.tasksasjobs.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.Callable;
import org.arvados.tasksasjobs.changelog.SchemaState;
import org.arvados.tasksasjobs.backfill.MigrationRefusedException;
import org.arvados.tasksasjobs.verification.VerificationReport;
import org.arvados.tasksasjobs.verification.Verifier;
import org.arvados.tasksasjobs.yaml.SnakeYamlDecoder;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "verify", sortOptions = false, description = {"Prove a migration changed nothing it must not.",
        "Before migrating: verify --record-baseline FILE (reuse outcomes of every top-level job and of --probes, each"
                + " evaluated twice to spot unstable ones, and checksums of the top-level jobs).",
        "After: verify --baseline FILE compares, and checks that every task round-trips, the quarantine, the mapping"
                + " and the contract. Exit 0 when everything passes, 1 on any difference, 3 when it could not run."})
final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    @Mixin
    VerifyOptions verify;

    static final class Mode {
        @Option(names = "--record-baseline", paramLabel = "FILE", required = true,
                description = "Record the baseline (on the database before migrate) into FILE.")
        Path record;

        @Option(names = "--baseline", paramLabel = "FILE", required = true,
                description = "Compare the (migrated) database with the baseline in FILE and run every check.")
        Path baseline;
    }

    /** The options verify and migrate --verify share. */
    static final class VerifyOptions {
        @Option(names = "--probes", paramLabel = "FILE", description = "Also compare these submissions (JSON lines, see README).")
        Path probes;

        @Mixin
        JsonOutput json = new JsonOutput();

        @Option(names = "--junit", paramLabel = "FILE", description = "Write the report as JUnit XML to FILE (one testcase per check).")
        Path junit;

        @Option(names = "--inherit-policy", paramLabel = "FILE",
                description = "The inherit policy the migration ran with (default: every parent key is inherited).")
        Path inheritPolicy;
    }

    @Override
    public Integer call() throws Exception {
        try (DatabaseTarget target = connection.open("tasks-as-jobs verify"); Connection c = target.connect()) {
            String why = SchemaState.read(c).whyNotArvados();
            if (why != null) {
                throw new MigrationRefusedException(why);
            }
            Verifier verifier = new Verifier(c, new SnakeYamlDecoder(), InheritPolicyFile.read(verify.inheritPolicy));
            PrintWriter out = spec.commandLine().getOut();
            if (mode.record != null) {
                Verifier.BaselineSummary s = verifier.recordBaseline(mode.record, verify.probes, target.describe());
                printBaseline(out, mode.record, s);
                return ExitCode.OK;
            }
            VerificationReport report = verifier.verify(mode.baseline, verify.probes, target.describe());
            return VerifyReports.publish(report, verify, out, spec.commandLine().getErr());
        }
    }

    static void printBaseline(PrintWriter out, Path file, Verifier.BaselineSummary s) {
        out.printf("recorded baseline %s: %,d top-level jobs and %,d probes in %s; %,d unstable outcomes (noise)%n",
                file, s.jobs(), s.probes(), MigrationSummary.seconds(s.elapsed().toMillis()), s.noisy());
        s.noise().forEach(n -> out.println("  noise: " + n));
        if (s.skipped().unparseable() > 0) {
            out.printf("  %,d top-level jobs have unreadable script_parameters and were not probed, e.g. %s%n",
                    s.skipped().unparseable(), String.join(", ", s.skipped().examples()));
        }
        out.flush();
    }
}
