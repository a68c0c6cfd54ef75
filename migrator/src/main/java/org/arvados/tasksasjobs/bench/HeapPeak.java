package org.arvados.tasksasjobs.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The JVM's heap over a stretch of work, two ways:
 * <ul>
 *   <li>peak: the most in use at any moment, sampled every few milliseconds by a daemon thread. It includes garbage
 *       not yet collected, so it follows the collector's appetite (it rises towards -Xmx) more than the work's;</li>
 *   <li>live: the most still in use right after a collection, from the collector's own notifications. This is what
 *       the work holds on to, and what must not grow with the row count.</li>
 * </ul>
 * The sum of the heap pools' own peaks would overstate either (each pool peaks at another moment, beyond -Xmx even).
 */
public final class HeapPeak implements AutoCloseable {

    private static final long INTERVAL_MILLIS = 5;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toUnmodifiableSet());
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong live = new AtomicLong();
    private final List<NotificationEmitter> collectors = new ArrayList<>();
    private final NotificationListener afterCollection = this::afterCollection;
    private final Thread sampler;
    private volatile boolean running = true;

    public HeapPeak() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(afterCollection, null, null);
                collectors.add(emitter);
            }
        }
        sampler = new Thread(this::sample, "tasks-as-jobs-heap-peak");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample() {
        while (running) {
            peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void afterCollection(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long used = 0;
        for (var pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        live.accumulateAndGet(used, Math::max);
    }

    /** Forgets earlier figures: what {@link #bytes()} and {@link #liveBytes()} report from now on is this stretch's. */
    public void reset() {
        peak.set(memory.getHeapMemoryUsage().getUsed());
        live.set(0);
    }

    /** The most heap seen in use since {@link #reset()}. */
    public long bytes() {
        return Math.max(peak.get(), memory.getHeapMemoryUsage().getUsed());
    }

    /** The most heap still in use after a collection since {@link #reset()}; 0 if none ran. */
    public long liveBytes() {
        return live.get();
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        for (NotificationEmitter emitter : collectors) {
            try {
                emitter.removeNotificationListener(afterCollection);
            } catch (ListenerNotFoundException e) {
                // already gone: nothing to undo
            }
        }
    }
}
