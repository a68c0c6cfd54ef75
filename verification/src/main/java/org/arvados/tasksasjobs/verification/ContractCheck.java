package org.arvados.tasksasjobs.verification;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.arvados.tasksasjobs.mapping.JobColumn;
import org.arvados.tasksasjobs.mapping.InheritPolicy;

/**
 * Every task-like job holds what the contract of docs/architecture.md says task T of parent job P becomes, column by column, written
 * out in SQL independently of the Java mapping (the backfill uses that mapping; checking it against itself would
 * prove nothing). Each task-like job is judged with its job_tasks row and its parent; a row that breaks a rule is
 * named with the first column that breaks, what it holds and what the contract expects.
 *
 * <p>Parameters that only a YAML reader understands (YAML-era rows) are checked through the digest alone; where the
 * parent's script_parameters and the task's parameters are both JSON, script_parameters must equal their merge.
 * The merge follows the inherit policy the migration ran with (by default every parent key is inherited).
 */
public final class ContractCheck {

    static final String NAME = "contract";
    static final String DESCRIPTION = "Every task-like job holds what the contract says its task and parent job become:"
            + " uuid, copied columns, merged script_parameters and digest, state flags, output, log, priority, NULLs";

    /** Job uuids of the shape a task-like job must have. */
    static final String JOB_UUID_PATTERN = "^[0-9a-z]{5}-8i9sb-[0-9a-z]{15}$";

    /**
     * Every task-like job {@code j} with its task {@code t}, its parent {@code p}, the job {@code cr} its
     * created_by_job_uuid names, and the values derived from them: {@code d.p_state} the parent's state (from its
     * legacy flags when state is NULL), {@code d.derived} the uuid the task's uuid maps to, {@code d.x_output} the
     * expected output, {@code d.p_parameters} and {@code d.t_parameters} the parameters with NULL read as {@code {}};
     * {@code s.x_state} the expected state. Every lookup is a join on a unique key, so PostgreSQL evaluates the rules
     * in parallel workers and picks hash or index joins by size.
     */
    private static final String JOINS = """
            FROM jobs j
            LEFT JOIN ${job_tasks} t ON t.uuid = j.legacy_task_uuid
            LEFT JOIN jobs p ON p.uuid = t.job_uuid AND p.legacy_task_uuid IS NULL
            LEFT JOIN jobs cr ON cr.uuid = j.created_by_job_uuid
            CROSS JOIN LATERAL (SELECT
                coalesce(p.state, CASE WHEN p.cancelled_at IS NOT NULL THEN 'Cancelled' WHEN p.success THEN 'Complete'
                    WHEN NOT p.success THEN 'Failed' WHEN p.running THEN 'Running' ELSE 'Queued' END) AS p_state,
                left(t.uuid, 5) || '-8i9sb-' || right(t.uuid, 15) AS derived,
                CASE WHEN t.output IS NULL OR t.output ~ '^[0-9a-f]{32}(\\+\\S+)*\\n?$' THEN NULL
                     ELSE md5(t.output) || '+' || octet_length(t.output) END AS x_output,
                coalesce(p.script_parameters, '{}') AS p_parameters,
                coalesce(t.parameters, '{}') AS t_parameters) d
            CROSS JOIN LATERAL (SELECT
                CASE WHEN t.success THEN 'Complete' WHEN NOT t.success THEN 'Failed'
                     WHEN d.p_state IN ('Queued', 'Running') THEN CASE WHEN t.started_at IS NOT NULL THEN 'Running' ELSE 'Queued' END
                     ELSE 'Cancelled' END AS x_state) s
            """;

    /**
     * What only a few rows need, each looked up only for them: {@code x.other} whether another job than a copy of
     * this task holds the derived uuid (when this job does not have it), and {@code cc.carried} whether the creator
     * task was carried (when no creator job is named). Lookups like these keep a plan from running in parallel, so
     * the first pass leaves them out: the rows that need them are suspects, judged again with them.
     */
    private static final String LOOKUPS = """
            LEFT JOIN LATERAL (SELECT x.legacy_task_uuid IS DISTINCT FROM j.legacy_task_uuid AS other FROM jobs x
                               WHERE j.uuid IS DISTINCT FROM d.derived AND x.uuid = d.derived AND x.id <> j.id LIMIT 1) x ON true
            LEFT JOIN LATERAL (SELECT true AS carried FROM jobs c
                               WHERE j.created_by_job_uuid IS NULL AND t.created_by_job_task_uuid IS NOT NULL
                                 AND c.legacy_task_uuid = t.created_by_job_task_uuid LIMIT 1) cc ON true
            """;

