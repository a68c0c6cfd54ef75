package org.arvados.tasksasjobs.gateway.tasks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.shim.AttributeFilters;
import org.arvados.tasksasjobs.shim.AttributeFilters.Attribute;
import org.arvados.tasksasjobs.shim.InvalidTaskRequestException;
import org.arvados.tasksasjobs.shim.JobFilter;
import org.arvados.tasksasjobs.shim.JobOrder;
import org.arvados.tasksasjobs.shim.Selection;

/**
 * The {@code filters}, {@code where}, {@code order} and {@code select} of a jobs list: attributes are the columns of
 * jobs themselves ({@link JobColumns}), with the operators their type allows (serialized hashes: like and ilike
 * only). The same rules as job_tasks lists ({@link AttributeFilters}), so both endpoints refuse alike; output is
 * values, never SQL.
 */
final class JobFilters {

    private static final AttributeFilters JOBS = new AttributeFilters("job", "jobs.", "arvados#job", attributes());

    private JobFilters() {}

    static List<JobFilter> filters(String text) throws InvalidTaskRequestException {
        return JOBS.filters(text);
    }

    static List<JobFilter> where(String text) throws InvalidTaskRequestException {
        return JOBS.where(text);
    }

    /** A JSON array of strings, one string, or a comma-separated plain string; "attribute [asc|desc]" each. */
    static List<JobOrder> order(String text) throws InvalidTaskRequestException {
        return JOBS.order(text);
    }

    /** The select parameter, every name checked against the columns ("kind" is always rendered). */
    static Selection select(String text) throws InvalidTaskRequestException {
        return JOBS.selection(text);
    }

    private static Map<String, Attribute> attributes() {
        Map<String, Attribute> attributes = new LinkedHashMap<>();
        for (JobColumns.Column column : JobColumns.ALL) {
            attributes.put(column.name(), new Attribute(column.name(), column.type()));
        }
        return attributes;
    }
}
