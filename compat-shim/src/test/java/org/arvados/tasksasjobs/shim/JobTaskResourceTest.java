package org.arvados.tasksasjobs.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.arvados.tasksasjobs.mapping.JobState;
import org.arvados.tasksasjobs.mapping.StubYamlDecoder;
import org.arvados.tasksasjobs.mapping.YamlDecoder;
import org.junit.jupiter.api.Test;

class JobTaskResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final JobTaskResource resource = new JobTaskResource(new StubYamlDecoder());

    @Test
    void rendersEveryTaskAttributeUnderItsOldName() throws Exception {
        ObjectNode task = resource.render(7, Tasks.job(JobState.RUNNING, "{\"input\":\"1f4b+45\",\"n\":1}"));

        JsonNode expected = JSON.readTree("""
                {"kind":"arvados#jobTask","uuid":"zzzzz-ot0gb-runningjobtask1","owner_uuid":"zzzzz-tpzed-xurymjxw79nv3jz",
                 "modified_by_client_uuid":"zzzzz-ozdt8-brczlopd8u8d0jr","modified_by_user_uuid":"zzzzz-tpzed-d9tiejq69daie8f",
                 "modified_at":"2016-03-01T12:05:00.123456000Z","job_uuid":"zzzzz-8i9sb-pshmckwoma9plh7","sequence":1,
                 "parameters":{"input":"1f4b+45","n":1},"output":null,"progress":0.5,"success":null,
                 "created_at":"2016-03-01T12:00:00.123456000Z","updated_at":"2016-03-01T12:05:00.123456000Z",
                 "created_by_job_task_uuid":"zzzzz-ot0gb-firsttaskofjob1","qsequence":42,
                 "started_at":"2016-03-01T12:00:30.123456000Z","finished_at":null}
                """);
        assertEquals(expected, JSON.readTree(task.toString()));
        assertEquals(List.of("kind", "uuid", "owner_uuid", "modified_by_client_uuid", "modified_by_user_uuid", "modified_at",
                "job_uuid", "sequence", "parameters", "output", "progress", "success", "created_at", "updated_at",
                "created_by_job_task_uuid", "qsequence", "started_at", "finished_at"), fieldNames(task));
    }

    @Test
    void showsTheTasksOwnParametersNotTheMergedScriptParameters() {
        ObjectNode task = resource.render(7, Tasks.job(JobState.QUEUED, "{\"input\":\"x\"}"));
        assertEquals("{\"input\":\"x\"}", task.get("parameters").toString());
    }

    @Test
    void nullParametersRenderAsAnEmptyObject() {
        assertEquals("{}", resource.render(7, Tasks.job(JobState.QUEUED, null)).get("parameters").toString());
    }

    @Test
    void yamlEraParametersRenderAsTheHashTheyHold() {
        ObjectNode task = resource.render(7, Tasks.job(JobState.COMPLETE, "---\n'an_integer': '1'\n'input': 'é日本'\n"));
        assertEquals("{\"an_integer\":\"1\",\"input\":\"é日本\"}", task.get("parameters").toString());
    }

    @Test
    void yamlWithoutADecoderIsRefusedNamingTheJob() {
        JobTaskResource withoutYaml = new JobTaskResource(YamlDecoder.UNSUPPORTED);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> withoutYaml.render(7, Tasks.job(JobState.COMPLETE, "--- {}\n")));
        assertTrue(e.getMessage().startsWith("task_parameters of job zzzzz-8i9sb-runningjobtask1: "), e.getMessage());
    }

    @Test
    void successFollowsTheStateAsTheReverseMappingReadsIt() {
        Map<JobState, JsonNode> expected = Map.of(
                JobState.COMPLETE, JSON.getNodeFactory().booleanNode(true),
                JobState.FAILED, JSON.getNodeFactory().booleanNode(false),
                JobState.QUEUED, JSON.getNodeFactory().nullNode(),
                JobState.RUNNING, JSON.getNodeFactory().nullNode(),
                JobState.CANCELLED, JSON.getNodeFactory().nullNode());
        for (JobState state : JobState.values()) {
            assertEquals(expected.get(state), resource.render(7, Tasks.job(state, "{}")).get("success"), state.text());
        }
    }

    @Test
    void timestampsAreUtcWithNineFractionDigits() {
        assertEquals("2016-03-01T12:00:00.123456000Z", ApiTimestamps.write(Tasks.CREATED));
        assertEquals("2016-03-01T12:00:00.000000000Z", ApiTimestamps.write(Tasks.CREATED.withNano(0)));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
