package org.arvados.tasksasjobs.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A crunch script's view of its job and tasks, over the gateway's {@code /arvados/v1/jobs}
 * (task-like jobs); the JVM counterpart of the Python SDK's {@code arvados.current_task()},
 * {@code current_job()}, {@code job_setup.one_task_per_input_file} and {@code task.set_output}.
 *
 * <p>Every request names the calling task (header {@code X-Arvados-Task-Uuid: TASK_UUID}). The
 * gateway marks a task impure ({@code nondeterministic = true}, never reused) when it reads its
 * parent job's record; everything else here is pure: the task's own record (whose
 * script_parameters already hold the parent's parameters merged with the task's), its siblings,
 * and collections read by content hash.
 *
 * <pre>{@code
 * Crunch crunch = Crunch.fromSystem();
 * LocalKeep keep = LocalKeep.fromEnvironment(System.getenv());
 * if (crunch.oneTaskPerInputFile(0, pdh -> readManifest(keep, pdh))) {
 *     return;                                  // task 0 fanned out and is Complete
 * }
 * Task task = crunch.currentTask();
 * CollectionPath input = CollectionPath.parse((String) task.parameter("input"));
 * String algorithm = (String) task.scriptParameters().getOrDefault("algorithm", "md5");
 * ...
 * crunch.setOutput(manifestText);
 * }</pre>
 *
 * <p>Failures surface as {@link ArvadosApiException} (an error status) and
 * {@link ArvadosUnreachableException} (no answer after the retries), both unchecked: a task that
 * cannot talk to the API can only exit non-zero, and crunch-job then retries or fails it.
 */
public final class Crunch {

    /** Children of a task are listed in this order: queue order, then uuid for ties. */
    static final List<String> TASK_ORDER = List.of("task_qsequence asc", "uuid asc");

    // The gateway's maximum page size: fewest round trips.
    static final int PAGE_SIZE = 1000;

    private static final Comparator<String> CODE_POINT_ORDER = Crunch::compareCodePoints;

    private final CrunchEnvironment environment;
    private final ArvadosClient client;

