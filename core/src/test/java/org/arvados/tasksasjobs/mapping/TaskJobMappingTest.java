package org.arvados.tasksasjobs.mapping;

import static org.arvados.tasksasjobs.mapping.Fixtures.PARENT_UUID;
import static org.arvados.tasksasjobs.mapping.Fixtures.TASK_UUID;
import static org.arvados.tasksasjobs.mapping.Fixtures.parent;
import static org.arvados.tasksasjobs.mapping.Fixtures.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class TaskJobMappingTest {

    private static final String CREATOR_JOB = "zzzzz-8i9sb-firsttaskofjob1";
    private static final Predicate<String> NOTHING_TAKEN = uuid -> false;

    private final List<String> allocations = new ArrayList<>();
    private final UuidAllocator countingAllocator = cluster -> {
        String uuid = String.format("%s-8i9sb-allocated%06d", cluster, allocations.size());
        allocations.add(uuid);
        return uuid;
    };
    private final TaskJobMapping mapping =
            new TaskJobMapping(new SerializedHashReader(new StubYamlDecoder()), InheritPolicy.ALL, countingAllocator);

    private TaskLikeJob mapped(TaskRow task, ParentJob parent) {
        MappingOutcome outcome = mapping.map(task, parent, CREATOR_JOB, NOTHING_TAKEN);
        return assertInstanceOf(MappingOutcome.Mapped.class, outcome, () -> outcome.toString()).job();
    }

    private MappingOutcome.Quarantined quarantined(TaskRow task, ParentJob parent) {
        MappingOutcome outcome = mapping.map(task, parent, CREATOR_JOB, NOTHING_TAKEN);
        MappingOutcome.Quarantined quarantined = assertInstanceOf(MappingOutcome.Quarantined.class, outcome);
        assertFalse(quarantined.detail().contains("\n"), "detail is one line");
        return quarantined;
    }

    // --- quarantine rules, in order ---

    @Test
    void nullUuidIsQuarantined() {
        MappingOutcome.Quarantined q = quarantined(task().uuid(null).build(), parent().build());
        assertEquals(QuarantineReason.NULL_UUID, q.reason());
        assertEquals("null_uuid", q.reason().code());
    }

    @Test
    void malformedUuidIsQuarantinedAndQuoted() {
        MappingOutcome.Quarantined q = quarantined(task().uuid("zzzzz-ot0gb-short").build(), parent().build());
        assertEquals(QuarantineReason.MALFORMED_UUID, q.reason());
        assertTrue(q.detail().contains("\"zzzzz-ot0gb-short\""), q.detail());
    }

    @Test
    void taskWhoseJobHasNoRowIsOrphan() {
        MappingOutcome.Quarantined q = quarantined(task().build(), null);
        assertEquals(QuarantineReason.ORPHAN, q.reason());
        assertEquals("job_uuid " + PARENT_UUID + " has no job row", q.detail());
    }

    @Test
    void unfinishedTaskOfJobWithUnknownStateIsQuarantined() {
        MappingOutcome.Quarantined q = quarantined(task().success(null).build(), parent().state("Paused").build());
        assertEquals(QuarantineReason.UNKNOWN_PARENT_STATE, q.reason());
        assertTrue(q.detail().contains("\"Paused\""), q.detail());
    }

    @Test
    void finishedTaskOfJobWithUnknownStateIsStillCarried() {
        assertEquals(JobState.COMPLETE, mapped(task().success(true).build(), parent().state("Paused").build()).state());
    }

    @Test
    void taskWithNullJobUuidIsOrphan() {
        MappingOutcome.Quarantined q = quarantined(task().jobUuid(null).build(), null);
        assertEquals(QuarantineReason.ORPHAN, q.reason());
        assertEquals("job_uuid is NULL", q.detail());
    }

    @Test
    void unparseableTaskParametersAreQuarantinedWithMessageAndExcerpt() {
        String text = "{\"input\": \"" + "x".repeat(100) + "\", broken}";
        MappingOutcome.Quarantined q = quarantined(task().parameters(text).build(), parent().build());
        assertEquals(QuarantineReason.UNPARSEABLE_PARAMETERS, q.reason());
        assertTrue(q.detail().startsWith("invalid JSON: "), q.detail());
        assertTrue(q.detail().contains("; text: \"{\\\"input\\\": \\\"" + "x".repeat(49) + "\"... (first 60 of 121 chars)"),
                q.detail());
    }

    @Test
    void yamlTaskParametersWithoutDecoderAreQuarantined() {
        TaskJobMapping plain = new TaskJobMapping(new SerializedHashReader(YamlDecoder.UNSUPPORTED), InheritPolicy.ALL,
                countingAllocator);
        MappingOutcome outcome = plain.map(task().parameters("--- {}\n").build(), parent().build(), null, NOTHING_TAKEN);
        assertEquals(new MappingOutcome.Quarantined(QuarantineReason.UNPARSEABLE_PARAMETERS,
                "YAML rows need the changelogs module's decoder; text: \"--- {}\\n\""), outcome);
    }

    @Test
    void unparseableParentParametersAreQuarantined() {
        MappingOutcome.Quarantined q = quarantined(task().build(), parent().scriptParameters("input: x").build());
        assertEquals(QuarantineReason.UNPARSEABLE_PARENT_PARAMETERS, q.reason());
        assertEquals("unparseable_parent_parameters", q.reason().code());
        assertTrue(q.detail().startsWith("script_parameters of job " + PARENT_UUID + ": neither JSON nor YAML"), q.detail());
    }

    @Test
    void quarantineReasonsAreCheckedInContractOrder() {
        ParentJob badParent = parent().scriptParameters("[]").build();
        assertEquals(QuarantineReason.NULL_UUID,
                quarantined(task().uuid(null).jobUuid(null).parameters("bad").build(), null).reason());
        assertEquals(QuarantineReason.MALFORMED_UUID,
                quarantined(task().uuid("bad").parameters("bad").build(), null).reason());
        assertEquals(QuarantineReason.ORPHAN, quarantined(task().parameters("bad").build(), null).reason());
        assertEquals(QuarantineReason.UNPARSEABLE_PARAMETERS,
                quarantined(task().parameters("bad").build(), badParent).reason());
        assertEquals(QuarantineReason.UNPARSEABLE_PARENT_PARAMETERS, quarantined(task().build(), badParent).reason());
    }

    @Test
    void quarantinedTasksTakeNoUuid() {
        List<String> asked = new ArrayList<>();
        mapping.map(task().parameters("bad").build(), parent().build(), null, uuid -> asked.add(uuid));
        assertEquals(List.of(), asked);
        assertEquals(List.of(), allocations);
    }

    // --- uuid ---

    @Test
    void uuidIsTheTaskUuidWithTheJobInfix() {
        TaskLikeJob job = mapped(task().build(), parent().build());
        assertEquals("zzzzz-8i9sb-runningjobtask1", job.uuid());
        assertEquals(TASK_UUID, job.legacyTaskUuid());
        assertEquals(List.of(), allocations, "the allocator is not consulted when the derived uuid is free");
    }

    @Test
    void takenDerivedUuidIsReplacedByAFreeAllocatedOne() {
        Set<String> taken = Set.of("zzzzz-8i9sb-runningjobtask1", "zzzzz-8i9sb-allocated000000");
        MappingOutcome outcome = mapping.map(task().build(), parent().build(), null, taken::contains);
        TaskLikeJob job = assertInstanceOf(MappingOutcome.Mapped.class, outcome).job();
        assertEquals("zzzzz-8i9sb-allocated000001", job.uuid());
        assertEquals(TASK_UUID, job.legacyTaskUuid(), "the mapping stays a lookup");
    }

    @Test
    void allocatorThatNeverFindsAFreeUuidStops() {
        assertThrows(IllegalStateException.class,
                () -> mapping.map(task().build(), parent().build(), null, uuid -> true));
    }

    // --- copied columns ---

    @Test
    void timestampsOwnerAndModifiersComeFromTheTask() {
        TaskRow task = task().build();
        TaskLikeJob job = mapped(task, parent().build());
        assertEquals(task.ownerUuid(), job.ownerUuid());
        assertEquals(task.modifiedByClientUuid(), job.modifiedByClientUuid());
        assertEquals(task.modifiedByUserUuid(), job.modifiedByUserUuid());
        assertEquals(task.modifiedAt(), job.modifiedAt());
        assertEquals(task.createdAt(), job.createdAt());
        assertEquals(task.updatedAt(), job.updatedAt());
        assertEquals(task.startedAt(), job.startedAt());
        assertEquals(task.finishedAt(), job.finishedAt());
    }

    @Test
    void scriptImageAndConstraintsComeFromTheParent() {
        ParentJob parent = parent().build();
        TaskLikeJob job = mapped(task().build(), parent);
        assertEquals(parent.script(), job.script());
        assertEquals(parent.scriptVersion(), job.scriptVersion());
        assertEquals(parent.suppliedScriptVersion(), job.suppliedScriptVersion());
        assertEquals(parent.repository(), job.repository());
        assertEquals(parent.dockerImageLocator(), job.dockerImageLocator());
        assertEquals(parent.arvadosSdkVersion(), job.arvadosSdkVersion());
        assertEquals(parent.runtimeConstraints(), job.runtimeConstraints());
        assertEquals(parent.nondeterministic(), job.nondeterministic());
        assertEquals(parent.log(), job.log());
    }

    @Test
    void taskColumnsAreKeptByteForByte() {
        String parameters = "{\"input\" : \"1f4b0bc7583c2a7f9102c395f4ffc5e3+45\", \"clé\":\"é\"}";
        String output = ". acbd18db4cc2f85cedef654fccc4a4d8+3 0:3:foo\n";
        TaskRow task = task().parameters(parameters).output(output).build();
        TaskLikeJob job = mapped(task, parent().build());
        assertEquals(parameters, job.taskParameters());
        assertEquals(output, job.taskOutput());
        assertEquals(PARENT_UUID, job.parentJobUuid());
        assertEquals(task.sequence(), job.taskSequence());
        assertEquals(task.qsequence(), job.taskQsequence());
        assertEquals(task.progress(), job.taskProgress());
        assertEquals(CREATOR_JOB, job.createdByJobUuid());
        assertEquals(task.createdByJobTaskUuid(), job.legacyCreatedByTaskUuid());
        assertEquals(0, job.priority());
    }

    @Test
    void unknownCreatorLeavesCreatedByJobUuidNull() {
        MappingOutcome outcome = mapping.map(task().build(), parent().build(), null, NOTHING_TAKEN);
        TaskLikeJob job = assertInstanceOf(MappingOutcome.Mapped.class, outcome).job();
        assertNull(job.createdByJobUuid());
        assertEquals("zzzzz-ot0gb-firsttaskofjob1", job.legacyCreatedByTaskUuid());
    }

    // --- script_parameters ---

    @Test
    void parametersMergeParentAndTaskWithTaskKeyWinning() {
        TaskLikeJob job = mapped(task().parameters("{\"input\":\"1f4b0bc7583c2a7f9102c395f4ffc5e3+45\",\"n\":1}").build(),
                parent().build());
        String expected = "{\"algorithm\":\"md5\",\"input\":\"1f4b0bc7583c2a7f9102c395f4ffc5e3+45\",\"n\":1}";
        assertEquals(expected, job.scriptParameters());
        assertEquals(ParametersDigest.ofCanonical(expected), job.scriptParametersDigest());
    }

    @Test
    void taskWithOnlyTheInputOfArvadosVectorGetsItsDigestWhenTheParentHasNoParameters() {
        TaskLikeJob job = mapped(task().build(), parent().scriptParameters(null).build());
        assertEquals("{\"input\":\"1f4b0bc7583c2a7f9102c395f4ffc5e3+45\"}", job.scriptParameters());
        assertEquals("03a43a7d84f7fb022467b876c2950acd", job.scriptParametersDigest());
    }

    @Test
    void mergeIsShallowSoATaskHashReplacesTheParentsWhole() {
        TaskLikeJob job = mapped(task().parameters("{\"opts\":{\"b\":2}}").build(),
                parent().scriptParameters("{\"opts\":{\"a\":1,\"c\":3}}").build());
        assertEquals("{\"opts\":{\"b\":2}}", job.scriptParameters());
    }

    @Test
    void migratesYamlParametersMergedWithParent() {
        TaskLikeJob job = mapped(task().parameters("---\ninput: 'fa7aeb5140e2848d39b416daeef4ffc5+45'\nan_integer: '1'\n").build(),
                parent().scriptParameters("--- {}\n").build());
        assertEquals("{\"an_integer\":\"1\",\"input\":\"fa7aeb5140e2848d39b416daeef4ffc5+45\"}", job.scriptParameters());
        assertEquals("a5f03bbfb8ba88a2efe4a7852671605b", job.scriptParametersDigest());
    }

    @Test
    void nullTaskParametersInheritTheParentsOnly() {
        TaskLikeJob job = mapped(task().parameters(null).build(), parent().build());
        assertEquals("{\"algorithm\":\"md5\",\"input\":\"fa7aeb5140e2848d39b416daeef4ffc5+45\"}", job.scriptParameters());
        assertNull(job.taskParameters());
    }

    @Test
    void inheritPolicyNarrowsWhatTheParentContributes() {
        TaskJobMapping narrowed = new TaskJobMapping(new SerializedHashReader(new StubYamlDecoder()),
                InheritPolicy.of(Map.of("hash", List.of("algorithm"))), countingAllocator);
        ParentJob parent = parent().scriptParameters("{\"algorithm\":\"md5\",\"reference\":\"hg19\"}").build();
        MappingOutcome outcome = narrowed.map(task().parameters("{}").build(), parent, null, NOTHING_TAKEN);
        assertEquals("{\"algorithm\":\"md5\"}", assertInstanceOf(MappingOutcome.Mapped.class, outcome).job().scriptParameters());
        MappingOutcome other = narrowed.map(task().parameters("{}").build(), parent().script("grep")
                .scriptParameters("{\"algorithm\":\"md5\",\"reference\":\"hg19\"}").build(), null, NOTHING_TAKEN);
        assertEquals("{\"algorithm\":\"md5\",\"reference\":\"hg19\"}",
                assertInstanceOf(MappingOutcome.Mapped.class, other).job().scriptParameters());
    }

    // --- state ---

    private static void assertState(TaskLikeJob job, JobState state, Boolean running, Boolean success) {
        assertEquals(state, job.state());
        assertEquals(running, job.running());
        assertEquals(success, job.success());
    }

    @Test
    void successfulTaskIsComplete() {
        assertState(mapped(task().success(true).build(), parent().build()), JobState.COMPLETE, false, true);
        assertState(mapped(task().success(true).build(), parent().state("Cancelled").build()), JobState.COMPLETE, false, true);
    }

    @Test
    void failedTaskIsFailed() {
        assertState(mapped(task().success(false).build(), parent().build()), JobState.FAILED, false, false);
        assertState(mapped(task().success(false).build(), parent().state("Complete").build()), JobState.FAILED, false, false);
    }

    @Test
    void unfinishedStartedTaskOfLiveJobIsRunning() {
        assertState(mapped(task().build(), parent().state("Running").build()), JobState.RUNNING, true, null);
        assertState(mapped(task().build(), parent().state("Queued").build()), JobState.RUNNING, true, null);
    }

    @Test
    void unfinishedUnstartedTaskOfLiveJobIsQueued() {
        assertState(mapped(task().startedAt(null).build(), parent().state("Running").build()), JobState.QUEUED, false, null);
        assertState(mapped(task().startedAt(null).build(), parent().state("Queued").build()), JobState.QUEUED, false, null);
    }

    @Test
    void unfinishedTaskOfEndedJobIsCancelled() {
        for (String ended : List.of("Cancelled", "Failed", "Complete")) {
            assertState(mapped(task().build(), parent().state(ended).build()), JobState.CANCELLED, false, false);
            assertState(mapped(task().startedAt(null).build(), parent().state(ended).build()), JobState.CANCELLED, false, false);
        }
    }

    @Test
    void parentWithoutStateColumnUsesLegacyFlags() {
        ParentJob runningByFlags = parent().state(null).running(true).build();
        assertState(mapped(task().build(), runningByFlags), JobState.RUNNING, true, null);
        ParentJob finishedByFlags = parent().state(null).running(false).success(true).build();
        assertState(mapped(task().build(), finishedByFlags), JobState.CANCELLED, false, false);
        ParentJob cancelledByFlags = parent().state(null).running(true).cancelledAt(Fixtures.CREATED).build();
        assertState(mapped(task().build(), cancelledByFlags), JobState.CANCELLED, false, false);
    }

    // --- output ---

    @Test
    void manifestOutputBecomesItsPortableDataHash() {
        TaskLikeJob job = mapped(task().success(true).output(". acbd18db4cc2f85cedef654fccc4a4d8+3 0:3:foo\n").build(),
                parent().build());
        assertEquals("1f4b0bc7583c2a7f9102c395f4ffc5e3+45", job.output());
    }

    @Test
    void blockLocatorOutputLeavesOutputNull() {
        TaskLikeJob job = mapped(task().success(true).output("acbd18db4cc2f85cedef654fccc4a4d8+3+K@zzzzz\n").build(),
                parent().build());
        assertNull(job.output());
        assertEquals("acbd18db4cc2f85cedef654fccc4a4d8+3+K@zzzzz\n", job.taskOutput());
    }

    @Test
    void nullOutputStaysNull() {
        TaskLikeJob job = mapped(task().output(null).build(), parent().build());
        assertNull(job.output());
        assertNull(job.taskOutput());
    }

    // --- reverse ---

    @Test
    void reverseGivesSuccessFromState() {
        TaskLikeJob complete = mapped(task().success(true).build(), parent().build());
        assertEquals(true, TaskJobMapping.toTaskRow(1, complete).success());
        TaskLikeJob failed = mapped(task().success(false).build(), parent().build());
        assertEquals(false, TaskJobMapping.toTaskRow(1, failed).success());
        TaskLikeJob cancelled = mapped(task().build(), parent().state("Failed").build());
        assertNull(TaskJobMapping.toTaskRow(1, cancelled).success(), "a cancelled task-like job never finished as a task");
    }

    @Test
    void reverseGivesBackTheTaskRow() {
        TaskRow task = task().success(true).output(". acbd18db4cc2f85cedef654fccc4a4d8+3 0:3:foo\n").build();
        assertEquals(task, TaskJobMapping.toTaskRow(task.id(), mapped(task, parent().build())));
    }
}
