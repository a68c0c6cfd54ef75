package org.arvados.tasksasjobs.seed;

import java.sql.SQLException;
import java.util.Map;
import org.arvados.tasksasjobs.mapping.JobColumn;
import org.arvados.tasksasjobs.seed.JobPlan.State;
import org.arvados.tasksasjobs.seed.Serialized.Format;

/** Writes one {@code jobs} row per plan, as the API server and crunch-job left it. */
final class JobRows {

    /**
     * Arvados' columns of jobs in table order, as {@link #write} gives their values; the surrogate id is the
     * bigserial's, in COPY order.
     */
    static final String COLUMNS = JobColumn.names(JobColumn.arvados(), "");

    private final CopyRows out;
    private final Kind.Tally tally;
    private final String dispatcher;

    JobRows(CopyRows out, Kind.Tally tally, String dispatcher) {
        this.out = out;
        this.tally = tally;
        this.dispatcher = dispatcher;
    }

    void write(JobPlan p) throws SQLException {
        JobPlan.Submission s = p.submission();
        JobPlan.Times t = p.times();
        boolean bad = p.badParameters() >= 0;
        String parameters = bad ? Plants.UNPARSEABLE.get(p.badParameters() % Plants.UNPARSEABLE.size())
                : Serialized.write(s.parameters(), p.format());
        String digest = bad ? null : Serialized.digest(s.parameters());
        // Runtime constraints were serialized like the parameters of their time (never double-encoded).
        String constraints = Serialized.write(s.runtimeConstraints(), p.yamlEra() ? Format.YAML : Format.JSON);
        boolean started = t.started() != CopyRows.NO_TIME;
        boolean cancelled = p.state() == State.CANCELLED;
        boolean hasSummary = started;

        out.text(p.uuid()).text(p.owner()).text(p.client()).text(p.owner()).time(t.modified())
                .text(null) // submit_id: crunch v1 clients rarely sent one
                .text(s.script().name()).text(s.commit()).text(parameters)
                .text(cancelled ? p.client() : null).text(cancelled ? p.owner() : null).time(t.cancelled())
                .time(t.started()).time(t.finished())
                .bool(p.state().running).bool(p.state().success)
                .text(p.output()).time(t.created()).time(t.modified())
                .text(started ? dispatcher : null).text(p.log())
                .text(hasSummary ? p.shape().summary() : null).text(constraints).bool(p.nondeterministic())
                .text(s.script().repository()).text(s.supplied()).text(s.image())
                .number(0) // priority
                .text(null) // description
                .text(p.legacy() ? null : p.state().text).text(s.sdk())
                .text(null) // components
                .text(digest);
        out.endRow();

        if (bad) {
            tally.add(Kind.UNPARSEABLE_SCRIPT_PARAMETERS);
        } else {
            countParameters(tally, s.parameters(), p.format());
        }
        if (!isAscii(parameters)) {
            tally.add(Kind.NON_ASCII);
        }
        if (p.repeat()) {
            tally.add(Kind.REPEATED_SUBMISSIONS);
        }
        if (p.legacy()) {
            tally.add(Kind.LEGACY_STATE_JOBS);
        }
        if (p.shape().retries() > 0 && p.shape().seq0() != null) {
            tally.add(Kind.RETRIED_JOBS);
        }
    }

    /** Counts the features of one row's (parseable) hash, but non-ASCII, which is counted per row; shared with the tasks. */
    static void countParameters(Kind.Tally tally, Map<String, Object> hash, Format format) {
        if (format != Format.JSON) {
            tally.add(Kind.YAML_ROWS);
        }
        if (format == Format.DOUBLE_ENCODED) {
            tally.add(Kind.DOUBLE_ENCODED);
        }
        if (hasSymbol(hash)) {
            tally.add(Kind.RUBY_SYMBOLS);
        }
    }

    static boolean isAscii(String text) {
        if (text == null) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7F) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasSymbol(Object value) {
        if (value instanceof Map<?, ?> m) {
            return m.values().stream().anyMatch(JobRows::hasSymbol);
        }
        if (value instanceof Iterable<?> list) {
            for (Object o : list) {
                if (hasSymbol(o)) {
                    return true;
                }
            }
            return false;
        }
        return value instanceof String s && s.startsWith(":");
    }
}
