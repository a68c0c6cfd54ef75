package org.arvados.tasksasjobs.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ReportsTest {

    private static final String AWKWARD = "task zzzzz-ot0gb-x: parameters '<a & \"b\">' vs 'gr\u00fcn \u2603 \ud83d\ude00' \u0001\u001b end";

    private static final VerificationReport FAILED = new VerificationReport("arvados_production on db.example:5432",
            Instant.parse("2024-05-01T12:00:00.250Z"), Duration.ofMillis(3456), List.of(
                    new CheckResult("round-trip", "job_tasks rebuilt equals job_tasks", true, 1_234_567, 0, List.of(), Duration.ofMillis(1200)),
                    new CheckResult("contract", "Every task-like job holds the contract", false, 1_234_567, 23,
                            IntStream.range(0, 20).mapToObj(i -> i == 0 ? AWKWARD : "task " + i + ": priority is '1', expected '0'").toList(),
                            Duration.ofMillis(2000)),
                    new CheckResult("quarantine", "Every task carried or quarantined", false, 10, 1,
                            List.of("task zzzzz-ot0gb-y (job_tasks id 7) is neither carried nor quarantined"), Duration.ofMillis(5))),
            List.of("baseline recorded 2024-05-01T11:00:00Z on arvados_production"));

    @Test
    void humanReportHasALinePerCheckTheFirstDifferencesAndTheVerdict() {
        StringWriter text = new StringWriter();

        HumanReport.write(FAILED, new PrintWriter(text));

        List<String> lines = text.toString().lines().toList();
        assertEquals("verify arvados_production on db.example:5432: 3 checks in 3.5 s (started 2024-05-01T12:00:00.250Z)", lines.get(0));
        assertEquals("PASS  round-trip  1,234,567 examined, 0 differences  (1.2 s)", lines.get(1));
        assertEquals("FAIL  contract    1,234,567 examined, 23 differences  (2.0 s)", lines.get(2));
        assertEquals("      " + AWKWARD, lines.get(3));
        assertEquals("      ... and 3 more", lines.get(23));
        assertEquals("FAIL  quarantine  10 examined, 1 difference  (0.0 s)", lines.get(24));
        assertEquals("note: baseline recorded 2024-05-01T11:00:00Z on arvados_production", lines.get(26));
        assertEquals("FAILED: 2 checks", lines.get(lines.size() - 1));
    }

    @Test
    void humanReportSaysPassedWhenEveryCheckPassed() {
        StringWriter text = new StringWriter();
        VerificationReport passed = new VerificationReport("t", Instant.EPOCH, Duration.ZERO, List.of(FAILED.checks().get(0)), List.of());

        HumanReport.write(passed, new PrintWriter(text));

        assertTrue(passed.passed());
        assertEquals("verification passed", text.toString().lines().reduce((a, b) -> b).orElseThrow());
        assertFalse(new VerificationReport("t", Instant.EPOCH, Duration.ZERO, List.of(), List.of()).passed(), "no checks prove nothing");
    }

    @Test
    void jsonReportHoldsEveryFieldOfTheReport(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.json");

        JsonReport.write(FAILED, file);

        JsonNode json = new ObjectMapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        assertEquals("arvados_production on db.example:5432", json.get("target").asText());
        assertEquals("2024-05-01T12:00:00.250Z", json.get("started_at").asText());
        assertEquals(3456, json.get("elapsed_ms").asLong());
        assertFalse(json.get("passed").asBoolean());
        assertEquals(3, json.get("checks").size());
        JsonNode contract = json.get("checks").get(1);
        assertEquals("contract", contract.get("name").asText());
        assertEquals("Every task-like job holds the contract", contract.get("description").asText());
        assertFalse(contract.get("passed").asBoolean());
        assertEquals(1_234_567, contract.get("examined").asLong());
        assertEquals(23, contract.get("differences").asLong());
        assertEquals(20, contract.get("first_differences").size());
        assertEquals(AWKWARD, contract.get("first_differences").get(0).asText());
        assertEquals(2000, contract.get("elapsed_ms").asLong());
        assertEquals("baseline recorded 2024-05-01T11:00:00Z on arvados_production", json.get("notes").get(0).asText());
    }

    @Test
    void junitReportIsValidXmlWithATestcasePerCheckAndTheDifferencesInItsFailures(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("TEST-verify.xml");

        JUnitReport.write(FAILED, file);

        byte[] bytes = Files.readAllBytes(file);
        for (byte b : bytes) {
            assertTrue(b >= 0, "ASCII only: non-ASCII characters are character references");
        }
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        Element suite = xml.getDocumentElement();
        assertEquals("testsuite", suite.getTagName());
        assertEquals("tasks-as-jobs verify", suite.getAttribute("name"));
        assertEquals("3", suite.getAttribute("tests"));
        assertEquals("2", suite.getAttribute("failures"));
        assertEquals("0", suite.getAttribute("errors"));
        assertEquals("3.456", suite.getAttribute("time"));
        assertEquals("", suite.getAttribute("timestamp"), "the schema allows no timestamp attribute: it is a property");
        NodeList properties = suite.getElementsByTagName("property");
        Map<String, String> byName = new java.util.LinkedHashMap<>();
        for (int i = 0; i < properties.getLength(); i++) {
            Element p = (Element) properties.item(i);
            byName.putIfAbsent(p.getAttribute("name"), p.getAttribute("value"));
        }
        assertEquals("2024-05-01T12:00", byName.get("timestamp").substring(0, 16));
        NodeList cases = suite.getElementsByTagName("testcase");
        assertEquals(List.of("round-trip", "contract", "quarantine"),
                IntStream.range(0, cases.getLength()).mapToObj(i -> ((Element) cases.item(i)).getAttribute("name")).toList());
        Element roundTrip = (Element) cases.item(0);
        assertEquals("tasks-as-jobs.verify", roundTrip.getAttribute("classname"));
        assertEquals("1.200", roundTrip.getAttribute("time"));
        assertEquals(0, roundTrip.getElementsByTagName("failure").getLength());
        assertTrue(roundTrip.getElementsByTagName("system-out").item(0).getTextContent().startsWith("job_tasks rebuilt equals job_tasks"));

        Element failure = (Element) ((Element) cases.item(1)).getElementsByTagName("failure").item(0);
        assertEquals("difference", failure.getAttribute("type"));
        String visible = AWKWARD.replace("\u0001", "\\u0001").replace("\u001b", "\\u001b");
        assertEquals("23 differences: " + visible, failure.getAttribute("message"));
        List<String> body = failure.getTextContent().lines().toList();
        assertEquals(21, body.size());
        assertEquals(visible, body.get(0));
        assertEquals("task 19: priority is '1', expected '0'", body.get(19));
        assertEquals("... and 3 more", body.get(20));
        assertEquals("1 difference: task zzzzz-ot0gb-y (job_tasks id 7) is neither carried nor quarantined",
                ((Element) ((Element) cases.item(2)).getElementsByTagName("failure").item(0)).getAttribute("message"));
    }

    @Test
    void junitReportValidatesAgainstSurefiresReportSchema(@TempDir Path dir) throws Exception {
        javax.xml.validation.Schema schema = javax.xml.validation.SchemaFactory
                .newInstance(javax.xml.XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(ReportsTest.class.getResource("/junit/surefire-report-rules.xsd"));
        VerificationReport passed = new VerificationReport("t", Instant.EPOCH, Duration.ofSeconds(4321),
                List.of(FAILED.checks().get(0)), List.of());
        for (VerificationReport report : List.of(FAILED, passed)) {
            Path file = dir.resolve("TEST-" + report.passed() + ".xml");
            JUnitReport.write(report, file);
            schema.newValidator().validate(new javax.xml.transform.stream.StreamSource(file.toFile()));
        }
        // The schema refuses what the report used to write: a timestamp attribute, and output after the testcases.
        Path old = Files.writeString(dir.resolve("old.xml"), "<testsuite name=\"x\" tests=\"0\" failures=\"0\" errors=\"0\""
                + " skipped=\"0\" timestamp=\"2024-05-01T12:00:00\"><system-out>n</system-out></testsuite>");
        org.junit.jupiter.api.Assertions.assertThrows(org.xml.sax.SAXException.class,
                () -> schema.newValidator().validate(new javax.xml.transform.stream.StreamSource(old.toFile())));
    }

    @Test
    void lineBreaksInAnAttributeStayVisible() {
        assertEquals("a\\u000ab\\u0009c", JUnitReport.legal("a\nb\tc", true));
        assertEquals("a\nb\tc\\u0000", JUnitReport.legal("a\nb\tc\u0000", false));
        assertEquals("\\ud800x", JUnitReport.legal("\ud800x", false));
    }

    @Test
    void valuesInDifferencesStayOnOneLine() {
        assertEquals("'---\\ninput: \\'gr\u00fcn\\'\\n'", Shown.value("---\ninput: 'gr\u00fcn'\n"));
        assertEquals("NULL", Shown.value(null));
        assertEquals("''", Shown.value(""));
        assertEquals("'" + "x".repeat(80) + "'... (81 chars)", Shown.value("x".repeat(81)));
        assertEquals("'a\\u0000\\u2028'", Shown.value("a\u0000\u2028"));
    }
}
