package org.arvados.tasksasjobs.reuse;

import org.arvados.tasksasjobs.changelog.BaselineSchema;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.PostgresServer;

/** A fresh database per test holding the pre-migration Arvados schema (every index of the real one) and no rows. */
public class ReuseDatabaseExtension extends FreshDatabaseExtension {

    @Override
    protected String template(PostgresServer server) {
        return server.template("arvados-baseline", db -> {
            try (var c = db.connect()) {
                BaselineSchema.apply(c);
            }
        });
    }
}