    /**
     * A view over an explicit environment and client (the client should name
     * {@code environment.taskUuid()} as its calling task, as {@link #fromEnvironment} arranges).
     */
    public Crunch(CrunchEnvironment environment, ArvadosClient client) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.client = Objects.requireNonNull(client, "client");
    }

    /** The view for this process: {@link CrunchEnvironment#fromSystem()}. */
    public static Crunch fromSystem() {
        return fromEnvironment(CrunchEnvironment.fromSystem());
    }

    /** The view for a given environment, with a client that names TASK_UUID as the calling task. */
    public static Crunch fromEnvironment(CrunchEnvironment environment) {
        return new Crunch(environment, new ArvadosClient(environment.api(), environment.taskUuid()));
    }

    /** The environment this view was built from. */
    public CrunchEnvironment environment() {
        return environment;
    }

    /** The transport, for requests this class does not wrap. */
    public ArvadosClient client() {
        return client;
    }

    /**
     * The calling task: {@code GET /arvados/v1/jobs/{TASK_UUID}}. Pure: reading one's own record,
     * including its merged script_parameters, does not mark the task impure.
     */
    public Task currentTask() {
        return Task.of(client.get(ApiResource.JOBS, environment.taskUuid()));
    }

    /**
     * The parent job: {@code GET /arvados/v1/jobs/{JOB_UUID}}.
     *
     * <p><b>Makes the calling task impure.</b> The gateway sees the parent's record go to the task
     * named in {@code X-Arvados-Task-Uuid} and sets that task-like job's {@code nondeterministic =
     * true}, so it is never reused: what a task reads from its parent at run time is not part of
     * the parameters reuse compares. To stay reusable, read job-wide settings from
     * {@link Task#scriptParameters()} of {@link #currentTask()} instead, which hold the same values.
     */
    public Job currentJob() {
        return Job.of(client.get(ApiResource.JOBS, environment.jobUuid()));
    }

    /**
     * Creates a task of this job, created by the calling task: {@code POST /arvados/v1/jobs} with
     * {@code find_or_create=true} and {@code {"parent_job_uuid": JOB_UUID, "task_parameters":
     * parameters, "task_sequence": sequence, "created_by_job_uuid": TASK_UUID}}. When the gateway
     * finds an equivalent task-like job to reuse, it returns that one ({@link TaskSubmission#reused()}).
     *
     * <p>A create is not retried once it may have reached the gateway (it would create twice).
     *
     * @param parameters the task's own parameters (plain JSON values), e.g. {@code {"input": ...}}
     * @param sequence   its sequence, usually the calling task's plus one
     */
    public TaskSubmission createChildTask(Map<String, ?> parameters, int sequence) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("parent_job_uuid", environment.jobUuid());
        attributes.put("task_parameters", parameters);
        attributes.put("task_sequence", sequence);
        attributes.put("created_by_job_uuid", environment.taskUuid());
        Created created = client.create(ApiResource.JOBS, attributes, true);
        return new TaskSubmission(Task.of(created.object()), created.reused());
    }

    /**
     * Every task of this job matching {@code filters} (plus {@code parent_job_uuid = JOB_UUID}),
     * in {@code task_qsequence} order (then uuid), reading page after page until
     * {@code items_available} is reached. Pure: the parent's record is not among them.
     *
     * @param filters further conditions on job attributes, e.g.
     *                {@code Filter.eq("task_sequence", 1)}; empty for all tasks
     */
    public List<Task> listTasks(List<Filter> filters) {
        List<Filter> all = new ArrayList<>();
        all.add(Filter.eq("parent_job_uuid", environment.jobUuid()));
        all.addAll(filters);
        List<Task> tasks = new ArrayList<>();
        long offset = 0;
        while (true) {
            ResourceList page = client.list(ApiResource.JOBS, all, TASK_ORDER, PAGE_SIZE, offset);
            page.items().forEach(item -> tasks.add(Task.of(item)));
            offset += page.items().size();
            // An empty page ends the walk even if items_available promised more (rows deleted meanwhile);
            // without items_available, only an empty page does.
            if (page.items().isEmpty() || offset >= page.itemsAvailable().orElse(Long.MAX_VALUE)) {
                return tasks;
            }
        }
    }

    /**
     * Records the calling task's output and ends it successfully: {@code PUT /arvados/v1/jobs/{TASK_UUID}}
     * {@code {"job": {"task_output": manifestText, "task_progress": 1.0, "state": "Complete"}}}, as
     * the Python SDK's {@code set_output} did ({@code output}, {@code progress 1.0},
     * {@code success true}).
     *
     * @param manifestText the output: manifest text, or a Keep locator of it
     * @return the task as it now is
     */
    public Task setOutput(String manifestText) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("task_output", manifestText);
        fields.put("task_progress", 1.0);
        fields.put("state", "Complete");
        return Task.of(client.update(ApiResource.JOBS, environment.taskUuid(), fields));
    }

    /**
     * Ends the calling task successfully without an output: {@code {"job": {"state": "Complete"}}},
     * what {@code one_task_per_input_file(and_end_task=True)} sent ({@code success: true} only).
     *
     * @return the task as it now is
     */
    public Task succeed() {
        return Task.of(client.update(ApiResource.JOBS, environment.taskUuid(), Map.of("state", "Complete")));
    }

    /**
     * The Python SDK's {@code job_setup.one_task_per_input_file(if_sequence, and_end_task=True)}.
     *
     * <p>Only when the calling task's {@code task_sequence} (as the API has it) is {@code ifSequence}:
     * reads the job's {@code script_parameters["input"]} (a collection's portable data hash) through
     * {@link #currentJob()}, so this task becomes impure as in the old SDK; fetches its manifest
     * with {@code manifestByLocator}; creates one task per file at sequence {@code ifSequence + 1}
     * with parameters {@code {"input": "<pdh>/<path>"}}; then {@link #succeed()}s. Files go in the
     * order of the SDK's normalized manifest: streams by name, then files by name (code point order).
     *
     * <p>The input path is the Python SDK's {@code input_as_path=True} form, which the crunch
     * {@code hash} script asked for: {@code os.path.join(pdh, stream, file)}, so
     * {@code <pdh>/./<file>} for a file in stream {@code .} and {@code <pdh>/./dir/<file>} for one
     * in {@code ./dir}. Writing the very text old runs wrote keeps a new run's task parameters, and
     * so its digest, equal to theirs: its tasks can reuse the migrated ones. {@link CollectionPath#parse}
     * reads this form and the one without {@code ./}.
     *
     * @param ifSequence        the sequence of the task that fans out (usually 0)
     * @param manifestByLocator the manifest text of a collection, given its portable data hash
     *                          (e.g. {@link LocalKeep#readManifest}, wrapped for its IOException)
     * @return true when it fanned out and ended the calling task (the script should exit now);
     *         false when the calling task is not at {@code ifSequence} (nothing was done)
     * @throws IllegalStateException when the job has no string {@code input} parameter
     */
    public boolean oneTaskPerInputFile(int ifSequence, Function<String, String> manifestByLocator) {
        if (!Long.valueOf(ifSequence).equals(currentTask().taskSequence())) {
            return false;
        }
        Job job = currentJob();
        Object input = job.scriptParameters().get("input");
        if (!(input instanceof String portableDataHash) || portableDataHash.isBlank()) {
            throw new IllegalStateException("job " + job.uuid()
                    + " has no script_parameters.input (a collection's portable data hash)");
        }
        Manifest manifest = Manifest.parse(manifestByLocator.apply(portableDataHash));
        List<ManifestFile> files = new ArrayList<>(manifest.files());
        files.sort(Comparator.comparing(ManifestFile::stream, CODE_POINT_ORDER)
                .thenComparing(ManifestFile::name, CODE_POINT_ORDER));
        for (ManifestFile file : files) {
            String path = portableDataHash + "/" + file.path();
            createChildTask(Map.of("input", path), ifSequence + 1);
        }
        succeed();
        return true;
    }

    // Python sorts str by code point; String.compareTo compares UTF-16 units, which differs above U+FFFF.
    private static int compareCodePoints(String left, String right) {
        int i = 0;
        int j = 0;
        while (i < left.length() && j < right.length()) {
            int a = left.codePointAt(i);
            int b = right.codePointAt(j);
            if (a != b) {
                return Integer.compare(a, b);
            }
            i += Character.charCount(a);
            j += Character.charCount(b);
        }
        return Integer.compare(left.length() - i, right.length() - j);
    }
}
