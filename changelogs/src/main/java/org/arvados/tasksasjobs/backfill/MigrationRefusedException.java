package org.arvados.tasksasjobs.backfill;

/**
 * The migration stopped for a reason a DBA can act on (another migrator holds the lock, a row breaks --strict,
 * a stale lock).
 * The message is one line: the cause and what to do. Work committed before it stays and a re-run resumes.
 */
public final class MigrationRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MigrationRefusedException(String message) {
        super(message);
    }
}
