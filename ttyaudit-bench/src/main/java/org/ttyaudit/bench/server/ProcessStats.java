package org.ttyaudit.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory, threads and CPU time of a process, read from Linux's {@code /proc/<pid>/status} and
 * {@code /proc/<pid>/stat}. Cheap (two small file reads), so it can be sampled every second.
 */
public record ProcessStats(long rssKiB, long peakRssKiB, int threads, long cpuMillis) {

    /** Clock ticks per second of {@code /proc/<pid>/stat}'s utime and stime: 100 on every Linux we run on. */
    private static final long TICKS_PER_SECOND = 100;

    /** @throws IOException when the process is gone or this is not Linux */
    public static ProcessStats of(long pid) throws IOException {
        long rss = 0;
        long hwm = 0;
        int threads = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = kib(line);
            } else if (line.startsWith("VmHWM:")) {
                hwm = kib(line);
            } else if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.substring("Threads:".length()).trim());
            }
        }
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // the command name (field 2) may hold spaces and parentheses: count fields after the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);   // utime, stime (fields 14 and 15)
        return new ProcessStats(rss, hwm, threads, ticks * 1000 / TICKS_PER_SECOND);
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
