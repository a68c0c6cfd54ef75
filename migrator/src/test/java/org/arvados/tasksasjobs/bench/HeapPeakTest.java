package org.arvados.tasksasjobs.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import org.junit.jupiter.api.Test;

/** The live figure is what survives a collection: held data counts, garbage does not. */
class HeapPeakTest {

    private static final int MIB = 1024 * 1024;

    @Test
    void liveHeapCountsWhatSurvivesACollection() throws Exception {
        try (HeapPeak heap = new HeapPeak()) {
            heap.reset();
            byte[][] held = new byte[48][];
            for (int i = 0; i < held.length; i++) {
                held[i] = new byte[MIB];
            }
            collectAndWaitForNotification();

            long live = heap.liveBytes();
            assertTrue(live >= 48L * MIB, "48 MiB held through the collection, live " + live);
            assertTrue(heap.bytes() >= 48L * MIB, "the peak saw them too: " + heap.bytes());
            assertTrue(held[47].length == MIB);

            held = null;
            heap.reset();
            collectAndWaitForNotification();
            assertTrue(heap.liveBytes() < live - 32L * MIB, "released, so no longer live: " + heap.liveBytes());
        }
    }

    /**
     * A collection, then the moment its notification has reached every listener registered before ours (one
     * emitter tells its listeners in turn), HeapPeak's among them.
     */
    private static void collectAndWaitForNotification() throws InterruptedException {
        CountDownLatch told = new CountDownLatch(1);
        NotificationListener listener = (n, handback) -> {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                told.countDown();
            }
        };
        List<NotificationEmitter> emitters = new ArrayList<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
        try {
            System.gc();
            assertTrue(told.await(30, TimeUnit.SECONDS), "no collection was reported");
        } finally {
            for (NotificationEmitter emitter : emitters) {
                try {
                    emitter.removeNotificationListener(listener);
                } catch (javax.management.ListenerNotFoundException e) {
                    // not there: nothing to undo
                }
            }
        }
    }
}
