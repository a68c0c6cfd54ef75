package org.arvados.tasksasjobs.verification;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One check's verdict.
 *
 * @param name              a short stable name ({@code round-trip}, {@code contract}, ...): what reports and CI key on
 * @param description       what the check proves, one sentence
 * @param passed            whether it found nothing wrong
 * @param examined          how many rows or probes it looked at
 * @param differences       how many rows or probes differ
 * @param firstDifferences  up to 20 one-line descriptions, each naming the exact row (uuid) or probe and both sides
 * @param elapsed           how long the check took
 */
public record CheckResult(String name, String description, boolean passed, long examined, long differences,
                          List<String> firstDifferences, Duration elapsed) {

    public CheckResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(elapsed, "elapsed");
        firstDifferences = firstDifferences == null ? List.of() : List.copyOf(firstDifferences);
    }

    /** A verdict from what a check counted: it passes exactly when nothing differs. */
    static CheckResult of(String name, String description, long examined, Differences differences, long startNanos) {
        return new CheckResult(name, description, differences.count() == 0, examined, differences.count(),
                differences.first(), Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /** A check that could not look at anything: a failure, so that verification never passes by not checking. */
    static CheckResult cannotRun(String name, String description, String why, long startNanos) {
        return new CheckResult(name, description, false, 0, 1, List.of("cannot check: " + why),
                Duration.ofNanos(System.nanoTime() - startNanos));
    }
}
