package org.arvados.tasksasjobs.verification;

import org.arvados.tasksasjobs.changelog.BaselineSchema;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.PostgresServer;

/** A fresh database per test holding the pre-migration Arvados schema and no rows. */
public class ArvadosDatabaseExtension extends FreshDatabaseExtension {

    @Override
    protected String template(PostgresServer server) {
        return server.template("arvados-baseline", db -> {
            try (var c = db.connect()) {
                BaselineSchema.apply(c);
            }
        });
    }
}
