package org.arvados.tasksasjobs.savings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.arvados.tasksasjobs.reuse.SavingsReport;

/**
 * The savings report as one self-contained HTML file for the people deciding whether to migrate: the totals, and
 * two charts drawn by Apache ECharts (task-hours run and reusable by month; the top scripts). The library and the
 * report's JSON are inlined, so the file opens offline, e-mailed or on a laptop.
 */
public final class SavingsHtml {

    private static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

    private SavingsHtml() {
    }

    /** The page; {@code generated} is a line saying where and when the figures come from. */
    public static String of(SavingsReport report, String generated) {
        // A "</" inside an inline script would end it early: the JSON and the library are escaped against it.
        return resource("report.html", SavingsHtml.class)
                .replace("${echarts}", resource(ECHARTS, SavingsHtml.class).replace("</", "<\\/"))
                .replace("${generated}", escape(generated))
                .replace("${report}", report.toJson().toString().replace("</", "<\\/"));
    }

    private static String resource(String name, Class<?> near) {
        try (InputStream in = near.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " (the build packs it)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
