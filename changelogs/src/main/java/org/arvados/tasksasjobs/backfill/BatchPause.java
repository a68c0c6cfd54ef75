package org.arvados.tasksasjobs.backfill;

import java.time.Duration;

/** The wait between two batches ({@code migrate --pause}), taken outside any transaction so no lock is held meanwhile. */
final class BatchPause {

    private BatchPause() {
    }

    static void take(Duration pause) {
        if (pause.isZero()) {
            return;
        }
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationRefusedException("the backfill was interrupted between two batches; committed batches are kept,"
                    + " run again to resume");
        }
    }
}
