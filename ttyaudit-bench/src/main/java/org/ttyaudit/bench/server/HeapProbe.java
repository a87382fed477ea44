package org.ttyaudit.bench.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Java heap of the server: used bytes now, the old generation, GC counts, and the live set after a full GC.
 * For a server in another process it follows {@code jstat -gc PID 1000} (one helper JVM for the whole run, which
 * reads the server's perf-data memory and does not disturb it) and forces a GC with {@code jcmd PID GC.run}; for
 * a server in this JVM it asks the management beans.
 *
 * <p>Thread-safe.
 */
public interface HeapProbe extends AutoCloseable {

    /** The last sample; all zero before the first one. */
    Sample latest();

    /** Runs a full GC in the server and returns the heap used just after it (the live set). */
    Sample afterFullGc() throws IOException, InterruptedException;

    @Override
    void close();

    /** Sizes in KiB; {@code oldUsedKiB} is 0 when the collector does not say. */
    record Sample(long usedKiB, long committedKiB, long oldUsedKiB, long youngGcs, long fullGcs) {
        static final Sample NONE = new Sample(0, 0, 0, 0, 0);
    }

    static HeapProbe inThisJvm() {
        return new HeapProbe() {
            @Override
            public Sample latest() {
                var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                long old = ManagementFactory.getMemoryPoolMXBeans().stream()
                        .filter(p -> p.getName().contains("Old Gen") || p.getName().contains("Tenured"))
                        .mapToLong(p -> p.getUsage().getUsed()).sum();
                long young = 0;
                long full = 0;
                for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                    if (gc.getName().contains("Young") || gc.getName().contains("Copy")
                            || gc.getName().contains("Scavenge")) {
                        young += gc.getCollectionCount();
                    } else {
                        full += gc.getCollectionCount();
                    }
                }
                return new Sample(heap.getUsed() / 1024, heap.getCommitted() / 1024, old / 1024, young, full);
            }

            @Override
            public Sample afterFullGc() {
                System.gc();
                return latest();
            }

            @Override
            public void close() {
            }
        };
    }

    /** Follows the JVM with process id {@code pid}; needs the JDK's {@code jstat} and {@code jcmd} on the PATH. */
    static HeapProbe ofProcess(long pid) throws IOException {
        return new JstatProbe(pid);
    }

    /** {@code jstat -gc} in a child process, one line a second, parsed by column name. */
    final class JstatProbe implements HeapProbe {
        private final long pid;
        private final Process jstat;
        private volatile Sample latest = Sample.NONE;

        JstatProbe(long pid) throws IOException {
            this.pid = pid;
            this.jstat = new ProcessBuilder("jstat", "-gc", Long.toString(pid), "1000")
                    .redirectErrorStream(true).start();
            Thread reader = new Thread(this::follow, "jstat-" + pid);
            reader.setDaemon(true);
            reader.start();
        }

        private void follow() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(jstat.getInputStream(),
                    StandardCharsets.US_ASCII))) {
                List<String> columns = null;
                String line;
                while ((line = r.readLine()) != null) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 0 && f[0].equals("S0C")) {
                        columns = Arrays.asList(f);
                    } else if (columns != null && f.length == columns.size()) {
                        latest = parse(columns, f);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the server stopped; the last sample stays
            }
        }

        private static Sample parse(List<String> columns, String[] f) {
            double used = 0;
            double committed = 0;
            for (String c : List.of("S0U", "S1U", "EU", "OU")) {
                used += value(columns, f, c);
            }
            for (String c : List.of("S0C", "S1C", "EC", "OC")) {
                committed += value(columns, f, c);
            }
            return new Sample((long) used, (long) committed, (long) value(columns, f, "OU"),
                    (long) value(columns, f, "YGC"), (long) value(columns, f, "FGC"));
        }

        private static double value(List<String> columns, String[] f, String column) {
            int i = columns.indexOf(column);
            return i < 0 || f[i].equals("-") ? 0 : Double.parseDouble(f[i]);
        }

        @Override
        public Sample latest() {
            return latest;
        }

        @Override
        public Sample afterFullGc() throws IOException, InterruptedException {
            Process gc = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true).start();
            gc.getInputStream().readAllBytes();
            if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
                throw new IOException("jcmd " + pid + " GC.run failed");
            }
            // jstat samples once a second: wait for a sample taken after the collection
            long fullGcs = latest.fullGcs();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (latest.fullGcs() == fullGcs && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            return latest;
        }

        @Override
        public void close() {
            jstat.destroy();
        }
    }
}
