package org.arvados.tasksasjobs.gateway.tasks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDateTime;
import java.util.Objects;
import org.arvados.tasksasjobs.mapping.SerializedHashReader;
import org.arvados.tasksasjobs.mapping.UnparseableHashException;
import org.arvados.tasksasjobs.mapping.YamlDecoder;
import org.arvados.tasksasjobs.shim.ApiTimestamps;
import org.arvados.tasksasjobs.shim.PlainJson;

/**
 * A row of jobs as an {@code arvados#job} object: every column but the surrogate id, in table order. Serialized
 * hash columns are shown as JSON objects read the way the API server read them (NULL as {}); one that cannot be
 * read is shown as its raw text rather than failing the whole request. Timestamps as {@link ApiTimestamps} writes
 * them. Thread-safe when the YAML decoder is.
 */
final class JobRenderer {

    static final String KIND = "arvados#job";
    static final String LIST_KIND = "arvados#jobList";

    private final SerializedHashReader reader;

    JobRenderer(YamlDecoder yaml) {
        this.reader = new SerializedHashReader(Objects.requireNonNull(yaml, "yaml"));
    }

    ObjectNode render(JobRecord job) {
        ObjectNode out = PlainJson.NODES.objectNode();
        out.put("kind", KIND);
        Object[] values = job.values();
        for (int i = 0; i < values.length; i++) {
            JobColumns.Column column = JobColumns.ALL.get(i);
            Object value = values[i];
            switch (column.type()) {
                case SERIALIZED -> {
                    try {
                        out.set(column.name(), PlainJson.toNode(reader.read((String) value)));
                    } catch (UnparseableHashException e) {
                        out.put(column.name(), (String) value);
                    }
                }
                case TIME -> {
                    if (value == null) {
                        out.putNull(column.name());
                    } else {
                        out.put(column.name(), ApiTimestamps.write((LocalDateTime) value));
                    }
                }
                default -> out.set(column.name(), PlainJson.toNode(value));
            }
        }
        return out;
    }
}
