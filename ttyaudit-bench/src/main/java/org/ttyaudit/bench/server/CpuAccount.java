package org.ttyaudit.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CPU time by component (server instances, PostgreSQL, the load generator...) from Linux's {@code /proc}, and the
 * whole machine's busy time from {@code /proc/stat}, so that a benchmark can say which component used the cores.
 *
 * <p>A component is a set of process trees: a process's own user and system time plus that of its live children
 * and of the children it has reaped ({@code cutime}, {@code cstime}). That is what PostgreSQL needs: the backends
 * and background workers are the postmaster's children, and a backend that exits leaves its time in the
 * postmaster's {@code cutime}.
 */
final class CpuAccount {
    private static final double TICKS_PER_SECOND = 100;

    private final Map<String, Supplier<List<Long>>> trees = new LinkedHashMap<>();
    private final Map<String, Long> singles = new LinkedHashMap<>();

    /**
     * Adds a component made of the process trees whose roots {@code pids} returns (asked at each sample: processes
     * come and go).
     */
    CpuAccount addTrees(String name, Supplier<List<Long>> pids) {
        trees.put(name, pids);
        return this;
    }

    /** Adds one process without its children (this JVM: its children are the servers under test). */
    CpuAccount addProcess(String name, long pid) {
        singles.put(name, pid);
        return this;
    }

    /** CPU seconds so far of each component, and the machine's busy and idle seconds (all cores). */
    Sample sample() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        trees.forEach((name, pids) -> {
            double s = 0;
            for (long pid : pids.get()) {
                s += treeSeconds(pid);
            }
            seconds.put(name, s);
        });
        singles.forEach((name, pid) -> seconds.put(name, ticks(pid)[0] / TICKS_PER_SECOND));
        double[] machine = machineSeconds();
        return new Sample(System.nanoTime(), seconds, machine[0], machine[1]);
    }

    /** CPU seconds by component at one moment; {@link #minus} gives a window's. */
    record Sample(long nanos, Map<String, Double> seconds, double machineBusy, double machineIdle) {
        Sample minus(Sample earlier) {
            Map<String, Double> d = new LinkedHashMap<>();
            seconds.forEach((k, v) -> d.put(k, v - earlier.seconds.getOrDefault(k, 0.0)));
            return new Sample(nanos - earlier.nanos, d, machineBusy - earlier.machineBusy,
                    machineIdle - earlier.machineIdle);
        }

        double wallSeconds() {
            return nanos / 1e9;
        }
    }

    /**
     * CPU seconds so far of a JVM's threads, grouped by name with numbers dropped ({@code qtp123-45} and
     * {@code qtp123-46} are both {@code qtp-}), so that a window's difference says which work took the time.
     */
    static Map<String, Double> byThread(long pid) {
        Map<String, Double> out = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND, Double::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        return out;
    }

    /**
     * CPU seconds so far of PostgreSQL's processes by role, from their process titles: "backend" for client
     * connections, else the worker's title ({@code checkpointer}, {@code walwriter}, {@code autovacuum worker}...).
     * A backend's time counts once it is read; backends that ended are in the postmaster's share.
     */
    static Map<String, Double> postgresByRole(long postmaster) {
        Map<String, Double> out = new java.util.TreeMap<>();
        long[] own = ticks(postmaster);
        out.put("postmaster and ended processes", (own[0] + own[1]) / TICKS_PER_SECOND);
        for (ProcessHandle child : ProcessHandle.of(postmaster).map(p -> p.children().toList()).orElse(List.of())) {
            String title;
            try {
                title = Files.readString(Path.of("/proc", Long.toString(child.pid()), "cmdline")).replace('\0', ' ')
                        .trim();
            } catch (IOException e) {
                continue;
            }
            String role = title.startsWith("postgres: ") ? title.substring(10) : title;
            // a client backend's title is "USER DATABASE HOST(PORT) STATE"
            role = role.matches("\\S+ \\S+ [0-9.]+\\(\\d+\\).*") ? "backends" : role.replaceAll("[0-9]+", "").trim();
            long[] t = ticks(child.pid());
            out.merge(role, (t[0] + t[1]) / TICKS_PER_SECOND, Double::sum);
        }
        return out;
    }

    /** {@code later} minus {@code earlier}, key by key, without the entries under {@code min} seconds. */
    static Map<String, Double> minus(Map<String, Double> later, Map<String, Double> earlier, double min) {
        Map<String, Double> d = new LinkedHashMap<>();
        later.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - earlier.getOrDefault(e.getKey(), 0.0)))
                .filter(e -> e.getValue() >= min)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> d.put(e.getKey(), e.getValue()));
        return d;
    }

    private static double treeSeconds(long pid) {
        long[] own = ticks(pid);
        double s = (own[0] + own[1]) / TICKS_PER_SECOND;
        for (ProcessHandle child : ProcessHandle.of(pid).map(p -> p.children().toList()).orElse(List.of())) {
            s += treeSeconds(child.pid());
        }
        return s;
    }

    /** {utime + stime, cutime + cstime} in ticks; zeros when the process is gone. */
    private static long[] ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may hold spaces and parentheses: count fields after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]),
                    Long.parseLong(f[13]) + Long.parseLong(f[14])};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** {busy, idle} seconds of all cores since boot: idle and iowait are idle, the rest (user, system...) busy. */
    private static double[] machineSeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            long idle = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {      // user nice system idle iowait irq softirq steal
                long v = Long.parseLong(f[i]);
                if (i == 4 || i == 5) {
                    idle += v;
                } else {
                    busy += v;
                }
            }
            return new double[] {busy / TICKS_PER_SECOND, idle / TICKS_PER_SECOND};
        } catch (IOException | RuntimeException e) {
            return new double[] {0, 0};
        }
    }
}
