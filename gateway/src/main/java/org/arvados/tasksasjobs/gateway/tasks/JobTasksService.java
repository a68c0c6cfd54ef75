package org.arvados.tasksasjobs.gateway.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import javax.sql.DataSource;
import org.arvados.tasksasjobs.mapping.InheritPolicy;
import org.arvados.tasksasjobs.mapping.SerializedHashReader;
import org.arvados.tasksasjobs.mapping.YamlDecoder;
import org.arvados.tasksasjobs.shim.InvalidTaskRequestException;
import org.arvados.tasksasjobs.shim.JobFilter;
import org.arvados.tasksasjobs.shim.JobOrder;
import org.arvados.tasksasjobs.shim.JobTaskRequest;
import org.arvados.tasksasjobs.shim.JobTaskResource;
import org.arvados.tasksasjobs.shim.ListParameters;
import org.arvados.tasksasjobs.shim.Selection;
import org.arvados.tasksasjobs.shim.TaskFilters;

/**
 * The legacy {@code /arvados/v1/job_tasks} endpoint over task-like jobs (docs/arvados.md §7): what each call does, as
 * the old API server did it, translated by the shim. Each call is one transaction. Thread-safe.
 */
public final class JobTasksService {

    /** Default list order: newest change first, then the task uuid, as the API server's default. */
    private static final List<JobOrder> DEFAULT_ORDER = List.of(
            new JobOrder("modified_at", true), new JobOrder("legacy_task_uuid", false));

    private final Transactions transactions;
    private final JobTaskResource resource;
    private final TaskWrites writes;
    private final Access access;

    public JobTasksService(DataSource dataSource, YamlDecoder yaml, InheritPolicy policy, Clock clock) {
        this(dataSource, yaml, policy, clock, new SecureRandom());
    }

    /** With the generator of new task uuids given (tests make collisions happen). */
    JobTasksService(DataSource dataSource, YamlDecoder yaml, InheritPolicy policy, Clock clock, RandomGenerator random) {
        this.transactions = new Transactions(dataSource);
        this.resource = new JobTaskResource(yaml);
        this.access = Access.of(dataSource);
        this.writes = new TaskWrites(new SerializedHashReader(Objects.requireNonNull(yaml, "yaml")), policy, clock, random,
                access);
    }

    public ObjectNode get(Caller caller, String uuid) throws GatewayException, SQLException {
        return transactions.run(c -> {
            JobStore store = new JobStore(c);
            access.callingTask(store, caller);
            JobRecord task = readableTask(store, caller, uuid);
            return resource.render(task.id(), task.taskLikeJob());
        });
    }

    public ObjectNode list(Caller caller, ListQuery query) throws GatewayException, SQLException {
        List<JobFilter> filters = new ArrayList<>();
        List<JobOrder> order;
        Selection selection;
        ListParameters page;
        try {
            filters.addAll(TaskFilters.filters(query.filters()));
            filters.addAll(TaskFilters.where(query.where()));
            order = TaskFilters.order(query.order());
            TaskFilters.select(query.select()); // checks every name is a task attribute
            selection = Selection.parse(query.select());
            page = ListParameters.parse(query.limit(), query.offset(), query.count());
        } catch (InvalidTaskRequestException e) {
            throw GatewayException.unprocessable(e.getMessage());
        }
        List<JobOrder> sortKeys = order.isEmpty() ? DEFAULT_ORDER : order;
        return transactions.run(c -> {
            JobStore store = new JobStore(c);
            access.callingTask(store, caller);
            SqlWhere where = access.taskLikeReadable(caller, SqlWhere.NONE).and(filters);
            List<ObjectNode> items = new ArrayList<>();
            for (JobRecord row : store.page(where, sortKeys, page.limit(), page.offset())) {
                items.add(selection.apply(resource.render(row.id(), row.taskLikeJob())));
            }
            Long available = page.exactCount() ? store.count(where) : null;
            return ListPage.render(JobTaskResource.LIST_KIND, items, available, page);
        });
    }

    public ObjectNode create(Caller caller, JsonNode body) throws GatewayException, SQLException {
        JobTaskRequest request = parse(body);
        return transactions.run(c -> {
            JobStore store = new JobStore(c);
            access.callingTask(store, caller);
            StoredTask created = writes.create(store, caller, request);
            return resource.render(created.id(), created.job());
        });
    }

    public ObjectNode update(Caller caller, String uuid, JsonNode body) throws GatewayException, SQLException {
        JobTaskRequest request = parse(body);
        return transactions.run(c -> {
            JobStore store = new JobStore(c);
            access.callingTask(store, caller);
            JobRecord task = existingTask(store, uuid);
            access.requireWritable(store, caller, task, "job_task", uuid);
            StoredTask updated = writes.update(store, caller, task, request, false);
            return resource.render(updated.id(), updated.job());
        });
    }

    public ObjectNode delete(Caller caller, String uuid) throws GatewayException, SQLException {
        return transactions.run(c -> {
            JobStore store = new JobStore(c);
            access.callingTask(store, caller);
            JobRecord task = existingTask(store, uuid);
            access.requireWritable(store, caller, task, "job_task", uuid);
            ObjectNode before = resource.render(task.id(), task.taskLikeJob());
            store.delete(task.id());
            return before;
        });
    }

    /** The task-like job a task uuid ({@code ot0gb}, or the job's own {@code 8i9sb}) names, if the caller may use it. */
    private JobRecord readableTask(JobStore store, Caller caller, String uuid) throws GatewayException, SQLException {
        JobRecord task = existingTask(store, uuid);
        access.requireReadable(store, caller, task, "job_task", uuid);
        return task;
    }

    /** The task-like job a task uuid names, whoever may use it (the caller's access is checked next). */
    private static JobRecord existingTask(JobStore store, String uuid) throws GatewayException, SQLException {
        JobRecord task = uuid == null ? null : store.find(uuid);
        if (task == null || !task.isTaskLike()) {
            throw Access.notFound("job_task", uuid);
        }
        return task;
    }

    private static JobTaskRequest parse(JsonNode body) throws GatewayException {
        try {
            return JobTaskRequest.parse(body);
        } catch (InvalidTaskRequestException e) {
            throw GatewayException.unprocessable(e.getMessage());
        }
    }
}
