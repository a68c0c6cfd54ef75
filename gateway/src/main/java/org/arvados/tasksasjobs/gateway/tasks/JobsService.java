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
import org.arvados.tasksasjobs.reuse.CandidateScope;
import org.arvados.tasksasjobs.reuse.Probe;
import org.arvados.tasksasjobs.reuse.ReuseEngine;
import org.arvados.tasksasjobs.reuse.ReuseOutcome;
import org.arvados.tasksasjobs.reuse.TieBreak;
import org.arvados.tasksasjobs.shim.InvalidTaskRequestException;
import org.arvados.tasksasjobs.shim.JobFilter;
import org.arvados.tasksasjobs.shim.JobOrder;
import org.arvados.tasksasjobs.shim.ListParameters;
import org.arvados.tasksasjobs.shim.Selection;

/**
 * The {@code /arvados/v1/jobs} endpoint over every job, task-like jobs included: reads of any job the caller may
 * read, writes of task-like jobs only (top-level jobs stay the Arvados API server's), task submissions with
 * find_or_create decided by the verifier's {@link ReuseEngine}, and the purity mark: a task that reads its parent
 * job's record becomes nondeterministic in the same transaction. Each call is one transaction. Thread-safe.
 */
public final class JobsService {

    private static final List<JobOrder> DEFAULT_ORDER = List.of(new JobOrder("modified_at", true), new JobOrder("uuid", false));

    private final Transactions transactions;
    private final JobRenderer renderer;
    private final TaskWrites writes;
    private final Access access;
    private final YamlDecoder yaml;
    private final InheritPolicy policy;

    public JobsService(DataSource dataSource, YamlDecoder yaml, InheritPolicy policy, Clock clock) {
        this(dataSource, yaml, policy, clock, new SecureRandom());
    }

    JobsService(DataSource dataSource, YamlDecoder yaml, InheritPolicy policy, Clock clock, RandomGenerator random) {
        this.transactions = new Transactions(dataSource);
        this.yaml = Objects.requireNonNull(yaml, "yaml");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.renderer = new JobRenderer(yaml);
        this.access = Access.of(dataSource);
        this.writes = new TaskWrites(new SerializedHashReader(yaml), policy, clock, random, access);
    }

    public ObjectNode get(Caller caller, String uuid) throws GatewayException, SQLException {
        return transactions.run(c -> {
            JobStore store = new JobStore(c);
            JobRecord calling = access.callingTask(store, caller);
            JobRecord job = uuid == null ? null : store.find(uuid);
            if (job == null) {
                throw Access.notFound("job", uuid);
            }
            access.requireReadable(store, caller, job, "job", uuid);
            markIfParentRead(store, calling, List.of(job));
            return renderer.render(job);
        });
    }

    public ObjectNode list(Caller caller, ListQuery query) throws GatewayException, SQLException {
        List<JobFilter> filters = new ArrayList<>();
        List<JobOrder> order;
        Selection selection;
        ListParameters page;
        try {
            filters.addAll(JobFilters.filters(query.filters()));
            filters.addAll(JobFilters.where(query.where()));
            order = JobFilters.order(query.order());
            selection = JobFilters.select(query.select());
            page = ListParameters.parse(query.limit(), query.offset(), query.count());
        } catch (InvalidTaskRequestException e) {
            throw GatewayException.unprocessable(e.getMessage());
        }
        List<JobOrder> sortKeys = order.isEmpty() ? DEFAULT_ORDER : order;
        return transactions.run(c -> {
            JobStore store = new JobStore(c);
            JobRecord calling = access.callingTask(store, caller);
            SqlWhere where = access.jobsReadable(caller, SqlWhere.NONE).and(filters);
            List<JobRecord> rows = store.page(where, sortKeys, page.limit(), page.offset());
            markIfParentRead(store, calling, rows);
            List<ObjectNode> items = new ArrayList<>(rows.size());
            for (JobRecord row : rows) {
                items.add(selection.apply(renderer.render(row)));
            }
            Long available = page.exactCount() ? store.count(where) : null;
            return ListPage.render(JobRenderer.LIST_KIND, items, available, page);
        });
    }

