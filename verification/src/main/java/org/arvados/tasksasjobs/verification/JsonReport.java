package org.arvados.tasksasjobs.verification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The whole report as JSON ({@code verify --json FILE}), for scripts: every field of the record, durations in milliseconds. */
public final class JsonReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    public static void write(VerificationReport report, Path file) throws IOException {
        Files.writeString(file, toJson(report) + "\n", StandardCharsets.UTF_8);
    }

    public static String toJson(VerificationReport report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("target", report.target());
        root.put("started_at", report.startedAt().toString());
        root.put("elapsed_ms", report.elapsed().toMillis());
        root.put("passed", report.passed());
        root.put("failures", report.failures());
        ArrayNode checks = root.putArray("checks");
        for (CheckResult check : report.checks()) {
            ObjectNode c = checks.addObject();
            c.put("name", check.name());
            c.put("description", check.description());
            c.put("passed", check.passed());
            c.put("examined", check.examined());
            c.put("differences", check.differences());
            ArrayNode first = c.putArray("first_differences");
            check.firstDifferences().forEach(first::add);
            c.put("elapsed_ms", check.elapsed().toMillis());
        }
        ArrayNode notes = root.putArray("notes");
        report.notes().forEach(notes::add);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree of strings and numbers always serializes
        }
    }
}
