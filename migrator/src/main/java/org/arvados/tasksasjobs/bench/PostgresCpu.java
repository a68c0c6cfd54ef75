package org.arvados.tasksasjobs.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time used by a local PostgreSQL cluster, from Linux's /proc: the postmaster's own and its reaped children's
 * (utime, stime, cutime, cstime), plus the live children's. Backends that ended are counted through the
 * postmaster's cutime and cstime, so a reading taken after a run covers every connection the run made.
 */
public final class PostgresCpu {

    private final Path dataDirectory;
    private final double ticksPerSecond;

    /** @param dataDirectory the cluster's data directory (postmaster.pid names the postmaster) */
    public PostgresCpu(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
        this.ticksPerSecond = 100.0; // USER_HZ: 100 on every Linux architecture this runs on
    }

    /** Whether this machine can be read (Linux with /proc, a running cluster). */
    public boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat")) && Files.isReadable(dataDirectory.resolve("postmaster.pid"));
    }

    /** Seconds of CPU the cluster has used since it started; NaN when it cannot be read. */
    public double seconds() {
        if (!available()) {
            return Double.NaN;
        }
        try {
            long postmaster = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).strip());
            long[] own = times(postmaster);
            long ticks = own[0] + own[1] + own[2] + own[3];
            try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
                for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                    long[] child = times(Long.parseLong(process.getFileName().toString()));
                    if (child != null && child[4] == postmaster) {
                        ticks += child[0] + child[1];
                    }
                }
            }
            return ticks / ticksPerSecond;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** utime, stime, cutime, cstime, ppid of a process; null when it is gone. */
    private static long[] times(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces and parentheses: the fields after it start after the last ')'.
            List<String> fields = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
            // fields.get(0) is field 3 (state): ppid is field 4, utime..cstime fields 14..17.
            return new long[] {Long.parseLong(fields.get(11)), Long.parseLong(fields.get(12)), Long.parseLong(fields.get(13)),
                Long.parseLong(fields.get(14)), Long.parseLong(fields.get(1))};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
