package org.arvados.tasksasjobs.migration;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import liquibase.exception.LiquibaseException;
import org.arvados.tasksasjobs.backfill.MigrationRefusedException;
import org.arvados.tasksasjobs.changelog.SchemaState;
import org.arvados.tasksasjobs.verification.VerificationReport;
import org.arvados.tasksasjobs.verification.Verifier;

/**
 * The one order of a migrating run, for {@code migrate} and {@code demo} alike: record the verification baseline
 * (when verifying), run the phases, and verify (when verifying and every task was carried or quarantined). The
 * commands only choose the options and print; {@link Stages} tells them each step's result as it comes.
 */
public final class MigrationPipeline {

    /** Each step's result, as it comes, so a command can print it before the next step starts. */
    public interface Stages {
        default void baselineRecorded(Path baseline, Verifier.BaselineSummary summary) {
        }

        default void migrated(Migrator.Outcome outcome) {
        }
    }

    /**
     * What the run did.
     *
     * @param verification the verification report; empty when not verifying, or when the migration left tasks
     *                     neither carried nor quarantined (nothing to verify yet)
     */
    public record Result(Migrator.Outcome outcome, Optional<VerificationReport> verification) {

        /** Every task was carried or quarantined. */
        public boolean complete() {
            return outcome.complete();
        }
    }

    /** Where the baseline goes and what it compares, or none: {@link #NONE} migrates without verifying. */
    public record Verification(Verifier verifier, Path baseline, Path probes, String target) {
        public static final Verification NONE = new Verification(null, null, null, null);

        public Verification {
            if (verifier != null) {
                Objects.requireNonNull(baseline, "baseline");
            }
        }

        boolean enabled() {
            return verifier != null;
        }
    }

    private final Migrator migrator;

    public MigrationPipeline(Migrator migrator) {
        this.migrator = Objects.requireNonNull(migrator, "migrator");
    }

    public Result run(Migrator.Options options, Verification verification, Stages stages)
            throws SQLException, LiquibaseException, IOException {
        if (verification.enabled()) {
            String why = SchemaState.read(migrator.connection()).whyNotArvados();
            if (why != null) {
                throw new MigrationRefusedException(why);
            }
            stages.baselineRecorded(verification.baseline(), verification.verifier()
                    .recordBaseline(verification.baseline(), verification.probes(), verification.target()));
        }
        Migrator.Outcome outcome = migrator.migrate(options);
        stages.migrated(outcome);
        Result migrated = new Result(outcome, Optional.empty());
        if (!verification.enabled() || !migrated.complete()) {
            return migrated;
        }
        VerificationReport report = verification.verifier()
                .verify(verification.baseline(), verification.probes(), verification.target());
        return new Result(outcome, Optional.of(report));
    }
}
