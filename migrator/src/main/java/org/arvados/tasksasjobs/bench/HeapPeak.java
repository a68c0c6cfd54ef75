package org.arvados.tasksasjobs.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JVM's peak heap use over a stretch of work, sampled every few milliseconds by a daemon thread. The sum of the
 * heap pools' own peaks would overstate it (each pool peaks at another moment, beyond -Xmx even); a sample is what
 * was in use at one moment, so the peak stays below -Xmx and shows whether the heap grows with the rows.
 */
public final class HeapPeak implements AutoCloseable {

    private static final long INTERVAL_MILLIS = 5;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peak = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;

    public HeapPeak() {
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

    /** Forgets earlier peaks: what {@link #bytes()} reports from now on is this stretch's. */
    public void reset() {
        peak.set(memory.getHeapMemoryUsage().getUsed());
    }

    /** The most heap seen in use since {@link #reset()}. */
    public long bytes() {
        return Math.max(peak.get(), memory.getHeapMemoryUsage().getUsed());
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
