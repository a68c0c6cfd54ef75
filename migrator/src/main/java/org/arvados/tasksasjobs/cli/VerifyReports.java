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

    static int publish(VerificationReport report, VerifyCommand.VerifyOptions options, PrintWriter out) throws IOException {
        HumanReport.write(report, out);
        out.flush();
        if (options.json != null) {
            JsonReport.write(report, options.json);
        }
        if (options.junit != null) {
            JUnitReport.write(report, options.junit);
        }
        return report.passed() ? ExitCode.OK : ExitCode.DIFFERENCES;
    }
}
