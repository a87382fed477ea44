package org.ttyaudit.bench.server;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load generator for {@code ttyaudit server}: streams synthetic sessions over the real HTTPS ingest API and
 * measures what the server accepts, how long commits take, and what the server costs (CPU, resident memory,
 * heap). docs/PERFORMANCE.md, "Server", has the commands and the results.
 *
 * <p>Modes: {@code live} (each session types one command a second, as a recorder seals a chunk a second while
 * someone works) and {@code bulk} (each session pours output as fast as the server takes it, in chunks of
 * {@code --chunk-kib} of text). The server is started as its own process from {@code --server-jar} on a new data
 * directory under {@code --work} (or in this JVM with {@code --embedded}); the first {@code --warmup} seconds are
 * not measured. At the end every session's commit point is read back and compared with what was acknowledged.
 *
 * <pre>
 * java -cp ttyaudit-bench/target/benchmarks.jar org.ttyaudit.bench.server.IngestLoad \
 *     [--mode live|bulk] [--sessions N] [--hosts N] [--duration S] [--warmup S] [--sample S] [--chunk-kib K]
 *     [--client-threads N] [--server-jar ttyaudit-cli/target/ttyaudit.jar] [--server-jvm OPTION]...
 *     [--work DIR] [--embedded] [--gc-probe] [--no-end]
 * </pre>
 */
public final class IngestLoad {

    /** What one run did; printed by {@link #main}, checked by tests. */
    record Result(long chunks, long terminalBytes, long payloadBytes, long wireBytes, double seconds, long failures,
                  Latencies.Summary requestLatency, Latencies.Summary chunkLatency, int sessions,
                  int sessionsVerified, int sessionsEnded) {
    }

    /** The options; see the class comment. */
    record Options(String mode, int sessions, int hosts, int durationSeconds, int warmupSeconds, int sampleSeconds,
                   int chunkKiB, int clientThreads, Path serverJar, List<String> serverJvm, Path work,
                   boolean embedded, boolean gcProbe, boolean end) {
        Options {
            if (!mode.equals("live") && !mode.equals("bulk")) {
                throw new IllegalArgumentException("--mode must be live or bulk, not " + mode);
            }
            if (sessions < 1 || hosts < 1 || durationSeconds < 1 || warmupSeconds < 0 || sampleSeconds < 1
                    || chunkKiB < 1 || chunkKiB > 8 * 1024 || clientThreads < 1) {
                throw new IllegalArgumentException("--sessions, --hosts, --duration, --sample, --chunk-kib (at most"
                        + " 8192) and --client-threads must be positive, --warmup not negative");
            }
        }

        static Options parse(String[] argv) {
            Args a = new Args(argv, Set.of("embedded", "gc-probe", "no-end"));
            String mode = a.text("mode", "live");
            int sessions = a.number("sessions", mode.equals("live") ? 1000 : 4);
            Options o = new Options(mode, sessions, a.number("hosts", Math.min(sessions, 50)),
                    a.number("duration", 60), a.number("warmup", 10), a.number("sample", 10),
                    a.number("chunk-kib", 1024), a.number("client-threads", 4),
                    Path.of(a.text("server-jar", "ttyaudit-cli/target/ttyaudit.jar")), a.all("server-jvm"),
                    Path.of(a.text("work", "target/loadgen/" + LocalDateTime.now().format(
                            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))),
                    a.flag("embedded"), a.flag("gc-probe"), !a.flag("no-end"));
            if (!a.unknown().isEmpty()) {
                throw new IllegalArgumentException("unknown option(s): " + String.join(" ", a.unknown()));
            }
            return o;
        }
    }

    private IngestLoad() {
    }

    public static void main(String[] argv) throws Exception {
        pooledCompletions();
        Options o;
        try {
            o = Options.parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("IngestLoad: " + e.getMessage());
            System.exit(2);
            return;
        }
        Result r = run(o, System.out);
        System.exit(r.failures() == 0 && r.sessionsVerified() == r.sessions() ? 0 : 1);
    }