    private static final String TASK_LIKE_JOBS = "WHERE j.legacy_task_uuid IS NOT NULL\n";

    /** The rows whose verdict needs {@link #LOOKUPS}. */
    private static final String SUSPECT = "j.uuid IS DISTINCT FROM d.derived"
            + " OR (j.created_by_job_uuid IS NULL AND t.created_by_job_task_uuid IS NOT NULL)";

    private static final String MERGE_NOTE = "as jsonb: the parent's script_parameters overlaid with the task's parameters";

    /**
     * A rule: what must hold for task-like job {@code j} of task {@code t} and parent {@code p}; when it does not, the
     * column is named with {@code actual} and {@code expected} (both SQL text) and a {@code note} on how the expected
     * value is meant; with {@code expected} null, {@code actual} is a whole phrase.
     */
    private record Rule(String column, String holds, String actual, String expected, String note) {
        Rule(String column, String holds, String actual, String expected) {
            this(column, holds, actual, expected, null);
        }

        /** The column must be the expected value, NULLs equal. */
        static Rule same(String column, String expected) {
            return new Rule(column, "j." + column + " IS NOT DISTINCT FROM " + expected, "j." + column + "::text",
                    "(" + expected + ")::text");
        }
    }

    private final Connection connection;
    private final InheritPolicy policy;

    public ContractCheck(Connection connection) {
        this(connection, InheritPolicy.ALL);
    }

    /** With the inherit policy the migration ran with: narrowed scripts merge only the parent keys they inherit. */
    public ContractCheck(Connection connection, InheritPolicy policy) {
        this.connection = connection;
        this.policy = policy;
    }

    /** The parent's parameters as jsonb, narrowed per script by the inherit policy (keys quoted as SQL literals). */
    private String inheritedParentParameters() {
        if (policy.keysByScript().isEmpty()) {
            return "d.p_parameters::jsonb";
        }
        StringBuilder sql = new StringBuilder("CASE p.script");
        policy.keysByScript().forEach((script, keys) -> {
            sql.append(" WHEN ").append(literal(script)).append(" THEN (SELECT coalesce(jsonb_object_agg(e.key, e.value), '{}'::jsonb)"
                    + " FROM jsonb_each(d.p_parameters::jsonb) e WHERE e.key = ANY (ARRAY[");
            sql.append(keys.stream().map(ContractCheck::literal).collect(java.util.stream.Collectors.joining(", ")));
            sql.append("]::text[]))");
        });
        return sql.append(" ELSE d.p_parameters::jsonb END").toString();
    }

