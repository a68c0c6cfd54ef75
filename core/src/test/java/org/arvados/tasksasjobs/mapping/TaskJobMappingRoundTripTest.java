package org.arvados.tasksasjobs.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * For every task the mapping carries, the reverse gives back the task: every column but the id,
 * which the caller supplies. Generated tasks cover NULL in every nullable column, JSON and
 * YAML-era parameter text, non-ASCII text, every success value, and parents in every state
 * (and without one, by the legacy flags).
 */
class TaskJobMappingRoundTripTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FRAGMENTS =
            List.of("a", "input", "Z", "0", " ", "é", "日本", "\uD83D\uDE00", "\uFFFD", "\n", "\"", "\\", "/", "'", ":sym", "\t");

    private record Who(String ownerUuid, String modifiedByClientUuid, String modifiedByUserUuid, LocalDateTime modifiedAt) {}

    private record Times(LocalDateTime createdAt, LocalDateTime updatedAt, LocalDateTime startedAt, LocalDateTime finishedAt) {}

    private record Payload(String parameters, String output, Double progress, Boolean success) {}

    private record Order(String jobUuid, Integer sequence, Long qsequence, String createdByJobTaskUuid) {}

    private record Case(TaskRow task, ParentJob parent, boolean derivedTaken, long seed) {}

    @Property(tries = 1000)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF) // coverage is checked; a table in the log says nothing more
    void reverseOfMappedTaskIsTheTask(@ForAll("cases") Case c) {
        TaskJobMapping mapping = new TaskJobMapping(new SerializedHashReader(new StubYamlDecoder()), InheritPolicy.ALL,
                new RandomUuidAllocator(new SplittableRandom(c.seed())));
        String derived = UuidMapping.taskLikeJobUuid(c.task().uuid());
        MappingOutcome outcome = mapping.map(c.task(), c.parent(), null, uuid -> c.derivedTaken() && uuid.equals(derived));
        TaskLikeJob job = assertInstanceOf(MappingOutcome.Mapped.class, outcome, outcome::toString).job();

        assertEquals(c.task(), TaskJobMapping.toTaskRow(c.task().id(), job));

        assertEquals(ParametersDigest.ofCanonical(job.scriptParameters()), job.scriptParametersDigest());
        assertEquals(c.derivedTaken(), !job.uuid().equals(derived));
        Statistics.label("success").collect(c.task().success());
        Statistics.label("state").collect(job.state());
        Statistics.label("parameters").collect(form(c.task().parameters()));
        Statistics.label("state").coverage(coverage -> {
            for (JobState state : JobState.values()) {
                if (state != JobState.COMPLETE && state != JobState.FAILED) {
                    coverage.check(state).count(count -> count > 0);
                }
            }
            coverage.check(JobState.COMPLETE).count(count -> count > 0);
            coverage.check(JobState.FAILED).count(count -> count > 0);
        });
        Statistics.label("parameters").coverage(coverage -> {
            for (String form : List.of("NULL", "JSON", "YAML", "double-encoded")) {
                coverage.check(form).count(count -> count > 0);
            }
        });
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

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(tasks(), parents(), Arbitraries.of(true, false), Arbitraries.longs())
                .as(Case::new);
    }

    private static Arbitrary<String> text() {
        return Arbitraries.of(FRAGMENTS).list().ofMaxSize(5).map(parts -> String.join("", parts));
    }

    private static <T> Arbitrary<T> orNull(Arbitrary<T> values) {
        return values.injectNull(0.25);
    }

    private static Arbitrary<LocalDateTime> timestamps() {
        // microsecond precision, as PostgreSQL keeps them
        return Arbitraries.longs().between(0, 20L * 365 * 24 * 3600 * 1_000_000)
                .map(micros -> LocalDateTime.of(2012, 1, 1, 0, 0).plusNanos(micros * 1000));
    }

    private static Arbitrary<String> uuids(String infix) {
        net.jqwik.api.arbitraries.StringArbitrary base36 = Arbitraries.strings().withChars("0123456789abcdefghijklmnopqrstuvwxyz");
        return Combinators.combine(base36.ofLength(5), infix == null ? base36.ofLength(5) : Arbitraries.just(infix),
                base36.ofLength(15)).as((cluster, type, tail) -> cluster + "-" + type + "-" + tail);
    }

    private static Arbitrary<Map<String, Object>> hashes() {
        Arbitrary<Object> values = Arbitraries.oneOf(text().map(s -> (Object) s),
                Arbitraries.longs().map(n -> (Object) n), Arbitraries.just(null), Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.doubles().between(-1e20, 1e20).map(d -> (Object) d),
                text().list().ofMaxSize(3).map(list -> (Object) list));
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
                net.jqwik.api.Tuple.of(2, Arbitraries.just((String) null)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("{}", "--- {}\n")),
                net.jqwik.api.Tuple.of(5, hashes().map(TaskJobMappingRoundTripTest::json)),
                net.jqwik.api.Tuple.of(3, yaml()),
                net.jqwik.api.Tuple.of(1, hashes().map(h -> "--- " + StubYamlDecoder.quote(json(h)) + "\n")));
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
        Arbitrary<Payload> payload = Combinators.combine(parameterTexts(), outputs(),
                orNull(Arbitraries.doubles().between(0, 1)), Arbitraries.of(true, false).injectNull(0.4)).as(Payload::new);
        Arbitrary<Order> order = Combinators.combine(orNull(uuids("8i9sb")), orNull(Arbitraries.integers().between(0, 10)),
                orNull(Arbitraries.longs().greaterOrEqual(0)), orNull(uuids("ot0gb"))).as(Order::new);
        Arbitrary<String> taskUuids = Arbitraries.oneOf(uuids("ot0gb"), uuids(null));
        return Combinators.combine(Arbitraries.longs(), taskUuids, who, times, payload, order).as((id, uuid, w, t, p, o) ->
                new TaskRow(id, uuid, w.ownerUuid(), w.modifiedByClientUuid(), w.modifiedByUserUuid(), w.modifiedAt(),
                        o.jobUuid(), o.sequence(), p.parameters(), p.output(), p.progress(), p.success(), t.createdAt(),
                        t.updatedAt(), o.createdByJobTaskUuid(), o.qsequence(), t.startedAt(), t.finishedAt()));
    }

    private static Arbitrary<ParentJob> parents() {
        Arbitrary<String> states = Arbitraries.of("Queued", "Running", "Cancelled", "Failed", "Complete").injectNull(0.3);
        Arbitrary<Boolean> flags = Arbitraries.of(true, false).injectNull(0.3);
        return Combinators.combine(states, flags, flags, orNull(timestamps()), Arbitraries.of("hash", "grep", "é-script"),
                orNull(parameterTexts()), orNull(text())).as((state, running, success, cancelledAt, script, parameters, log) ->
                new ParentJob("zzzzz-8i9sb-pshmckwoma9plh7", state, running, success, cancelledAt, script,
                        "4fe459abe02d9b365932b8f5dc419439ab4e2577", null, "active/foo", null, null, "{}", null, log, parameters));
    }
}