    /**
     * {@code HttpClient.sendAsync} hands every response to {@code CompletableFuture}'s default executor, which on a
     * machine with fewer than three cores is not a pool but a new thread per task: 1000 responses a second were
     * 1000 thread starts and exits a second (0.12 of a core, measured with perf). A common pool of two threads
     * makes it a pool. It must be set before anything uses {@code ForkJoinPool}, hence first thing in main; an
     * explicit {@code -D} setting wins.
     */
    private static void pooledCompletions() {
        String key = "java.util.concurrent.ForkJoinPool.common.parallelism";
        if (System.getProperty(key) == null) {
            System.setProperty(key, "2");
        }
        if (ForkJoinPool.getCommonPoolParallelism() < 2) {
            System.err.println("IngestLoad: warning: CompletableFuture runs a thread per task here (common pool "
                    + "parallelism " + ForkJoinPool.getCommonPoolParallelism() + "); the client's CPU is inflated");
        }
    }

    static Result run(Options o, PrintStream out) throws Exception {
        Files.createDirectories(o.work());
        Path data = o.work().resolve("data");
        out.printf("load: mode=%s sessions=%d hosts=%d duration=%ds warmup=%ds work=%s%n", o.mode(), o.sessions(),
                o.hosts(), o.durationSeconds(), o.warmupSeconds(), o.work().toAbsolutePath());
        out.println("load: /proc/loadavg before: " + loadAverage());
        try (ServerHandle server = o.embedded() ? ServerHandle.embedded(data)
                : ServerHandle.child(o.serverJar(), data, o.serverJvm());
             ApiClient client = new ApiClient(server.url(), server.fingerprint(), o.clientThreads());
             HeapProbe heap = server.pid() > 0 ? HeapProbe.ofProcess(server.pid()) : HeapProbe.inThisJvm()) {
            out.println("load: server " + server.url() + (server.pid() > 0 ? " pid " + server.pid() : " (in this JVM)"));
            String admin = client.admin(server.oneTimePassword(), o.work().resolve("admin-password"));
            List<String> credentials = new ArrayList<>();
            for (int h = 0; h < o.hosts(); h++) {
                credentials.add(client.enrollHost(admin, "load-host-" + h));
            }
            LoadStats stats = new LoadStats();
            List<LoadSession> sessions = new ArrayList<>();
            for (int i = 0; i < o.sessions(); i++) {
                sessions.add(new LoadSession(client, stats, "user" + i % 200, "load-host-" + i % o.hosts(),
                        credentials.get(i % o.hosts()), i));
            }
            startAll(sessions);
            if (stats.failures.get() > 0) {
                throw new IOException("sessions could not start: " + stats.firstError());
            }
            return measure(o, server, heap, stats, sessions, client, credentials, out);
        } finally {
            out.println("load: /proc/loadavg after: " + loadAverage());
        }
    }