    /**
     * A SQL string literal of any text. The escape-string form ({@code E'...'}, backslashes and quotes doubled) means the
     * same whatever standard_conforming_strings says, so a key holding a backslash cannot end the literal early.
     */
    static String literal(String value) {
        return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    public CheckResult run() throws SQLException {
        long start = System.nanoTime();
        String notMigrated = Sql.notMigrated(connection);
        if (notMigrated != null) {
            return CheckResult.cannotRun(NAME, DESCRIPTION, notMigrated, start);
        }
        Differences differences = new Differences();
        Json json = Json.CAST;
        Verdicts verdicts;
        try {
            // Casting without asking first parses each text once; almost always every JSON-looking text is JSON.
            verdicts = Sql.attempt(connection, () -> judge(Json.CAST));
        } catch (SQLException e) {
            if (!isInvalidJson(e)) {
                throw e;
            }
            if (Sql.serverVersion(connection) >= 160000) {
                // Some text starts with '{' but is no JSON PostgreSQL reads: ask before each cast (PostgreSQL 16 can).
                json = Json.VALIDATE;
            } else {
                // Older servers cannot ask: judge everything else, and say that the merge went unchecked.
                json = Json.SKIP;
                differences.add("script_parameters merge not checked: PostgreSQL " + Sql.serverVersion(connection) / 10000
                        + " cannot read some parameters as JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
            }
            verdicts = judge(json);
        }
        differences.count(verdicts.all().broken() + verdicts.suspects().broken());
        List<Long> first = new ArrayList<>(verdicts.all().first());
        first.addAll(verdicts.suspects().first());
        if (!first.isEmpty()) {
            describe(rules(json, true), first, differences);
        }
        return CheckResult.of(NAME, DESCRIPTION, verdicts.all().examined(), differences, start);
    }

    /** A pass over every task-like job without the lookups, and one over the suspects with them. */
    private record Verdicts(RowJudgement.Verdict all, RowJudgement.Verdict suspects) { }

    private Verdicts judge(Json json) throws SQLException {
        RowJudgement.Verdict all = RowJudgement.judge(connection, broken(rules(json, false)), SUSPECT,
                JOINS + TASK_LIKE_JOBS, Sql.NO_PARAMETERS);
        RowJudgement.Verdict suspects = new RowJudgement.Verdict(0, 0, List.of(), List.of());
        if (!all.suspects().isEmpty()) {
            Array ids = connection.createArrayOf("int8", all.suspects().toArray());
            suspects = RowJudgement.judge(connection, broken(rules(json, true)), "false",
                    JOINS + LOOKUPS + TASK_LIKE_JOBS + "AND j.id = ANY(?)\n", st -> st.setArray(1, ids));
        }
        return new Verdicts(all, suspects);
    }

    /** How the merge rule treats parameters text that starts with '{'. */
    private enum Json { CAST, VALIDATE, SKIP }

    private void describe(List<Rule> rules, List<Long> ids, Differences differences) throws SQLException {
        String broken = broken(rules);
        StringBuilder actual = new StringBuilder("CASE ").append(broken);
        StringBuilder expected = new StringBuilder("CASE ").append(broken);
        for (int i = 0; i < rules.size(); i++) {
            actual.append(" WHEN ").append(i).append(" THEN ").append(rules.get(i).actual());
            expected.append(" WHEN ").append(i).append(" THEN ").append(rules.get(i).expected() == null ? "NULL" : rules.get(i).expected());
        }
        // Each CASE evaluates one rule's expressions per row, so a cast that a rule guards is never reached unguarded.
        String sql = """
                SELECT j.legacy_task_uuid AS task_uuid, j.uuid AS job_uuid, %s AS broken, %s END AS actual, %s END AS expected
                %s%s%s  AND j.id = ANY(?)
                ORDER BY j.legacy_task_uuid, j.id
                """.formatted(broken, actual, expected, JOINS, LOOKUPS, TASK_LIKE_JOBS);
        Array array = connection.createArrayOf("int8", ids.toArray());
        Sql.forEach(connection, sql, st -> st.setArray(1, array), rs -> differences.describe(describe(rules, rs)));
    }

    private static String describe(List<Rule> rules, ResultSet rs) throws SQLException {
        String row = "task " + Shown.uuid(rs.getString("task_uuid")) + " (task-like job " + Shown.uuid(rs.getString("job_uuid")) + ")";
        if (rs.getObject("broken") == null) {
            return row + ": holds the contract on a second look (was it written meanwhile?)";
        }
        Rule rule = rules.get(rs.getInt("broken"));
        if (rule.expected() == null) {
            return row + ": " + rule.column() + ": " + rs.getString("actual");
        }
        return row + ": " + rule.column() + " is " + Shown.value(rs.getString("actual")) + ", expected "
                + Shown.value(rs.getString("expected")) + (rule.note() == null ? "" : " (" + rule.note() + ")");
    }

    /** The index of the first rule a row breaks, or NULL; a rule that yields NULL is broken too. */
    private static String broken(List<Rule> rules) {
        StringBuilder sql = new StringBuilder("CASE");
        for (int i = 0; i < rules.size(); i++) {
            sql.append("\n WHEN NOT coalesce(").append(rules.get(i).holds()).append(", false) THEN ").append(i);
        }
        return sql.append("\n END").toString();
    }

    private static boolean isInvalidJson(SQLException e) {
        // invalid_text_representation, untranslatable_character, and invalid JSON text as PostgreSQL classes them
        return List.of("22P02", "22P05", "22032").contains(e.getSQLState());
    }

    /** The rules in contract order; without {@code lookups}, the parts that need {@link #LOOKUPS} pass (for suspects). */
    private List<Rule> rules(Json json, boolean lookups) {
        List<Rule> rules = new ArrayList<>();
        rules.add(new Rule("legacy_task_uuid", "t.id IS NOT NULL", "'names no task in job_tasks'", null));
        rules.add(new Rule("parent", "p.id IS NOT NULL",
                "'the task''s job_uuid ' || quote_nullable(t.job_uuid) || ' names no top-level job'", null));
        // The derived uuid, or a fresh one only when another job (not a copy of this task) already held the derived one.
        rules.add(new Rule("uuid", "j.uuid ~ '" + JOB_UUID_PATTERN + "' AND (j.uuid = d.derived"
                + " OR " + (lookups ? "x.other" : "true") + ")",
                "j.uuid", "d.derived", "or a fresh uuid when another job holds that one"));
        // Every other column as the column table says its value comes from, in table order; then the computed ones,
        // each by its own rule, the state first: running and success follow from it, so a wrong state is named as such.
        List<JobColumn> computed = new ArrayList<>();
        for (JobColumn column : JobColumn.values()) {
            switch (column.source()) {
                case TASK -> {
                    if (column != JobColumn.LEGACY_TASK_UUID) { // the join to t is by it: the first rule above
                        rules.add(Rule.same(column.column(), "t." + column.taskColumn()));
                    }
                }
                case PARENT -> rules.add(Rule.same(column.column(), "p." + column.column()));
                case NONE -> rules.add(Rule.same(column.column(), "NULL"));
                case COMPUTED -> computed.add(column);
            }
        }
        computed.sort(Comparator.comparing(column -> column != JobColumn.STATE));
        for (JobColumn column : computed) {
            computed(column, json, lookups).ifPresent(rules::add);
        }
        return List.copyOf(rules);
    }
    /** The rule of a column the mapping computes; empty where the rule is skipped (JSON not compared) or given above. */
    private Optional<Rule> computed(JobColumn column, Json json, boolean lookups) {
        String bothJson = "left(d.p_parameters, 1) = '{' AND left(d.t_parameters, 1) = '{'";
        String merged = inheritedParentParameters() + " || d.t_parameters::jsonb";
        return Optional.ofNullable(switch (column) {
            case UUID -> null; // the third rule above
            case SCRIPT_PARAMETERS -> switch (json) {
                case CAST -> new Rule("script_parameters", "CASE WHEN NOT (" + bothJson + ") THEN true"
                        + " ELSE j.script_parameters::jsonb = " + merged + " END", "j.script_parameters", "(" + merged + ")::text", MERGE_NOTE);
                case VALIDATE -> new Rule("script_parameters", "CASE WHEN NOT (" + bothJson
                        + " AND pg_input_is_valid(d.p_parameters, 'jsonb') AND pg_input_is_valid(d.t_parameters, 'jsonb')) THEN true"
                        + " WHEN NOT pg_input_is_valid(j.script_parameters, 'jsonb') THEN false"
                        + " ELSE j.script_parameters::jsonb = " + merged + " END", "j.script_parameters",
                        "CASE WHEN pg_input_is_valid(j.script_parameters, 'jsonb') THEN (" + merged + ")::text END", MERGE_NOTE);
                case SKIP -> null;
            };
            case SCRIPT_PARAMETERS_DIGEST -> new Rule("script_parameters_digest", "j.script_parameters_digest = md5(j.script_parameters)",
                    "j.script_parameters_digest", "md5(j.script_parameters)");
            case STATE -> new Rule("state", "j.state = s.x_state", "j.state", "s.x_state");
            case RUNNING -> new Rule("running", "j.running = (s.x_state = 'Running')", "j.running::text", "(s.x_state = 'Running')::text");
            case SUCCESS -> Rule.same("success", "CASE s.x_state WHEN 'Complete' THEN true WHEN 'Failed' THEN false"
                    + " WHEN 'Cancelled' THEN false END");
            case OUTPUT -> Rule.same("output", "d.x_output");
            case PRIORITY -> new Rule("priority", "j.priority = 0", "j.priority::text", "'0'");
            // The creator's task-like job when the creator was carried; NULL when it was quarantined or never existed.
            case CREATED_BY_JOB_UUID -> new Rule("created_by_job_uuid", "CASE WHEN t.created_by_job_task_uuid IS NULL THEN j.created_by_job_uuid IS NULL"
                    + " WHEN j.created_by_job_uuid IS NULL THEN " + (lookups ? "cc.carried IS NULL" : "true")
                    + " ELSE cr.legacy_task_uuid IS NOT DISTINCT FROM t.created_by_job_task_uuid END",
                    "j.created_by_job_uuid", "(SELECT string_agg(c.uuid, ' or ') FROM jobs c WHERE c.legacy_task_uuid = t.created_by_job_task_uuid)");
            default -> throw new IllegalStateException("no contract rule for the computed column " + column.column());
        });
    }
}
