package org.arvados.tasksasjobs.verification;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything one verification found, as the reports print it.
 *
 * @param target     what was verified, as shown to people (a database name or a URL without its password)
 * @param startedAt  when the verification began
 * @param elapsed    how long it took in all
 * @param checks     each check's verdict, in the order they ran
 * @param notes      what a reader should know that is not a difference (noise, skipped probes, where the baseline came from)
 */
public record VerificationReport(String target, Instant startedAt, Duration elapsed, List<CheckResult> checks, List<String> notes) {

    public VerificationReport {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(elapsed, "elapsed");
        target = target == null ? "" : target;
        checks = List.copyOf(checks);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** True when every check passed (a report without checks proves nothing, so it does not pass). */
    public boolean passed() {
        return !checks.isEmpty() && checks.stream().allMatch(CheckResult::passed);
    }

    /** How many checks failed. */
    long failures() {
        return checks.stream().filter(c -> !c.passed()).count();
    }
}