    private static Result measure(Options o, ServerHandle server, HeapProbe heap, LoadStats stats,
                                  List<LoadSession> sessions, ApiClient client, List<String> credentials,
                                  PrintStream out) throws Exception {
        SyntheticTerminal terminal = new SyntheticTerminal(16 * 1024 * 1024, 42);
        Producers producers = o.mode().equals("live")
                ? Producers.live(sessions, stats, (s, r) -> s.typeCommand(terminal, r))
                : Producers.bulk(sessions, terminal, o.chunkKiB() * 1024);
        long serverPid = server.pid();
        long clientPid = ProcessHandle.current().pid();
        try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(o.warmupSeconds()));
            if (o.gcProbe()) {
                out.println("load: live heap after a full GC at the start: " + heapLine(heap.afterFullGc()));
            }
            stats.reset();
            long t0 = System.nanoTime();
            ProcessStats server0 = serverPid > 0 ? ProcessStats.of(serverPid) : null;
            ProcessStats client0 = ProcessStats.of(clientPid);
            long lastBytes = 0;
            long lastT = t0;
            ProcessStats lastServer = server0;
            out.println("load:    t  MB/s(term) chunks/s  req p99 ms  server CPU%  RSS MiB  heap MiB  old MiB  threads");
            long end = t0 + TimeUnit.SECONDS.toNanos(o.durationSeconds());
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(TimeUnit.SECONDS.toMillis(o.sampleSeconds()),
                        Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
                long now = System.nanoTime();
                long bytes = stats.terminalBytes.get();
                double dt = (now - lastT) / 1e9;
                ProcessStats s = serverPid > 0 ? ProcessStats.of(serverPid) : null;
                HeapProbe.Sample h = heap.latest();
                out.printf("load: %4.0f %11.1f %8.0f %11.1f %12.0f %8d %9d %8d %8d%n", (now - t0) / 1e9,
                        (bytes - lastBytes) / dt / 1e6, stats.chunks.get() / ((now - t0) / 1e9),
                        stats.requestLatency.summary().p99(),
                        s == null ? 0 : (s.cpuMillis() - lastServer.cpuMillis()) / 10.0 / dt,
                        s == null ? 0 : s.rssKiB() / 1024, h.usedKiB() / 1024, h.oldUsedKiB() / 1024,
                        s == null ? 0 : s.threads());
                lastBytes = bytes;
                lastT = now;
                lastServer = s;
            }
            producers.stop();
            double seconds = (System.nanoTime() - t0) / 1e9;
            ProcessStats server1 = serverPid > 0 ? ProcessStats.of(serverPid) : null;
            ProcessStats client1 = ProcessStats.of(clientPid);
            Result partial = new Result(stats.chunks.get(), stats.terminalBytes.get(), stats.payloadBytes.get(),
                    stats.wireBytes.get(), seconds, stats.failures.get(), stats.requestLatency.summary(),
                    stats.chunkLatency.summary(), sessions.size(), 0, 0);
            out.printf("load: committed %d chunks in %d requests in %.1f s%n", partial.chunks(), stats.requests.get(),
                    seconds);
            out.printf("load: session data: %.1f MB/s terminal bytes, %.1f MB/s event payload (uncompressed),"
                            + " %.1f MB/s on the wire (compressed frames; ratio %.1f)%n",
                    partial.terminalBytes() / seconds / 1e6, partial.payloadBytes() / seconds / 1e6,
                    partial.wireBytes() / seconds / 1e6, (double) partial.payloadBytes() / Math.max(1,
                            partial.wireBytes()));
            out.println("load: request latency (send to commit point): " + partial.requestLatency());
            out.println("load: chunk latency (sealed to committed): " + partial.chunkLatency());
            if (o.mode().equals("live")) {
                Latencies.Summary late = stats.typistLateness.summary();
                out.printf("load: the generator's own lateness (a typist's tick after its schedule): %s; %s%n", late,
                        late.p99() < 50 ? "on schedule" : "BEHIND: the generator, not only the server, is late");
            }
            if (server0 != null) {
                out.printf("load: server CPU %.0f%% of one core, RSS %d MiB (peak %d), %d threads%n",
                        (server1.cpuMillis() - server0.cpuMillis()) / 10.0 / seconds, server1.rssKiB() / 1024,
                        server1.peakRssKiB() / 1024, server1.threads());
            }
            out.printf("load: client CPU %.0f%% of one core%s%n", (client1.cpuMillis() - client0.cpuMillis()) / 10.0
                    / seconds, server0 == null ? " (the server runs in this JVM: included)" : "");
            out.println("load: heap now: " + heapLine(heap.latest()));
            if (o.gcProbe()) {
                out.println("load: live heap after a full GC at the end: " + heapLine(heap.afterFullGc()));
            }
            out.println("load: failed requests: " + stats.failures.get() + (stats.failures.get() > 0
                    ? " " + stats.refusals() + ", first: " + stats.firstError() : ""));
            out.println("load: server's group commits (ttyaudit_ingest_commit_seconds, whole run): "
                    + commitHistogram(client.metrics()));
            reportOutputIndex(client, out);
            int ended = o.end() ? endAll(sessions) : 0;
            int verified = verify(sessions, client, credentials, o, out);
            out.printf("load: %d of %d sessions hold exactly the acknowledged chunks; %d ended%n", verified,
                    sessions.size(), ended);
            return new Result(partial.chunks(), partial.terminalBytes(), partial.payloadBytes(), partial.wireBytes(),
                    seconds, stats.failures.get(), partial.requestLatency(), partial.chunkLatency(), sessions.size(),
                    verified, ended);
        } finally {
            producers.stop();
        }
    }

    /** Sends every session's header, at most 64 at a time. */
    static void startAll(List<LoadSession> sessions) throws InterruptedException {
        Semaphore window = new Semaphore(64);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (LoadSession s : sessions) {
            window.acquire();
            all.add(s.start().whenComplete((v, e) -> window.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    }

    /** Ends every session that did not fail; returns how many the server confirmed ended. */
    private static int endAll(List<LoadSession> sessions) throws InterruptedException {
        Semaphore window = new Semaphore(64);
        AtomicInteger ended = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (LoadSession s : sessions) {
            if (s.failed()) {
                continue;
            }
            window.acquire();
            all.add(s.end().whenComplete((r, e) -> {
                window.release();
                if (e == null && r.statusCode() == 200) {
                    ended.incrementAndGet();
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        return ended.get();
    }

    /** Counts the sessions whose commit point on the server is the last chunk they sealed and had acknowledged. */
    private static int verify(List<LoadSession> sessions, ApiClient client, List<String> credentials, Options o,
                              PrintStream out) throws IOException, InterruptedException {
        int ok = 0;
        for (int i = 0; i < sessions.size(); i++) {
            LoadSession s = sessions.get(i);
            JsonNode point = client.commitPoint(credentials.get(i % o.hosts()), s.id());
            long seq = point.get("committed_seq").asLong();
            if (!s.failed() && seq == s.committedSeq() && seq == s.sealedChunks() - 1
                    && point.get("ended").asBoolean() == o.end()) {
                ok++;
            } else if (ok == i) {
                out.println("load: session " + s.id() + " differs: server " + point + ", sealed "
                        + s.sealedChunks() + ", acknowledged up to " + s.committedSeq());
            }
        }
        return ok;
    }

    /**
     * How far the server's background output indexer is behind ingest when the load stops, then how long it takes
     * to catch up (polling /metrics once a second, at most 10 minutes) and how fast it indexed meanwhile.
     */
    private static void reportOutputIndex(ApiClient client, PrintStream out) throws IOException,
            InterruptedException {
        String m = client.metrics();
        double ingested = metric(m, "ttyaudit_ingest_chunks_total");
        double indexed = metric(m, "ttyaudit_output_index_chunks_total");
        double chars = metric(m, "ttyaudit_output_index_chars_total");
        if (Double.isNaN(indexed)) {
            out.println("load: output index: the server has no background indexer metrics");
            return;
        }
        out.printf("load: output index when the load stopped: %.0f of %.0f chunks indexed (%.0f behind), %.0f MB"
                + " of text so far%n", indexed, ingested, ingested - indexed, chars / 1e6);
        long t0 = System.nanoTime();
        double chars0 = chars;
        double indexed0 = indexed;
        long deadline = t0 + TimeUnit.MINUTES.toNanos(10);
        while (indexed < ingested && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            m = client.metrics();
            indexed = metric(m, "ttyaudit_output_index_chunks_total");
            chars = metric(m, "ttyaudit_output_index_chars_total");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.printf("load: output index caught up %s in %.1f s: %.0f chunks, %.1f MB of text, %.1f MB/s%n",
                indexed >= ingested ? "" : "NOT (gave up)", seconds, indexed - indexed0, (chars - chars0) / 1e6,
                seconds > 0 ? (chars - chars0) / 1e6 / seconds : 0);
    }

    /** The value of an unlabelled metric, NaN when absent. */
    static double metric(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ")) {
                String[] f = line.split(" ");
                return Double.parseDouble(f[f.length - 1]);
            }
        }
        return Double.NaN;
    }

    /**
     * The server's histogram of group commit times as "groups, mean, share of groups at or under each bound", and
     * the mean group size (accepted requests per group).
     */
    static String commitHistogram(String metrics) {
        double count = 0;
        double sum = 0;
        double accepted = 0;
        java.util.Map<String, Double> buckets = new java.util.LinkedHashMap<>();
        for (String line : metrics.split("\n")) {
            String[] f = line.split(" ");
            if (line.startsWith("ttyaudit_ingest_commit_seconds_count")) {
                count = Double.parseDouble(f[f.length - 1]);
            } else if (line.startsWith("ttyaudit_ingest_commit_seconds_sum")) {
                sum = Double.parseDouble(f[f.length - 1]);
            } else if (line.startsWith("ttyaudit_ingest_commit_seconds_bucket")) {
                String le = line.replaceAll(".*le=\"([^\"]*)\".*", "$1");
                buckets.put(le, Double.parseDouble(f[f.length - 1]));
            } else if (line.startsWith("ttyaudit_ingest_requests_total{outcome=\"accepted\"}")) {
                accepted = Double.parseDouble(f[f.length - 1]);
            }
        }
        if (count == 0) {
            return "none";
        }
        StringBuilder b = new StringBuilder(String.format("%.0f groups, mean %.1f ms, %.1f requests per group;",
                count, sum / count * 1000, accepted / count));
        double total = count;
        buckets.forEach((le, n) -> b.append(String.format(" <=%ss %.1f%%", le, n / total * 100)));
        return b.toString();
    }

    private static String heapLine(HeapProbe.Sample h) {
        return String.format("used %d MiB (old %d MiB) of %d MiB committed; %d young GCs, %d full GCs",
                h.usedKiB() / 1024, h.oldUsedKiB() / 1024, h.committedKiB() / 1024, h.youngGcs(), h.fullGcs());
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** What makes the sessions produce chunks; {@link #stop} waits until everything sealed is answered. */
    static final class Producers {
        private final List<LoadSession> sessions;
        private final ScheduledExecutorService scheduler;
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stopped;

        private Producers(List<LoadSession> sessions, ScheduledExecutorService scheduler) {
            this.sessions = sessions;
            this.scheduler = scheduler;
        }

        /**
         * Each session types a command a second ({@code type}), at a random phase (recorders do not tick together).
         */
        static Producers live(List<LoadSession> sessions, LoadStats stats,
                              java.util.function.BiConsumer<LoadSession, Random> type) {
            AtomicInteger n = new AtomicInteger();
            ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
                Thread t = new Thread(r, "typist-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            Producers p = new Producers(sessions, scheduler);
            for (LoadSession s : sessions) {
                long phase = ThreadLocalRandom.current().nextLong(1_000_000);
                AtomicInteger ticks = new AtomicInteger();
                long t0 = System.nanoTime();   // the scheduler counts the phase from about now
                scheduler.scheduleAtFixedRate(() -> {
                    if (!p.stopped) {
                        // how late this tick is against its schedule: the generator's own delay, not the server's
                        long due = t0 + TimeUnit.MICROSECONDS.toNanos(phase + ticks.getAndIncrement() * 1_000_000L);
                        stats.typistLateness.add(Math.max(0, System.nanoTime() - due));
                        type.accept(s, ThreadLocalRandom.current());
                    }
                }, phase, 1_000_000, TimeUnit.MICROSECONDS);
            }
            return p;
        }

        /** Each session has a thread that keeps one chunk waiting behind the one in flight. */
        static Producers bulk(List<LoadSession> sessions, SyntheticTerminal terminal, int chunkBytes) {
            Producers p = new Producers(sessions, null);
            for (LoadSession s : sessions) {
                Thread t = new Thread(() -> {
                    Random r = new Random(s.id().getLeastSignificantBits());
                    while (!p.stopped && !s.failed()) {
                        if (s.backlog() < 2) {
                            s.bulkOutput(terminal, r, chunkBytes, 16 * 1024);
                        } else {
                            try {
                                Thread.sleep(1);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                }, "bulk-" + s.id());
                t.setDaemon(true);
                t.start();
                p.threads.add(t);
            }
            return p;
        }

        void stop() throws InterruptedException {
            if (stopped) {
                return;
            }
            stopped = true;
            if (scheduler != null) {
                scheduler.shutdown();
                scheduler.awaitTermination(10, TimeUnit.SECONDS);
            }
            for (Thread t : threads) {
                t.join(10_000);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (sessions.stream().anyMatch(s -> !s.failed() && s.backlog() > 0) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
    }
}
