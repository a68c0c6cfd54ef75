package org.arvados.tasksasjobs.verification;

import java.sql.Connection;
import java.util.List;
import org.arvados.tasksasjobs.backfill.BackfillListener;
import org.arvados.tasksasjobs.backfill.BackfillSettings;
import org.arvados.tasksasjobs.changelog.MigrationChangelog;
import org.arvados.tasksasjobs.changelog.Phase;

/**
 * A small crunch v1 database written by hand, with the cases that make a migration hard: YAML-era parameters on
 * parent and task, NULL parameters, non-ASCII text, a parent from before the state column, a task created by another
 * task, a creator that never existed, a uuid collision, an orphan, a NULL uuid and unparseable parameters.
 */
final class SmallArvados {

    static final String YAML_PARENT = "zzzzz-8i9sb-yamlparent00001";
    static final String JSON_PARENT = "zzzzz-8i9sb-jsonparent00001";
    static final String CANCELLED_PARENT = "zzzzz-8i9sb-cancelledjob001";
    static final String STATELESS_PARENT = "zzzzz-8i9sb-statelessjob001";
    static final String LONELY_JOB = "zzzzz-8i9sb-lonelyjob000001";
    /** A top-level job that holds the uuid {@link #COLLIDING_TASK} would map to. */
    static final String COLLIDING_JOB = "zzzzz-8i9sb-collision000001";

    static final String MANIFEST_TASK = "zzzzz-ot0gb-manifesttask001";
    static final String YAML_TASK = "zzzzz-ot0gb-yamltask0000001";
    static final String RUNNING_TASK = "zzzzz-ot0gb-runningtask0001";
    static final String CREATED_TASK = "zzzzz-ot0gb-createdtask0001";
    static final String CANCELLED_TASK = "zzzzz-ot0gb-cancelledtsk001";
    static final String QUEUED_TASK = "zzzzz-ot0gb-queuedtask00001";
    static final String LOST_CREATOR_TASK = "zzzzz-ot0gb-lostcreator0001";
    static final String COLLIDING_TASK = "zzzzz-ot0gb-collision000001";
    static final String ORPHAN_TASK = "zzzzz-ot0gb-orphantask00001";
    static final String UNPARSEABLE_TASK = "zzzzz-ot0gb-unparseable0001";

    static final List<String> CARRIED = List.of(MANIFEST_TASK, YAML_TASK, RUNNING_TASK, CREATED_TASK, CANCELLED_TASK,
            QUEUED_TASK, LOST_CREATOR_TASK, COLLIDING_TASK);

    /** job_tasks.id of the task with a NULL uuid. */
    long nullUuidTaskId;

    private SmallArvados() {
    }

    static SmallArvados write(Connection c) throws Exception {
        ArvadosRows rows = new ArvadosRows(c);
        SmallArvados db = new SmallArvados();
        rows.job(YAML_PARENT, "Complete", "---\ninput: fa7aeb5140e2848d39b416daeef4ffc5+45\nan_integer: '1'\n"
                + "reference: \"\u00e9t\u00e9 \u2603\"\n");
        rows.job(JSON_PARENT, "Running", "{\"pattern\":\"\u00fc+\",\"input\":\"fa7aeb5140e2848d39b416daeef4ffc5+45\",\"n\":1.5}");
        rows.job(CANCELLED_PARENT, "Cancelled", null);
        rows.jobWithoutState(STATELESS_PARENT, false, null, "{}");
        rows.job(LONELY_JOB, "Failed", "{\"input\":\"x\"}");
        rows.job(COLLIDING_JOB, "Complete", "{}");

        rows.task(MANIFEST_TASK, YAML_PARENT, "{\"input\":\"1f4b0bc7583c2a7f9102c395f4ffc5e3+45\"}", true,
                ". 37b51d194a7513e45b56f6524f2d51f2+3 0:3:r\u00e9sum\u00e9.txt\n", null, true);
        rows.task(YAML_TASK, YAML_PARENT, "---\ninput: 37b51d194a7513e45b56f6524f2d51f2+3\nlabel: \"gr\u00fcn\"\n", false,
                "acbd18db4cc2f85cedef654fccc4a4d8+3\n", null, true);
        rows.task(RUNNING_TASK, JSON_PARENT, null, null, null, null, true);
        rows.task(CREATED_TASK, JSON_PARENT, "{\"pattern\":\"\u00e4\",\"input\":\"y\"}", null, null, RUNNING_TASK, false);
        rows.task(CANCELLED_TASK, CANCELLED_PARENT, "--- {}\n", null, null, null, true);
        rows.task(QUEUED_TASK, STATELESS_PARENT, "{}", null, null, null, false);
        rows.task(LOST_CREATOR_TASK, YAML_PARENT, "{\"input\":\"z\"}", true, ". d41d8cd98f00b204e9800998ecf8427e+0 0:0:empty\n",
                "zzzzz-ot0gb-neverexisted001", true);
        rows.task(COLLIDING_TASK, JSON_PARENT, "{}", true, "", null, true);
        rows.task(ORPHAN_TASK, "zzzzz-8i9sb-nosuchjob000000", "{}", true, null, null, true);
        rows.task(UNPARSEABLE_TASK, YAML_PARENT, "--- [unclosed", true, null, null, true);
        db.nullUuidTaskId = rows.task(null, YAML_PARENT, "{}", true, null, null, true);
        return db;
    }

    static void migrate(Connection c) throws Exception {
        new MigrationChangelog(c).update(List.of(Phase.EXPAND, Phase.BACKFILL), BackfillSettings.defaults(), BackfillListener.NONE);
    }
}
