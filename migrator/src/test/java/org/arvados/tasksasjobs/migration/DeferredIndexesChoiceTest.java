package org.arvados.tasksasjobs.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which indexes a deferred run drops: the trigram index only where one process building it is the faster way. */
class DeferredIndexesChoiceTest {

    @Test
    void oneWorkerDefersBoth() {
        assertEquals(new DeferredIndexes.Choice(DeferredIndexes.DEFERRABLE, List.of()), DeferredIndexes.choose(15, 1));
    }

    @Test
    void severalWorkersBeforePostgres18KeepTheTrigramIndex() {
        assertEquals(new DeferredIndexes.Choice(List.of("jobs_search_index"), List.of("jobs_trgm_text_search_idx")),
                DeferredIndexes.choose(17, 2));
    }

    @Test
    void aServerThatBuildsGinInParallelDefersBothWhateverTheWorkers() {
        assertEquals(new DeferredIndexes.Choice(DeferredIndexes.DEFERRABLE, List.of()), DeferredIndexes.choose(18, 4));
    }
}
