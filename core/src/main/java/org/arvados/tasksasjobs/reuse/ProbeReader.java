package org.arvados.tasksasjobs.reuse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.arvados.tasksasjobs.mapping.SerializedHashReader;
import org.arvados.tasksasjobs.mapping.UnparseableHashException;
import org.arvados.tasksasjobs.mapping.YamlDecoder;

/**
 * Reads probes, one JSON object a line (docs/architecture.md "Probes"), one line at a time: a file of any length is never held
 * in memory whole. Blank lines are skipped (and counted, so line numbers are the ones an editor shows).
 *
 * <p>A line that is not a probe stops the reading with a {@link ProbeFormatException} naming the line and what is
 * wrong: invalid JSON, an unknown or repeated field, a value of the wrong type, a required field missing. Every probe
 * needs {@code id} and {@code owner_uuid} (the submitter decides which in-progress jobs count); a top-level probe
 * (no {@code parent_job_uuid}) also needs {@code repository} and {@code script}. A task probe may leave out
 * repository, script, commit, image and SDK: they come from its parent job. Text fields are null or non-empty.
 *
 * <p>Not thread-safe. Read errors surface as {@link UncheckedIOException}.
 */
public final class ProbeReader implements Iterator<Probe>, Closeable {

    private static final String ID = "id";
    private static final String REPOSITORY = "repository";
    private static final String SCRIPT = "script";
    private static final String SCRIPT_VERSION = "script_version";
    private static final String SCRIPT_PARAMETERS = "script_parameters";
    private static final String DOCKER_IMAGE_LOCATOR = "docker_image_locator";
    private static final String ARVADOS_SDK_VERSION = "arvados_sdk_version";
    private static final String OWNER_UUID = "owner_uuid";
    private static final String PARENT_JOB_UUID = "parent_job_uuid";
    private static final List<String> FIELDS = List.of(ID, REPOSITORY, SCRIPT, SCRIPT_VERSION, SCRIPT_PARAMETERS,
            DOCKER_IMAGE_LOCATOR, ARVADOS_SDK_VERSION, OWNER_UUID, PARENT_JOB_UUID);

    // Parameters can hold long input lists; Jackson's default cap on one string is 20M chars.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();

    // The parameters object is handed over as text to the same reader that loads jobs.script_parameters, so a probe's
    // parameters get exactly the value types (and the refusals) a stored row would. It starts with '{': never YAML.
    private static final SerializedHashReader PARAMETERS = new SerializedHashReader(YamlDecoder.UNSUPPORTED);

    private final BufferedReader in;
    private long lineNumber;
    private long probeLineNumber;
    private Probe next;

    public ProbeReader(Reader in) {
        Objects.requireNonNull(in, "in");
        this.in = in instanceof BufferedReader buffered ? buffered : new BufferedReader(in);
    }

    /** A reader of a UTF-8 file; close it when done. */
    public static ProbeReader open(Path file) throws IOException {
        return new ProbeReader(Files.newBufferedReader(file, StandardCharsets.UTF_8));
    }

