package org.arvados.tasksasjobs.mapping;

import java.time.LocalDateTime;

/** Rows as a crunch v1 database holds them, changed one column at a time by the tests. */
final class Fixtures {

    static final LocalDateTime CREATED = LocalDateTime.of(2016, 3, 4, 5, 6, 7, 123_456_000);
    static final String PARENT_UUID = "zzzzz-8i9sb-pshmckwoma9plh7";
    static final String TASK_UUID = "zzzzz-ot0gb-runningjobtask1";

    private Fixtures() {}

    static TaskBuilder task() {
        return new TaskBuilder();
    }

    static ParentBuilder parent() {
        return new ParentBuilder();
    }

    static final class TaskBuilder {
        long id = 17;
        String uuid = TASK_UUID;
        String ownerUuid = "zzzzz-tpzed-xurymjxw79nv3jz";
        String modifiedByClientUuid = "zzzzz-ozdt8-brczlopd8u8d0jr";
        String modifiedByUserUuid = "zzzzz-tpzed-d9tiejq69daie8f";
        LocalDateTime modifiedAt = CREATED.plusMinutes(5);
        String jobUuid = PARENT_UUID;
        Integer sequence = 1;
        String parameters = "{\"input\":\"1f4b0bc7583c2a7f9102c395f4ffc5e3+45\"}";
        String output = null;
        Double progress = 0.5;
        Boolean success = null;
        LocalDateTime createdAt = CREATED;
        LocalDateTime updatedAt = CREATED.plusMinutes(5);
        String createdByJobTaskUuid = "zzzzz-ot0gb-firsttaskofjob1";
        Long qsequence = 42L;
        LocalDateTime startedAt = CREATED.plusSeconds(30);
        LocalDateTime finishedAt = null;

        TaskBuilder uuid(String value) { uuid = value; return this; }
        TaskBuilder jobUuid(String value) { jobUuid = value; return this; }
        TaskBuilder parameters(String value) { parameters = value; return this; }
        TaskBuilder output(String value) { output = value; return this; }
        TaskBuilder success(Boolean value) { success = value; return this; }
        TaskBuilder startedAt(LocalDateTime value) { startedAt = value; return this; }

        TaskRow build() {
            return new TaskRow(id, uuid, ownerUuid, modifiedByClientUuid, modifiedByUserUuid, modifiedAt, jobUuid,
                    sequence, parameters, output, progress, success, createdAt, updatedAt, createdByJobTaskUuid, qsequence,
                    startedAt, finishedAt);
        }
    }

    static final class ParentBuilder {
        String uuid = PARENT_UUID;
        String state = "Running";
        Boolean running = true;
        Boolean success = null;
        LocalDateTime cancelledAt = null;
        String script = "hash";
        String scriptVersion = "4fe459abe02d9b365932b8f5dc419439ab4e2577";
        String suppliedScriptVersion = "main";
        String repository = "active/foo";
        String dockerImageLocator = "fa3c1a9cb6783f85f2ecda037e07b8c3+167";
        String arvadosSdkVersion = "commit-of-sdk-000000000000000000000000";
        String runtimeConstraints = "{\"docker_image\":\"arvados/jobs\",\"min_nodes\":1}";
        Boolean nondeterministic = null;
        String log = "ea10d51bcf88862dbcc36eb292017dfd+45";
        String scriptParameters = "{\"input\":\"fa7aeb5140e2848d39b416daeef4ffc5+45\",\"algorithm\":\"md5\"}";

        ParentBuilder state(String value) { state = value; return this; }
        ParentBuilder running(Boolean value) { running = value; return this; }
        ParentBuilder success(Boolean value) { success = value; return this; }
        ParentBuilder cancelledAt(LocalDateTime value) { cancelledAt = value; return this; }
        ParentBuilder script(String value) { script = value; return this; }
        ParentBuilder scriptParameters(String value) { scriptParameters = value; return this; }

        ParentJob build() {
            return new ParentJob(uuid, state, running, success, cancelledAt, script, scriptVersion, suppliedScriptVersion,
                    repository, dockerImageLocator, arvadosSdkVersion, runtimeConstraints, nondeterministic, log,
                    scriptParameters);
        }
    }
}
