package org.arvados.tasksasjobs.verification;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The report as JUnit XML ({@code verify --junit FILE}), the format CI servers read: one testsuite, one testcase per
 * check, a failure (type {@code difference}) per failed check whose message is the count and the first difference and
 * whose body lists the first differences; the check's description in its system-out.
 *
 * <p>Written with the JDK's own StAX writer in US-ASCII: it escapes markup, and writes every non-ASCII character as a
 * character reference, so the file reads the same whatever encoding a CI server assumes. Characters XML 1.0 cannot
 * hold at all (control characters, lone surrogates) are written as visible {@code \\uXXXX} escapes instead.
 */
public final class JUnitReport {

    static final String SUITE = "tasks-as-jobs verify";
    static final String CLASSNAME = "tasks-as-jobs.verify";

    private JUnitReport() {
    }

    public static void write(VerificationReport report, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            XMLStreamWriter xml = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out, "US-ASCII");
            try {
                write(report, xml);
                xml.flush();
            } finally {
                xml.close(); // does not close the stream; the try-with-resources does
            }
        } catch (XMLStreamException e) {
            throw new IOException("cannot write the JUnit report " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(VerificationReport report, XMLStreamWriter xml) throws XMLStreamException {
        xml.writeStartDocument("US-ASCII", "1.0");
        xml.writeCharacters("\n");
        xml.writeStartElement("testsuite");
        attribute(xml, "name", SUITE);
        attribute(xml, "tests", String.valueOf(report.checks().size()));
        attribute(xml, "failures", String.valueOf(report.failures()));
        attribute(xml, "errors", "0");
        attribute(xml, "skipped", "0");
        attribute(xml, "time", seconds(report.elapsed()));
        // Surefire's report schema (what Jenkins, GitLab and GitHub readers accept) allows no timestamp attribute and no
        // suite-level output: the start time and the notes are properties (docs/operations.md "CI").
        xml.writeCharacters("\n  ");
        xml.writeStartElement("properties");
        property(xml, "target", report.target());
        property(xml, "timestamp", LocalDateTime.ofInstant(report.startedAt(), ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString());
        for (String note : report.notes()) {
            property(xml, "note", note);
        }
        xml.writeCharacters("\n  ");
        xml.writeEndElement();
        for (CheckResult check : report.checks()) {
            xml.writeCharacters("\n  ");
            xml.writeStartElement("testcase");
            attribute(xml, "classname", CLASSNAME);
            attribute(xml, "name", check.name());
            attribute(xml, "time", seconds(check.elapsed()));
            if (!check.passed()) {
                xml.writeCharacters("\n    ");
                xml.writeStartElement("failure");
                String first = check.firstDifferences().isEmpty() ? "" : ": " + check.firstDifferences().get(0);
                attribute(xml, "message", check.differences() + (check.differences() == 1 ? " difference" : " differences") + first);
                attribute(xml, "type", "difference");
                StringBuilder body = new StringBuilder();
                for (String line : check.firstDifferences()) {
                    body.append(line).append('\n');
                }
                if (check.differences() > check.firstDifferences().size()) {
                    body.append("... and ").append(check.differences() - check.firstDifferences().size()).append(" more\n");
                }
                text(xml, body.toString());
                xml.writeEndElement();
            }
            xml.writeCharacters("\n    ");
            xml.writeStartElement("system-out");
            text(xml, check.description() + "\nexamined: " + check.examined() + ", differences: " + check.differences() + "\n");
            xml.writeEndElement();
            xml.writeCharacters("\n  ");
            xml.writeEndElement();
        }
        xml.writeCharacters("\n");
        xml.writeEndElement();
        xml.writeCharacters("\n");
        xml.writeEndDocument();
    }

    private static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeCharacters("\n    ");
        xml.writeEmptyElement("property");
        attribute(xml, "name", name);
        attribute(xml, "value", value);
    }

    private static void attribute(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        // An XML parser turns a line break inside an attribute into a space; keep it visible instead.
        xml.writeAttribute(name, legal(value, true));
    }

    private static void text(XMLStreamWriter xml, String value) throws XMLStreamException {
        xml.writeCharacters(legal(value, false));
    }

    /** The text with every character XML 1.0 cannot hold (and, in attributes, every line break) as a visible escape. */
    static String legal(String value, boolean attribute) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            boolean lineBreak = cp == '\n' || cp == '\r' || cp == '\t';
            boolean illegal = !lineBreak && (cp < 0x20 || (cp <= 0xffff && Character.isSurrogate((char) cp)) || cp == 0xfffe || cp == 0xffff);
            if (illegal || (attribute && lineBreak)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
    }
}