    /**
     * @throws ProbeFormatException when the next non-blank line is not a probe
     * @throws UncheckedIOException when the input cannot be read
     */
    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        try {
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1); // a byte order mark some editors write
                }
                if (!line.isBlank()) {
                    next = parse(line, lineNumber);
                    probeLineNumber = lineNumber;
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read probes after line " + lineNumber + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Probe next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more probes");
        }
        Probe probe = next;
        next = null;
        return probe;
    }

    /**
     * The probes of {@code in} for a for-each loop, read as the loop goes. Single use: the reader is consumed (and
     * not closed; its owner closes it).
     */
    public static Iterable<Probe> read(Reader in) {
        ProbeReader reader = new ProbeReader(in);
        boolean[] used = {false};
        return () -> {
            if (used[0]) {
                throw new IllegalStateException("probes can be read only once");
            }
            used[0] = true;
            return reader;
        };
    }

    /** Up to {@code max} next probes; empty at the end of the input. */
    public List<Probe> nextBatch(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("a batch holds at least one probe, not " + max);
        }
        List<Probe> batch = new ArrayList<>(Math.min(max, 1024));
        while (batch.size() < max && hasNext()) {
            batch.add(next());
        }
        return batch;
    }

    /** The line the probe last returned by {@link #next()} came from. */
    public long lineNumber() {
        return probeLineNumber;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /**
     * One line as a probe.
     *
     * @param lineNumber what the error message calls the line
     * @throws ProbeFormatException naming {@code lineNumber} and what is wrong
     */
    public static Probe parse(String line, long lineNumber) {
        Map<String, Object> fields = new HashMap<>();
        try (JsonParser parser = FACTORY.createParser(line)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new ProbeFormatException(lineNumber, "expected a JSON object, not " + describe(first));
            }
            String name;
            while ((name = parser.nextFieldName()) != null) {
                JsonToken token = parser.nextToken();
                if (!FIELDS.contains(name)) {
                    throw new ProbeFormatException(lineNumber, "unknown field \"" + name + "\" (a probe has "
                            + String.join(", ", FIELDS) + ")");
                }
                if (fields.containsKey(name)) {
                    throw new ProbeFormatException(lineNumber, name + " appears twice");
                }
                fields.put(name, name.equals(SCRIPT_PARAMETERS)
                        ? parameters(parser, token, line, lineNumber)
                        : text(name, parser, token, lineNumber));
            }
            JsonToken after = parser.nextToken();
            if (after != null) {
                throw new ProbeFormatException(lineNumber, "text continues after the probe's closing brace");
            }
        } catch (JsonProcessingException e) {
            throw new ProbeFormatException(lineNumber, "invalid JSON: " + firstLine(e.getOriginalMessage())
                    + (e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr()), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from a String", e);
        }
        return probe(fields, lineNumber);
    }

    @SuppressWarnings("unchecked")
    private static Probe probe(Map<String, Object> fields, long lineNumber) {
        String id = required(fields, ID, "", lineNumber);
        String parent = (String) fields.get(PARENT_JOB_UUID);
        String owner = required(fields, OWNER_UUID, " (the submitting user)", lineNumber);
        if (parent == null) {
            required(fields, REPOSITORY, " for a probe without parent_job_uuid", lineNumber);
            required(fields, SCRIPT, " for a probe without parent_job_uuid", lineNumber);
        }
        Map<String, Object> parameters = (Map<String, Object>) fields.get(SCRIPT_PARAMETERS);
        return new Probe(id, (String) fields.get(REPOSITORY), (String) fields.get(SCRIPT), (String) fields.get(SCRIPT_VERSION),
                parameters, (String) fields.get(DOCKER_IMAGE_LOCATOR), (String) fields.get(ARVADOS_SDK_VERSION), owner, parent);
    }

    private static String required(Map<String, Object> fields, String name, String why, long lineNumber) {
        Object value = fields.get(name);
        if (value == null) {
            throw new ProbeFormatException(lineNumber, name + " is required" + why);
        }
        return (String) value;
    }

    private static String text(String name, JsonParser parser, JsonToken token, long lineNumber) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw new ProbeFormatException(lineNumber, name + " must be a string or null, not " + describe(token));
        }
        String value = parser.getText();
        if (value.isEmpty()) {
            // An empty value is no value to Arvados (its filters drop it); saying null makes that explicit.
            throw new ProbeFormatException(lineNumber, name + " must not be empty (use null for none)");
        }
        return value;
    }

    private static Map<String, Object> parameters(JsonParser parser, JsonToken token, String line, long lineNumber)
            throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return Map.of(); // as the API server loads a NULL serialized hash
        }
        if (token != JsonToken.START_OBJECT) {
            throw new ProbeFormatException(lineNumber, SCRIPT_PARAMETERS + " must be an object, not " + describe(token));
        }
        long start = parser.currentTokenLocation().getCharOffset();
        parser.skipChildren();
        long end = parser.currentTokenLocation().getCharOffset() + 1; // just past the closing brace
        try {
            return PARAMETERS.read(line.substring((int) start, (int) end));
        } catch (UnparseableHashException e) {
            throw new ProbeFormatException(lineNumber, SCRIPT_PARAMETERS + ": " + e.getMessage(), e);
        }
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
