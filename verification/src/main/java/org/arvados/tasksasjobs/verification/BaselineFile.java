package org.arvados.tasksasjobs.verification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.NoSuchElementException;
import org.arvados.tasksasjobs.reuse.ReuseOutcome;
import org.arvados.tasksasjobs.reuse.ReuseRule;

/**
 * The file {@code verify --record-baseline} writes and {@code verify --baseline} reads: JSON lines, so that neither
 * side holds a million outcomes in memory. Line 1 is a header; then one line per outcome, top-level jobs in id order
 * then --probes lines in file order; the last line holds the top-level job checksums.
 */
public final class BaselineFile {

    static final String FORMAT = "tasks-as-jobs-baseline/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BaselineFile() {
    }

    /** Writes a baseline; outcomes must come in the order described above. */
    public static final class Writer implements Closeable {
        private final BufferedWriter out;

        public Writer(Path file, String target) throws IOException {
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            ObjectNode header = JSON.createObjectNode();
            header.put("format", FORMAT);
            header.put("target", target);
            header.put("recorded_at", Instant.now().toString());
            line(header);
        }

        public void outcome(BaselineOutcome o) throws IOException {
            ObjectNode n = JSON.createObjectNode();
            n.put("kind", o.kind());
            n.put("seq", o.seq());
            n.put("id", o.outcome().probeId());
            n.put("reused", o.outcome().reused());
            n.put("rule", o.outcome().rule().code());
            if (o.noise() != null) {
                n.put("noise", o.noise());
            }
            line(n);
        }

        public void jobs(JobChecksums checksums) throws IOException {
            ObjectNode n = JSON.createObjectNode();
            n.set("jobs", checksums.toJson());
            line(n);
        }

        private void line(JsonNode node) throws IOException {
            out.write(JSON.writeValueAsString(node));
            out.write('\n');
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Reads a baseline front to back: header, outcomes one by one, then the checksums. */
    public static final class Reader implements Closeable {
        private final Path file;
        private final BufferedReader in;
        private final String target;
        private final Instant recordedAt;
        private JsonNode next;
        private long lineNumber = 1;

        public Reader(Path file) throws IOException {
            this.file = file;
            this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            JsonNode header;
            try {
                header = parse(in.readLine());
            } catch (BaselineFormatException e) {
                header = null;
            }
            if (header == null || !FORMAT.equals(header.path("format").asText())) {
                throw new BaselineFormatException(file + " is not a tasks-as-jobs baseline (record one with verify --record-baseline)");
            }
            this.target = header.path("target").asText();
            this.recordedAt = Instant.parse(header.path("recorded_at").asText());
            advance();
        }

        public String target() {
            return target;
        }

        public Instant recordedAt() {
            return recordedAt;
        }

        /** The next outcome, or null when the outcomes are over. */
        public BaselineOutcome peek() {
            if (next == null || !next.has("kind")) {
                return null;
            }
            return new BaselineOutcome(next.get("kind").asText(), next.get("seq").asLong(),
                    new ReuseOutcome(next.get("id").asText(), next.get("reused").isNull() ? null : next.get("reused").asText(),
                            ReuseRule.fromCode(next.get("rule").asText())),
                    next.hasNonNull("noise") ? next.get("noise").asText() : null);
        }

        public BaselineOutcome take() throws IOException {
            BaselineOutcome o = peek();
            if (o == null) {
                throw new NoSuchElementException("no more outcomes");
            }
            advance();
            return o;
        }

        /** The checksums line; call after the outcomes. */
        public JobChecksums jobs() throws IOException {
            while (next != null && !next.has("jobs")) {
                advance();
            }
            if (next == null) {
                throw new BaselineFormatException(file + " ends before its job checksums: it was cut short; record it again");
            }
            return JobChecksums.fromJson(next.get("jobs"));
        }

        private void advance() throws IOException {
            lineNumber++;
            next = parse(in.readLine());
        }

        private JsonNode parse(String line) {
            if (line == null) {
                return null;
            }
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new BaselineFormatException(file + " line " + lineNumber + " is not JSON: it was cut short or edited; record it again");
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A baseline file that cannot be read; the message says which and what to do. */
    public static final class BaselineFormatException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public BaselineFormatException(String message) {
            super(message);
        }
    }
}
