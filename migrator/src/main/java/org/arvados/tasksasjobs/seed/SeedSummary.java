package org.arvados.tasksasjobs.seed;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a seed wrote: {@code jobs} rows of {@code jobs}, {@code tasks} rows of {@code job_tasks}, and {@code planted}:
 * exact counts by kind, every kind always present (0 when none), in a fixed order.
 *
 * <p>Dirt, only in dirty seeds (each planted row has exactly one kind of dirt and is otherwise ordinary):
 * <ul>
 * <li>{@code orphan}: tasks whose job_uuid is a well-formed job uuid that names no job;</li>
 * <li>{@code null_job_uuid}: tasks with job_uuid NULL;</li>
 * <li>{@code unparseable_parameters}: tasks whose parameters are neither JSON nor YAML of a hash;</li>
 * <li>{@code null_uuid}: tasks with uuid NULL;</li>
 * <li>{@code malformed_uuid}: tasks whose uuid does not match {@code ^[0-9a-z]{5}-[0-9a-z]{5}-[0-9a-z]{15}$};</li>
 * <li>{@code unparseable_script_parameters}: jobs whose script_parameters cannot be read (digest NULL);</li>
 * <li>{@code unparseable_parent_parameters}: tasks (with good parameters of their own) under such jobs;</li>
 * <li>{@code uuid_collision}: tasks whose uuid with the infix swapped to 8i9sb is an existing job's uuid;</li>
 * <li>{@code missing_creator}: tasks whose created_by_job_task_uuid names no task.</li>
 * </ul>
 * Features, in every seed (all of them valid data):
 * <ul>
 * <li>{@code yaml_rows}: task parameters and job script_parameters written as YAML (double-encoded ones included);</li>
 * <li>{@code double_encoded}: such rows that are YAML holding a JSON string;</li>
 * <li>{@code ruby_symbols}: such rows holding a string value that starts with {@code :};</li>
 * <li>{@code non_ascii}: such rows, and task outputs, holding non-ASCII text;</li>
 * <li>{@code null_parameters}: tasks with parameters NULL;</li>
 * <li>{@code locator_outputs}: tasks whose output is a bare Keep block locator;</li>
 * <li>{@code long_outputs}: tasks whose output manifest is longer than 255 bytes;</li>
 * <li>{@code retried_jobs}: jobs with more than one sequence-0 task (earlier runs failed);</li>
 * <li>{@code repeated_submissions}: jobs submitted identically to an earlier one (reuse candidates);</li>
 * <li>{@code legacy_state_jobs}: very old jobs with state NULL and only the running/success flags.</li>
 * </ul>
 */
public record SeedSummary(long jobs, long tasks, Map<String, Long> planted) {

    public SeedSummary {
        planted = Collections.unmodifiableMap(new LinkedHashMap<>(planted));
    }

    /** The planted dirt only (orphans, unparseable rows, ...), kinds with none left out, in the documented order. */
    public Map<String, Long> dirt() {
        Map<String, Long> dirt = new LinkedHashMap<>();
        for (Kind k : Kind.values()) {
            long n = planted(k.key());
            if (k.dirt() && n > 0) {
                dirt.put(k.key(), n);
            }
        }
        return Collections.unmodifiableMap(dirt);
    }

    /** The count of one kind; 0 for a kind this seed has none of. */
    public long planted(String kind) {
        return planted.getOrDefault(kind, 0L);
    }
}
