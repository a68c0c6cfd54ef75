package org.arvados.tasksasjobs.backfill;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens more connections to the database being migrated, set up like the first one (user, lock_timeout,
 * application_name), for the workers of {@code migrate --workers N}. A stock Liquibase has none to give: its
 * backfill runs one worker on Liquibase's own connection.
 */
@FunctionalInterface
public interface ConnectionSource {

    /** Liquibase scope key under which a caller hands a source to {@link BackfillChange}. */
    String SCOPE_KEY = "tasksAsJobs.connectionSource";

    Connection open() throws SQLException;
}
