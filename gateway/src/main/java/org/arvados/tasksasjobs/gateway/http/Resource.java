package org.arvados.tasksasjobs.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import org.arvados.tasksasjobs.gateway.tasks.Caller;
import org.arvados.tasksasjobs.gateway.tasks.Created;
import org.arvados.tasksasjobs.gateway.tasks.GatewayException;
import org.arvados.tasksasjobs.gateway.tasks.JobTasksService;
import org.arvados.tasksasjobs.gateway.tasks.JobsService;
import org.arvados.tasksasjobs.gateway.tasks.ListQuery;

/**
 * One collection under {@code /arvados/v1/}: the five calls the router dispatches to. Lets one handler serve
 * both job_tasks and jobs, which differ only in the service behind them and in whether a create can reuse.
 */
interface Resource {

    ObjectNode get(Caller caller, String uuid) throws GatewayException, SQLException;

    ObjectNode list(Caller caller, ListQuery query) throws GatewayException, SQLException;

    Created create(Caller caller, JsonNode body) throws GatewayException, SQLException;

    ObjectNode update(Caller caller, String uuid, JsonNode body) throws GatewayException, SQLException;

    ObjectNode delete(Caller caller, String uuid) throws GatewayException, SQLException;

    /**
     * Whether a create answers with {@code X-Arvados-Reused}: jobs creates can return an existing job; a
     * job_tasks create always creates (crunch-job collects the outputs of the tasks a task made).
     */
    boolean reportsReuse();

    /** The model behind the collection: its request key, attributes and their types. */
    ResourceSchema schema();

    static Resource of(JobTasksService tasks) {
        return new Resource() {
            @Override
            public ObjectNode get(Caller caller, String uuid) throws GatewayException, SQLException {
                return tasks.get(caller, uuid);
            }

            @Override
            public ObjectNode list(Caller caller, ListQuery query) throws GatewayException, SQLException {
                return tasks.list(caller, query);
            }

            @Override
            public Created create(Caller caller, JsonNode body) throws GatewayException, SQLException {
                return new Created(tasks.create(caller, body), false);
            }

            @Override
            public ObjectNode update(Caller caller, String uuid, JsonNode body) throws GatewayException, SQLException {
                return tasks.update(caller, uuid, body);
            }

            @Override
            public ObjectNode delete(Caller caller, String uuid) throws GatewayException, SQLException {
                return tasks.delete(caller, uuid);
            }

            @Override
            public boolean reportsReuse() {
                return false;
            }

            @Override
            public ResourceSchema schema() {
                return ResourceSchema.JOB_TASK;
            }
        };
    }

    static Resource of(JobsService jobs) {
        return new Resource() {
            @Override
            public ObjectNode get(Caller caller, String uuid) throws GatewayException, SQLException {
                return jobs.get(caller, uuid);
            }

            @Override
            public ObjectNode list(Caller caller, ListQuery query) throws GatewayException, SQLException {
                return jobs.list(caller, query);
            }

            @Override
            public Created create(Caller caller, JsonNode body) throws GatewayException, SQLException {
                return jobs.create(caller, body);
            }

            @Override
            public ObjectNode update(Caller caller, String uuid, JsonNode body) throws GatewayException, SQLException {
                return jobs.update(caller, uuid, body);
            }

            @Override
            public ObjectNode delete(Caller caller, String uuid) throws GatewayException, SQLException {
                return jobs.delete(caller, uuid);
            }

            @Override
            public boolean reportsReuse() {
                return true;
            }

            @Override
            public ResourceSchema schema() {
                return ResourceSchema.JOB;
            }
        };
    }
}
