package org.arvados.tasksasjobs.verification;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * The summary a person reads on a terminal: one line per check (PASS or FAIL, what it examined, how many rows
 * differ, how long it took), its first differences indented under it, the notes, then one closing verdict line.
 */
public final class HumanReport {

    private HumanReport() {
    }

    public static void write(VerificationReport report, PrintWriter out) {
        out.printf(Locale.ROOT, "verify %s: %d checks in %s (started %s)%n", report.target(), report.checks().size(),
                seconds(report.elapsed()), report.startedAt());
        int width = report.checks().stream().mapToInt(c -> c.name().length()).max().orElse(0);
        for (CheckResult check : report.checks()) {
            out.printf(Locale.ROOT, "%s  %-" + width + "s  %,d examined, %,d %s  (%s)%n", check.passed() ? "PASS" : "FAIL",
                    check.name(), check.examined(), check.differences(), check.differences() == 1 ? "difference" : "differences",
                    seconds(check.elapsed()));
            for (String line : check.firstDifferences()) {
                out.println("      " + line);
            }
            if (check.differences() > check.firstDifferences().size() && !check.firstDifferences().isEmpty()) {
                out.printf(Locale.ROOT, "      ... and %,d more%n", check.differences() - check.firstDifferences().size());
            }
        }
        for (String note : report.notes()) {
            out.println("note: " + note);
        }
        long failures = report.failures();
        if (report.passed()) {
            out.println("verification passed");
        } else if (failures == 0) {
            out.println("FAILED: no checks ran");
        } else {
            out.println("FAILED: " + failures + (failures == 1 ? " check" : " checks"));
        }
        out.flush();
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
