package org.arvados.tasksasjobs.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.arbitraries.StringArbitrary;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.arvados.tasksasjobs.mapping.InheritPolicy;
import org.arvados.tasksasjobs.mapping.JobState;
import org.arvados.tasksasjobs.mapping.MappingOutcome;
import org.arvados.tasksasjobs.mapping.ParentJob;
import org.arvados.tasksasjobs.mapping.SerializedHashReader;
import org.arvados.tasksasjobs.mapping.StubYamlDecoder;
import org.arvados.tasksasjobs.mapping.TaskJobMapping;
import org.arvados.tasksasjobs.mapping.TaskLikeJob;
import org.arvados.tasksasjobs.mapping.TaskRow;
import org.arvados.tasksasjobs.mapping.UnparseableHashException;
import org.arvados.tasksasjobs.mapping.UuidAllocator;

/**
 * Both directions of the translation give back what went in, for generated values covering NULL in
 * every nullable column, JSON, YAML-era and double-encoded parameter text, non-ASCII text and
 * every success value:
 * <ul>
 *   <li>task -> job -> task: a task mapped to a task-like job and rendered as an arvados#jobTask
 *       shows the task's own API values;</li>
 *   <li>job -> task -> job: a task-like job rendered as an arvados#jobTask and sent back as an
 *       update body gives attributes equal to the job's task columns, and applied as an update
 *       to the job gives back the job with only its modification stamps changed.</li>
 * </ul>
 */
class TranslationRoundTripTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StubYamlDecoder YAML = new StubYamlDecoder();
    private static final SerializedHashReader READER = new SerializedHashReader(YAML);
    private static final JobTaskResource RESOURCE = new JobTaskResource(YAML);
    private static final List<String> FRAGMENTS =
            List.of("a", "input", "Z", "0", " ", "é", "日本", "\uD83D\uDE00", "\uFFFD", "\n", "\"", "\\", "/", "'", ":sym", "\t", "\u0001");

    private record Who(String ownerUuid, String modifiedByClientUuid, String modifiedByUserUuid, LocalDateTime modifiedAt) {}

    private record Times(LocalDateTime createdAt, LocalDateTime updatedAt, LocalDateTime startedAt, LocalDateTime finishedAt) {}

    private record Payload(String parameters, String output, Double progress, Boolean success) {}

    private record Order(Integer sequence, Long qsequence, String createdByJobTaskUuid) {}

    private record TaskCase(TaskRow task, ParentJob parent) {}

    @Property(tries = 10_000)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF) // coverage is checked below
    void taskToJobToTaskGivesBackTheTasksApiValues(@ForAll("taskCases") TaskCase c) throws Exception {
        TaskRow task = c.task();
        TaskJobMapping mapping = new TaskJobMapping(READER, InheritPolicy.ALL, NO_ALLOCATIONS);
        MappingOutcome outcome = mapping.map(task, c.parent(), null, uuid -> false);
        TaskLikeJob job = assertInstanceOf(MappingOutcome.Mapped.class, outcome, outcome::toString).job();

        ObjectNode rendered = RESOURCE.render(task.id(), job);
        // Over the wire and back, as a client sees it.
        JsonNode seen = JSON.readTree(JSON.writeValueAsString(rendered));

        assertEquals("arvados#jobTask", seen.get("kind").asText());
        assertText(task.uuid(), seen, "uuid");
        assertText(task.ownerUuid(), seen, "owner_uuid");
        assertText(task.modifiedByClientUuid(), seen, "modified_by_client_uuid");
        assertText(task.modifiedByUserUuid(), seen, "modified_by_user_uuid");
        assertText(task.jobUuid(), seen, "job_uuid");
        assertText(task.output(), seen, "output");
        assertText(task.createdByJobTaskUuid(), seen, "created_by_job_task_uuid");
        assertEquals(task.sequence(), seen.get("sequence").isNull() ? null : seen.get("sequence").intValue());
        assertEquals(task.qsequence(), seen.get("qsequence").isNull() ? null : seen.get("qsequence").longValue());
        assertEquals(task.progress(), seen.get("progress").isNull() ? null : seen.get("progress").doubleValue());
        assertEquals(task.success(), seen.get("success").isNull() ? null : seen.get("success").booleanValue());
        assertEquals(READER.read(task.parameters()), READER.read(seen.get("parameters").toString()));
        assertTime(task.modifiedAt(), seen, "modified_at");
        assertTime(task.createdAt(), seen, "created_at");
        assertTime(task.updatedAt(), seen, "updated_at");
        assertTime(task.startedAt(), seen, "started_at");
        assertTime(task.finishedAt(), seen, "finished_at");
        assertEquals(18, seen.size());

        Statistics.label("success").collect(String.valueOf(task.success()));
        Statistics.label("state").collect(job.state());
        Statistics.label("parameters").collect(form(task.parameters()));
        Statistics.label("success").coverage(coverage -> {
            for (String value : List.of("true", "false", "null")) {
                coverage.check(value).count(count -> count > 0);
            }
        });
        Statistics.label("state").coverage(coverage -> {
            for (JobState state : JobState.values()) {
                coverage.check(state).count(count -> count > 0);
            }
        });
        checkParameterForms();
    }

    @Property(tries = 10_000)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF) // coverage is checked below
    void jobToTaskToJobGivesBackTheJobsTaskColumns(@ForAll("jobs") TaskLikeJob job) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.set("job_task", RESOURCE.render(1, job));
        JobTaskRequest request = JobTaskRequest.parse(JSON.writeValueAsString(body));

        assertEquals(JobTaskRequest.WRITABLE, request.given());
        assertEquals(job.ownerUuid(), request.ownerUuid());
        assertEquals(job.parentJobUuid(), request.jobUuid());
        assertEquals(job.taskSequence(), request.sequence());
        assertEquals(READER.read(job.taskParameters()), request.parameters());
        assertEquals(job.taskOutput(), request.output());
        assertEquals(job.taskProgress(), request.progress());
        assertEquals(TaskJobMapping.toTaskRow(1, job).success(), request.success());
        assertEquals(job.legacyCreatedByTaskUuid(), request.createdByJobTaskUuid());
        assertEquals(job.taskQsequence(), request.qsequence());
        assertEquals(job.startedAt(), request.startedAt());
        assertEquals(job.finishedAt(), request.finishedAt());

        Statistics.label("state").collect(job.state());
        Statistics.label("parameters").collect(form(job.taskParameters()));
        Statistics.label("state").coverage(coverage -> {
            for (JobState state : JobState.values()) {
                coverage.check(state).count(count -> count > 0);
            }
        });
        checkParameterForms();
    }

    @Property(tries = 10_000)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF) // coverage is checked below
    void sendingBackARenderedTaskChangesNothingButTheModificationStamps(@ForAll("taskCases") TaskCase c) throws Exception {
        TaskJobMapping mapping = new TaskJobMapping(READER, InheritPolicy.ALL, NO_ALLOCATIONS);
        TaskLikeJob job = ((MappingOutcome.Mapped) mapping.map(c.task(), c.parent(), null, uuid -> false)).job();
        ObjectNode body = JSON.createObjectNode();
        body.set("job_task", RESOURCE.render(c.task().id(), job));

        MappingOutcome outcome = JobTaskRequest.parse(JSON.writeValueAsString(body))
                .applyTo(job, c.parent(), job.createdByJobUuid(), READER, InheritPolicy.ALL, EDITOR, null, EDITED);

        TaskRow t = c.task();
        TaskRow stamped = new TaskRow(t.id(), t.uuid(), t.ownerUuid(), null, EDITOR, EDITED, t.jobUuid(), t.sequence(),
                t.parameters(), t.output(), t.progress(), t.success(), t.createdAt(), EDITED, t.createdByJobTaskUuid(),
                t.qsequence(), t.startedAt(), t.finishedAt());
        assertEquals(mapping.map(stamped, c.parent(), null, uuid -> false), outcome);

        Statistics.label("state").collect(job.state());
        Statistics.label("parameters").collect(form(t.parameters()));
        Statistics.label("state").coverage(coverage -> {
            for (JobState state : JobState.values()) {
                coverage.check(state).count(count -> count > 0);
            }
        });
        checkParameterForms();
    }

    private static final String EDITOR = "zzzzz-tpzed-d9tiejq69daie8f";
    private static final LocalDateTime EDITED = LocalDateTime.of(2026, 11, 25, 17, 0, 0, 123_456_000);

    private static void checkParameterForms() {
        Statistics.label("parameters").coverage(coverage -> {
            for (String form : List.of("NULL", "JSON", "YAML", "double-encoded")) {
                coverage.check(form).count(count -> count > 0);
            }
        });
    }

    /** Every generated task uuid is free, so the mapping never asks for a random one. */
    private static final UuidAllocator NO_ALLOCATIONS = cluster -> {
        throw new AssertionError("no allocation expected");
    };

    private static void assertText(String expected, JsonNode seen, String name) {
        JsonNode value = seen.get(name);
        assertEquals(expected, value.isNull() ? null : value.textValue(), name);
    }

    private static void assertTime(LocalDateTime expected, JsonNode seen, String name) {
        JsonNode value = seen.get(name);
        assertEquals(expected == null ? null : ApiTimestamps.write(expected), value.isNull() ? null : value.textValue(), name);
        assertEquals(expected, value.isNull() ? null : ApiTimestamps.read(value.textValue()), name);
    }

    private static String form(String parameters) {
        if (parameters == null) {
            return "NULL";
        }
        if (parameters.startsWith("{")) {
            return "JSON";
        }
        return parameters.startsWith("--- '") ? "double-encoded" : "YAML";
    }

    // --- generators -----------------------------------------------------------------------------

    @Provide
    Arbitrary<TaskCase> taskCases() {
        return Combinators.combine(tasks(), parents()).as((task, parent) -> {
            TaskRow withParent = new TaskRow(task.id(), task.uuid(), task.ownerUuid(), task.modifiedByClientUuid(),
                    task.modifiedByUserUuid(), task.modifiedAt(), parent.uuid(), task.sequence(), task.parameters(), task.output(),
                    task.progress(), task.success(), task.createdAt(), task.updatedAt(), task.createdByJobTaskUuid(),
                    task.qsequence(), task.startedAt(), task.finishedAt());
            return new TaskCase(withParent, parent);
        });
    }

    @Provide
    Arbitrary<TaskLikeJob> jobs() {
        Arbitrary<Who> who = Combinators.combine(orNull(uuids("tpzed")), orNull(uuids("ozdt8")), orNull(uuids("tpzed")),
                orNull(timestamps())).as(Who::new);
        Arbitrary<Times> times = Combinators.combine(orNull(timestamps()), orNull(timestamps()), orNull(timestamps()),
                orNull(timestamps())).as(Times::new);
        Arbitrary<Payload> payload = Combinators.combine(parameterTexts(), outputs(),
                orNull(progresses()), Arbitraries.just((Boolean) null)).as(Payload::new);
        Arbitrary<Order> order = Combinators.combine(orNull(Arbitraries.integers()), orNull(Arbitraries.longs()),
                orNull(uuids("ot0gb"))).as(Order::new);
        return Combinators.combine(uuids("ot0gb"), orNull(uuids("8i9sb")), Arbitraries.of(JobState.class), who, times, payload,
                order).as((legacyUuid, parentUuid, state, w, t, p, o) -> new TaskLikeJob(
                        "zzzzz-8i9sb-" + legacyUuid.substring(12), w.ownerUuid(), w.modifiedByClientUuid(), w.modifiedByUserUuid(),
                        w.modifiedAt(), t.createdAt(), t.updatedAt(), t.startedAt(), t.finishedAt(), "hash",
                        "4fe459abe02d9b365932b8f5dc419439ab4e2577", null, "active/foo", null, null, "{}", null, "{}",
                        "99914b932bd37a50b983c5e7c90ae93b", state, state == JobState.RUNNING,
                        state == JobState.COMPLETE ? Boolean.TRUE : state.ended() ? Boolean.FALSE : null, null, null, 0,
                        parentUuid, legacyUuid, o.sequence(), o.qsequence(), null, o.createdByJobTaskUuid(), p.progress(),
                        p.parameters(), p.output()));
    }

    private static Arbitrary<String> text() {
        return Arbitraries.of(FRAGMENTS).list().ofMaxSize(5).map(parts -> String.join("", parts));
    }

    private static <T> Arbitrary<T> orNull(Arbitrary<T> values) {
        return values.injectNull(0.25);
    }

    private static Arbitrary<Double> progresses() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(0, 1), Arbitraries.of(0.0, 1.0, -0.0, 1e-300, 0.1 + 0.2));
    }

    private static Arbitrary<LocalDateTime> timestamps() {
        // microsecond precision, as PostgreSQL keeps them
        return Arbitraries.longs().between(0, 20L * 365 * 24 * 3600 * 1_000_000)
                .map(micros -> LocalDateTime.of(2012, 1, 1, 0, 0).plusNanos(micros * 1000));
    }

    private static Arbitrary<String> uuids(String infix) {
        StringArbitrary base36 = Arbitraries.strings().withChars("0123456789abcdefghijklmnopqrstuvwxyz");
        return Combinators.combine(base36.ofLength(5), Arbitraries.just(infix), base36.ofLength(15))
                .as((cluster, type, tail) -> cluster + "-" + type + "-" + tail);
    }

    private static Arbitrary<Map<String, Object>> hashes() {
        Arbitrary<Object> leaves = Arbitraries.oneOf(text().map(s -> (Object) s),
                Arbitraries.longs().map(n -> (Object) n), Arbitraries.just(null), Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.doubles().between(-1e20, 1e20).map(d -> (Object) d),
                Arbitraries.bigIntegers().between(new java.math.BigInteger("9223372036854775808"),
                        new java.math.BigInteger("99999999999999999999999")).map(b -> (Object) b));
        Arbitrary<Object> values = Arbitraries.oneOf(leaves, leaves.list().ofMaxSize(3).map(list -> (Object) list),
                Arbitraries.maps(text(), leaves).ofMaxSize(2).map(map -> (Object) new LinkedHashMap<>(map)));
        return Arbitraries.maps(text(), values).ofMaxSize(4).map(LinkedHashMap::new);
    }

    private static String json(Map<String, Object> hash) {
        try {
            return JSON.writeValueAsString(hash);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Flat YAML as Psych wrote it for the stub decoder: quoted strings, bare integers. */
    private static Arbitrary<String> yaml() {
        Arbitrary<String> safeText = Arbitraries.of("input", "an_integer", "é", "日本", "\uD83D\uDE00", "it's", ":sym", "x y")
                .list().ofMinSize(1).ofMaxSize(3).map(parts -> String.join("", parts));
        Arbitrary<String> value = Arbitraries.oneOf(safeText.map(StubYamlDecoder::quote),
                Arbitraries.longs().map(String::valueOf));
        Arbitrary<String> line = Combinators.combine(safeText, value).as((k, v) -> StubYamlDecoder.quote(k) + ": " + v);
        return line.list().ofMinSize(1).ofMaxSize(4).map(lines -> "---\n" + lines.stream().collect(Collectors.joining("\n")) + "\n");
    }

    private static Arbitrary<String> parameterTexts() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just((String) null)),
                Tuple.of(2, Arbitraries.of("{}", "--- {}\n")),
                Tuple.of(5, hashes().map(TranslationRoundTripTest::json)),
                Tuple.of(3, yaml()),
                Tuple.of(1, hashes().map(h -> "--- " + StubYamlDecoder.quote(json(h)) + "\n")));
    }

    private static Arbitrary<String> outputs() {
        return Arbitraries.oneOf(
                Arbitraries.just((String) null),
                Arbitraries.of("acbd18db4cc2f85cedef654fccc4a4d8+3", "acbd18db4cc2f85cedef654fccc4a4d8+3+K@zzzzz\n", ""),
                text().map(name -> ". acbd18db4cc2f85cedef654fccc4a4d8+3 0:3:" + name + "\n"),
                text());
    }

    private static Arbitrary<TaskRow> tasks() {
        Arbitrary<Who> who = Combinators.combine(orNull(uuids("tpzed")), orNull(uuids("ozdt8")), orNull(uuids("tpzed")),
                orNull(timestamps())).as(Who::new);
        Arbitrary<Times> times = Combinators.combine(orNull(timestamps()), orNull(timestamps()), orNull(timestamps()),
                orNull(timestamps())).as(Times::new);
        Arbitrary<Payload> payload = Combinators.combine(parameterTexts(), outputs(), orNull(progresses()),
                Arbitraries.of(true, false).injectNull(0.4)).as(Payload::new);
        Arbitrary<Order> order = Combinators.combine(orNull(Arbitraries.integers()), orNull(Arbitraries.longs()),
                orNull(uuids("ot0gb"))).as(Order::new);
        return Combinators.combine(Arbitraries.longs(), uuids("ot0gb"), who, times, payload, order).as((id, uuid, w, t, p, o) ->
                new TaskRow(id, uuid, w.ownerUuid(), w.modifiedByClientUuid(), w.modifiedByUserUuid(), w.modifiedAt(),
                        null, o.sequence(), p.parameters(), p.output(), p.progress(), p.success(), t.createdAt(),
                        t.updatedAt(), o.createdByJobTaskUuid(), o.qsequence(), t.startedAt(), t.finishedAt()));
    }

    private static Arbitrary<ParentJob> parents() {
        Arbitrary<String> states = Arbitraries.of("Queued", "Running", "Cancelled", "Failed", "Complete");
        return Combinators.combine(uuids("8i9sb"), states, parameterTexts()).as((uuid, state, parameters) ->
                new ParentJob(uuid, state, null, null, null, "hash", "4fe459abe02d9b365932b8f5dc419439ab4e2577", null,
                        "active/foo", null, null, "{}", null, null, parameters));
    }
}
