package org.arvados.tasksasjobs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import org.arvados.tasksasjobs.verification.HumanReport;
import org.arvados.tasksasjobs.verification.JUnitReport;
import org.arvados.tasksasjobs.verification.JsonReport;
import org.arvados.tasksasjobs.verification.VerificationReport;

/** Writes a verification report where it was asked for and turns it into the exit code. */
final class VerifyReports {

    private VerifyReports() {
    }

    /** With {@code --json} the JSON report takes {@code out} and the human one {@code err}. */
    static int publish(VerificationReport report, VerifyCommand.VerifyOptions options, PrintWriter out, PrintWriter err)
            throws IOException {
        PrintWriter human = options.json.textStream(out, err);
        HumanReport.write(report, human);
        human.flush();
        if (options.json.wanted()) {
            options.json.write(JsonReport.toJson(report), out);
        }
        if (options.junit != null) {
            JUnitReport.write(report, options.junit);
        }
        return report.passed() ? ExitCode.OK : ExitCode.DIFFERENCES;
    }
}
