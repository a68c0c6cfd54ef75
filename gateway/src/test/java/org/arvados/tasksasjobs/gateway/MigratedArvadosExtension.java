package org.arvados.tasksasjobs.gateway;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.arvados.tasksasjobs.backfill.BackfillListener;
import org.arvados.tasksasjobs.backfill.BackfillSettings;
import org.arvados.tasksasjobs.changelog.BaselineSchema;
import org.arvados.tasksasjobs.changelog.MigrationChangelog;
import org.arvados.tasksasjobs.changelog.Phase;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.PostgresServer;

/**
 * A fresh database per test: the Arvados schema, migrated (expand and backfill, no tasks yet), with the
 * {@code users} and {@code api_client_authorizations} tables of docs/arvados.md §7 holding the people of
 * {@link ArvadosUsers}. Tests add the jobs and tasks they need.
 */
public class MigratedArvadosExtension extends FreshDatabaseExtension {

    @Override
    protected String template(PostgresServer server) {
        return server.template("gateway-migrated-arvados", db -> {
            try (Connection c = db.connect()) {
                BaselineSchema.apply(c);
                new MigrationChangelog(c).update(List.of(Phase.EXPAND, Phase.BACKFILL), BackfillSettings.defaults(),
                        BackfillListener.NONE);
                try (Statement s = c.createStatement()) {
                    s.execute(ArvadosUsers.SCHEMA);
                    s.execute(ArvadosUsers.ROWS);
                }
            }
        });
    }
}