    /**
     * Creates a task-like job, or with find_or_create first asks the reuse engine whether an existing one does the
     * same work; a reused job is returned unchanged.
     */
    public Created create(Caller caller, JsonNode body) throws GatewayException, SQLException {
        JobBody parsed = JobBody.parseCreate(body);
        return transactions.run(c -> {
            JobStore store = new JobStore(c);
            access.callingTask(store, caller);
            JobBody request = parsed.withCreator(creatorTaskUuid(store, parsed.createdByJobUuid()));
            if (request.findOrCreate()) {
                JobRecord reused = reusable(store, caller, request);
                if (reused != null) {
                    return new Created(renderer.render(reused), true);
                }
            }
            StoredTask created = writes.create(store, caller, request.request());
            return new Created(renderer.render(store.byId(created.id())), false);
        });
    }

    public ObjectNode update(Caller caller, String uuid, JsonNode body) throws GatewayException, SQLException {
        JobBody request = JobBody.parseUpdate(body);
        return transactions.run(c -> {
            JobStore store = new JobStore(c);
            access.callingTask(store, caller);
            JobRecord job = writableTaskLikeJob(store, caller, uuid, "updated");
            StoredTask updated = writes.update(store, caller, job, request.request(), request.markNondeterministic());
            return renderer.render(store.byId(updated.id()));
        });
    }

    public ObjectNode delete(Caller caller, String uuid) throws GatewayException, SQLException {
        return transactions.run(c -> {
            JobStore store = new JobStore(c);
            access.callingTask(store, caller);
            JobRecord job = writableTaskLikeJob(store, caller, uuid, "deleted");
            ObjectNode before = renderer.render(job);
            store.delete(job.id());
            return before;
        });
    }

    private JobRecord writableTaskLikeJob(JobStore store, Caller caller, String uuid, String verb)
            throws GatewayException, SQLException {
        JobRecord job = uuid == null ? null : store.find(uuid);
        if (job == null) {
            throw Access.notFound("job", uuid);
        }
        int level = access.requireReadableLevel(store, caller, job, "job", uuid); // before saying what kind it is
        if (!job.isTaskLike()) {
            throw GatewayException.forbidden("top-level jobs are " + verb + " by the Arvados API server");
        }
        Access.requireWrite(level, job, "job", uuid);
        return job;
    }

    /**
     * The existing job a task submission would reuse, or null. Runs only under a parent the caller may use (the
     * create path refuses the others with their proper status); a non-admin sees only candidates under parents it
     * owns, so reuse never hands one user another's work.
     */
    private JobRecord reusable(JobStore store, Caller caller, JobBody request) throws GatewayException, SQLException {
        String parentUuid = request.request().jobUuid();
        JobStore.ParentRow parent = store.parent(parentUuid);
        if (parent == null || parent.taskLike()) {
            return null;
        }
        access.requireParentWritable(store, caller, parent);
        Probe probe = new Probe("find_or_create", null, null, null, request.request().parameters(), null, null,
                caller.userUuid(), parentUuid);
        ReuseEngine engine = new ReuseEngine(store.connection(), yaml, policy, TieBreak.ASC,
                caller.admin() ? CandidateScope.EVERY_JOB : CandidateScope.PARENTS_OWNED_BY_SUBMITTER);
        ReuseOutcome outcome = engine.evaluate(List.of(probe)).get(0);
        return outcome.reused() == null ? null : store.find(outcome.reused());
    }

    /** created_by_job_uuid (a task-like job's 8i9sb uuid or its task's ot0gb uuid) as the creating task's uuid. */
    private static String creatorTaskUuid(JobStore store, String createdByJobUuid) throws GatewayException, SQLException {
        if (createdByJobUuid == null) {
            return null;
        }
        JobRecord creator = store.find(createdByJobUuid);
        if (creator == null || !creator.isTaskLike() || creator.legacyTaskUuid() == null) {
            throw GatewayException.unprocessable("job.created_by_job_uuid " + createdByJobUuid + " names no task-like job");
        }
        return creator.legacyTaskUuid();
    }

    /** The purity rule: the calling task read its parent job's record, so its result may depend on more than its inputs. */
    private static void markIfParentRead(JobStore store, JobRecord calling, List<JobRecord> read) throws SQLException {
        if (calling == null) {
            return;
        }
        for (JobRecord job : read) {
            if (job.uuid() != null && job.uuid().equals(calling.parentJobUuid())) {
                store.markNondeterministic(calling.uuid());
                return;
            }
        }
    }
}
