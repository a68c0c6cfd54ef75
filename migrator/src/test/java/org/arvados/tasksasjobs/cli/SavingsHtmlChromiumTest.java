package org.arvados.tasksasjobs.cli;

import static org.arvados.tasksasjobs.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML savings report in a real browser: Debian's Chromium, headless, from a file with the network off, as a
 * manager opens an e-mailed report. Both charts are drawn, the console shows no error, and a screenshot is kept as
 * a test artifact (target/savings-report.png). Skipped, saying so, where no Chromium is installed (.ci/run installs
 * it).
 */
@ExtendWith(FreshDatabaseExtension.class)
class SavingsHtmlChromiumTest {

    @TempDir
    Path dir;

    @Test
    void theReportOpensOfflineWithBothChartsAndNoConsoleError(TestDatabase db) throws Exception {
        Path chromium = chromium();
        SavingsCommandTest.history(db);
        Path html = dir.resolve("savings.html");
        Cli.Run savings = run("savings", "--url", db.jdbcUrl(), "--html", html.toString());
        assertEquals(ExitCode.OK, savings.exitCode(), savings.err());

        Browser dom = chromium(chromium, "--dump-dom", html.toUri().toString());
        assertEquals(0, dom.exit(), dom.err());
        assertTrue(dom.out().contains("data-charts=\"2\""), "the charts were not both drawn; console:\n"
                + console(dom.err()));
        assertTrue(dom.out().contains("2016-04"), "the months are not on the chart"); // the last month's label
        assertTrue(dom.out().contains("impure_script"), "the scripts are not on the chart");
        assertTrue(console(dom.err()).isEmpty(), "console errors:\n" + console(dom.err()));

        Path screenshot = Path.of("target", "savings-report.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        Browser shot = chromium(chromium, "--screenshot=" + screenshot, "--window-size=1200,1600",
                html.toUri().toString());
        assertEquals(0, shot.exit(), shot.err());
        assertTrue(Files.size(screenshot) > 20_000, "a screenshot of " + Files.size(screenshot) + " bytes");
    }

    /** The page's console errors in Chromium's log ({@code ...:CONSOLE:line] "Uncaught ...", source: ...}). */
    private static String console(String log) {
        return String.join("\n", log.lines().filter(line -> line.contains("CONSOLE")
                && (line.contains("Uncaught") || line.contains("Error") || line.contains(":ERROR:"))).toList());
    }

    private record Browser(int exit, String out, String err) {
    }

    private Browser chromium(Path chromium, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--no-first-run", "--user-data-dir=" + dir.resolve("profile"),
                "--proxy-server=127.0.0.1:9", "--enable-logging=stderr", "--v=0",
                "--virtual-time-budget=5000"));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "chromium did not end");
        return new Browser(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Path chromium() {
        for (String name : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (Files.isExecutable(Path.of(name))) {
                return Path.of(name);
            }
        }
        Assumptions.abort("no Chromium here (apt-get install chromium): the HTML report is not rendered");
        return null;
    }
}
