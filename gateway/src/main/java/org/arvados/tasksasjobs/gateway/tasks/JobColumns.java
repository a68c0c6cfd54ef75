package org.arvados.tasksasjobs.gateway.tasks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.mapping.JobColumn;
import org.arvados.tasksasjobs.shim.AttributeFilters;

/**
 * Every column of jobs the gateway reads, renders, filters or sorts on, in table order (the surrogate id aside), as
 * the column table defines them: the whitelist from which every column name in the gateway's SQL comes. Names are
 * never taken from a request.
 */
final class JobColumns {

    record Column(String name, AttributeFilters.Type type) {}

    /** Every column of the table ({@link JobColumn}), typed for reading, rendering and filtering. */
    static final List<Column> ALL = Arrays.stream(JobColumn.values())
            .map(c -> new Column(c.column(), AttributeFilters.Type.of(c)))
            .toList();

    private static final Map<String, Integer> INDEX;

    static {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < ALL.size(); i++) {
            index.put(ALL.get(i).name(), i);
        }
        INDEX = Collections.unmodifiableMap(index);
    }

    private JobColumns() {}

    /** The column's position in {@link #ALL}, or -1 when jobs has no such column (as far as the gateway knows). */
    static int indexOf(String name) {
        Integer index = INDEX.get(name);
        return index == null ? -1 : index;
    }

    static Column named(String name) {
        int index = indexOf(name);
        return index < 0 ? null : ALL.get(index);
    }

    /** {@code alias.column} for every column, comma-separated, in {@link #ALL} order. */
    static String selectList(String alias) {
        List<String> names = new ArrayList<>(ALL.size());
        for (Column column : ALL) {
            names.add(alias + "." + column.name());
        }
        return String.join(", ", names);
    }
}
