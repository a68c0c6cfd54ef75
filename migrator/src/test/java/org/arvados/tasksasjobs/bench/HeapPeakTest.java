package org.arvados.tasksasjobs.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.ref.Reference;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;

/** The live figure is what survives a collection: held data counts, garbage does not. */
class HeapPeakTest {

    private static final int MIB = 1024 * 1024;

    @Test
    void liveHeapCountsWhatSurvivesACollectionNotGarbage() throws Exception {
        try (HeapPeak heap = new HeapPeak()) {
            collectAndWaitForNotification(); // earlier tests' old garbage would count after every young collection
            heap.reset();
            for (int i = 0; i < 128; i++) {
                // Dead at once. Arrays this large are never scalar-replaced by the JIT, so each one is allocated.
                byte[] garbage = new byte[MIB];
                garbage[i] = 1;
            }
            collectAndWaitForNotification();
            long afterGarbage = heap.liveBytes();

            heap.reset();
            byte[][] held = new byte[128][];
            for (int i = 0; i < held.length; i++) {
                held[i] = new byte[MIB];
            }
            collectAndWaitForNotification();
            long afterHeld = heap.liveBytes();
            Reference.reachabilityFence(held); // held through the collection above, whatever the JIT sees

            assertTrue(afterHeld >= 128L * MIB, "128 MiB held through the collection, live " + afterHeld);
            assertTrue(heap.bytes() >= 128L * MIB, "the peak saw them too: " + heap.bytes());
            assertTrue(afterGarbage < afterHeld - 64L * MIB,
                    "128 MiB of garbage is not live: " + afterGarbage + " against " + afterHeld + " held");
        }
    }

    /**
     * A full collection (System.gc), then the moment its notification has reached every listener registered before
     * ours (one emitter tells its listeners in turn), HeapPeak's among them.
     */
    private static void collectAndWaitForNotification() throws InterruptedException {
        CountDownLatch told = new CountDownLatch(1);
        NotificationListener listener = (n, handback) -> {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())
                    && "System.gc()".equals(GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcCause())) {
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
