package org.ttyaudit.bench.server;

import org.ttyaudit.server.store.SessionFilter;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Ingest throughput and search latency of {@code ttyaudit server} on PostgreSQL with one and with two server
 * instances, in one run on one machine (docs/PERFORMANCE.md, "PostgreSQL: one and two server instances").
 *
 * <p>It starts a private PostgreSQL cluster ({@link BenchPostgres}), then {@code ttyaudit server} processes from
 * the packaged jar that share one data directory: the same TLS certificate, ledger key and directory blob store
 * ({@code blobs/}), with a {@code database:} section pointing at the cluster. Each phase of {@code --phases} (a
 * list of instance counts, e.g. {@code 1,2}) streams {@code --sessions} sessions spread over the instances
 * through the real ingest API ({@link LoadSession}: real chunk encoder, one request in flight per session), each
 * chunk holding {@code --per-chunk} commands, as fast as the servers take them, for {@code --phase-seconds}
 * after {@code --warmup}. It reports commands, chunks and MB per second, request latency, and CPU seconds per
 * component ({@link CpuAccount}: each server JVM, PostgreSQL's processes, this generator, the machine).
 *
 * <p>Then, if the database holds fewer than {@code --commands} commands, it loads the rest with {@code COPY}
 * ({@link PgCopyFill}: a direct path, no HTTP, no blobs, no ledger), runs {@code VACUUM ANALYZE}, and
 * measures search over HTTPS ({@code GET /api/v1/search}) on each instance with {@code --queries} queries of each
 * kind. Last it reports sizes on disk (tables and indexes, blobs, WAL).
 *
 * <pre>
 * java -cp ttyaudit-bench/target/benchmarks.jar org.ttyaudit.bench.server.PgScaleBench \
 *     [--commands 10000000] [--phases 1,2] [--phase-seconds 300] [--warmup 30] [--sessions 200] [--per-chunk 10]
 *     [--hosts 50] [--queries 20] [--producers 2] [--client-threads 4] [--work target/pgbench/TIME]
 *     [--server-jar ttyaudit-cli/target/ttyaudit.jar] [--server-jvm OPTION]... [--sample 30]
 * </pre>
 */
public final class PgScaleBench {
    private static final Pattern HEX_ID = Pattern.compile("\\b[0-9a-f]{10}\\b");
    private static final long FILL_LEDGER_BASE = 1_000_000_000_000L;

    /** The options; see the class comment. */
    record Options(long commands, List<Integer> phases, int phaseSeconds, int warmupSeconds, int sessions,
                   int perChunk, int hosts, int queries, int producers, int clientThreads, Path work, Path serverJar,
                   List<String> serverJvm, int sampleSeconds, boolean keepDatabase) {
        static Options parse(String[] argv) {
            Args a = new Args(argv, Set.of("keep-database"));
            Options o = new Options(Long.parseLong(a.text("commands", "10000000")),
                    a.text("phases", "1,2").equals("none") ? List.of()
                            : Arrays.stream(a.text("phases", "1,2").split(",")).map(String::trim)
                            .map(Integer::parseInt).toList(),
                    a.number("phase-seconds", 300), a.number("warmup", 30), a.number("sessions", 200),
                    a.number("per-chunk", 10), a.number("hosts", 50), a.number("queries", 20),
                    a.number("producers", 2), a.number("client-threads", 4),
                    Path.of(a.text("work", "target/pgbench/" + LocalDateTime.now().format(
                            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))),
                    Path.of(a.text("server-jar", "ttyaudit-cli/target/ttyaudit.jar")), a.all("server-jvm"),
                    a.number("sample", 30), a.flag("keep-database"));
            if (!a.unknown().isEmpty()) {
                throw new IllegalArgumentException("unknown option(s): " + String.join(" ", a.unknown()));
            }
            if (o.phases.stream().anyMatch(n -> n < 1 || n > 2)) {
                throw new IllegalArgumentException("--phases: a list of 1s and 2s, e.g. 1,2, or none");
            }
            return o;
        }
    }

    /** One measured ingest phase. */
    record Phase(int instances, long chunks, long commands, double seconds, long terminalBytes, long wireBytes,
                 Latencies.Summary latency, CpuAccount.Sample cpu, long failures) {
        double commandsPerSecond() {
            return commands / seconds;
        }
    }

    /** What a run measured; printed by {@link #main}, checked by the smoke test. */
    record Result(List<Phase> phases, long commandsInDatabase, Map<Integer, Latencies.Summary> search) {
    }

    private PgScaleBench() {
    }

    public static void main(String[] argv) throws Exception {
        // as IngestLoad: on fewer than 3 cores CompletableFuture would start a thread per HTTP response
        System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism",
                System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism", "2"));
        Options o;
        try {
            o = Options.parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("PgScaleBench: " + e.getMessage());
            System.exit(2);
            return;
        }
        Result r = run(o, System.out);
        System.exit(r.phases().stream().allMatch(p -> p.failures() == 0) ? 0 : 1);
    }

    static Result run(Options o, PrintStream out) throws Exception {
        Path work = o.work().toAbsolutePath();
        Files.createDirectories(work);
        Path data = Files.createDirectories(work.resolve("data"));
        out.printf("pgbench: work %s; %d cores; /proc/loadavg %s%n", work, Runtime.getRuntime().availableProcessors(),
                IngestLoad.loadAverage());
        long t0 = System.nanoTime();
        try (BenchPostgres pg = BenchPostgres.start()) {
            out.printf("pgbench: PostgreSQL in %s on port %d (%.1f s), settings: %s%n", pg.directory(), pg.port,
                    (System.nanoTime() - t0) / 1e9, String.join(" ", BenchPostgres.SETTINGS));
            Path passwordFile = work.resolve("db-password");
            Files.deleteIfExists(passwordFile);
            Files.createFile(passwordFile, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.writeString(passwordFile, pg.password + "\n");
            Files.writeString(data.resolve("server.yaml"), """
                    database:
                      url: postgres://%s:%d/ttyaudit
                      user: %s
                      password_file: %s
                      tls: disable
                    """.formatted(pg.host, pg.port, pg.user, passwordFile));
            long postmaster = pg.postmasterPid();
            try (Instances instances = new Instances(o, data, work, out)) {
                CpuAccount cpu = new CpuAccount()
                        .addTrees("server 1", () -> instances.pid(0))
                        .addTrees("server 2", () -> instances.pid(1))
                        .addTrees("postgres", () -> List.of(postmaster))
                        .addProcess("load generator", ProcessHandle.current().pid());
                instances.ensure(1);
                List<String> credentials = new ArrayList<>();
                String admin = instances.adminToken(0);
                for (int h = 0; h < o.hosts(); h++) {
                    credentials.add(instances.client(0).enrollHost(admin, "load-host-" + h));
                }
                List<String> rare = new CopyOnWriteArrayList<>();
                List<Phase> phases = new ArrayList<>();
                for (int n : o.phases()) {
                    instances.ensure(n);
                    phases.add(ingestPhase(o, n, instances, credentials, cpu, postmaster, rare, out));
                    out.println("pgbench: commands in the database: " + count(pg, "SELECT count(*) FROM commands"));
                }
                instances.ensure(2);
                long inDatabase = fillTo(o, pg, rare, out);
                waitForOutputIndex(pg, out);
                timed(out, "VACUUM ANALYZE", () -> pg.execute("ttyaudit", "VACUUM ANALYZE"));
                Map<Integer, Latencies.Summary> search = new LinkedHashMap<>();
                Map<String, List<SearchBench.Query>> mix = mix(rare, o.queries(), pg);
                for (int i = 0; i < 2; i++) {
                    search.put(i + 1, search(instances, i, mix, out));
                }
                sizes(pg, data, inDatabase, out);
                summary(phases, out);
                if (o.keepDatabase()) {
                    pg.keep();
                    out.printf("pgbench: the database is kept: psql -h 127.0.0.1 -p %d -U ttyaudit ttyaudit"
                            + " (password in %s); stop it with pg_ctl -D %s stop, then remove %s%n", pg.port,
                            passwordFile, pg.dataDirectory(), pg.directory());
                }
                return new Result(phases, inDatabase, search);
            } finally {
                pg.copyLog(work.resolve("postgres.log"));
            }
        } finally {
            out.printf("pgbench: done in %.0f s; /proc/loadavg %s%n", (System.nanoTime() - t0) / 1e9,
                    IngestLoad.loadAverage());
        }
    }

    /** Streams sessions over {@code n} instances as fast as they take them and measures the window. */
    private static Phase ingestPhase(Options o, int n, Instances instances, List<String> credentials,
                                     CpuAccount cpu, long postmaster, List<String> rare, PrintStream out)
            throws Exception {
        out.printf("pgbench: phase with %d instance(s): %d sessions, %d commands per chunk, warm-up %d s, %d s"
                + " measured%n", n, o.sessions(), o.perChunk(), o.warmupSeconds(), o.phaseSeconds());
        LoadStats stats = new LoadStats();
        List<LoadSession> sessions = new ArrayList<>();
        for (int i = 0; i < o.sessions(); i++) {
            int host = i % credentials.size();
            sessions.add(new LoadSession(instances.client(i % n), stats, "user" + i % 200, "load-host-" + host,
                    credentials.get(host), i));
        }
        IngestLoad.startAll(sessions);
        if (stats.failures.get() > 0) {
            throw new IOException("sessions could not start: " + stats.firstError());
        }
        CommandProducers producers = new CommandProducers(sessions, o.producers(), o.perChunk(), rare);
        try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(o.warmupSeconds()));
            stats.reset();
            CpuAccount.Sample c0 = cpu.sample();
            List<Map<String, Double>> threads0 = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                threads0.add(CpuAccount.byThread(instances.pid(i).get(0)));
            }
            Map<String, Double> pg0 = CpuAccount.postgresByRole(postmaster);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.phaseSeconds());
            CpuAccount.Sample last = c0;
            long lastChunks = 0;
            while (System.nanoTime() < end) {
                Thread.sleep(Math.max(1, Math.min(TimeUnit.SECONDS.toMillis(o.sampleSeconds()),
                        TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
                CpuAccount.Sample now = cpu.sample();
                CpuAccount.Sample d = now.minus(last);
                long chunks = stats.chunks.get();
                out.printf("pgbench:   %5.0f s  %8.0f commands/s  req p99 %6.0f ms  cores: %s%n",
                        now.minus(c0).wallSeconds(), (chunks - lastChunks) * o.perChunk() / d.wallSeconds(),
                        stats.requestLatency.summary().p99(), cores(d));
                last = now;
                lastChunks = chunks;
            }
            CpuAccount.Sample window = cpu.sample().minus(c0);
            for (int i = 0; i < n; i++) {
                out.printf("pgbench:   server %d CPU seconds by thread: %s%n", i + 1, rounded(CpuAccount.minus(
                        CpuAccount.byThread(instances.pid(i).get(0)), threads0.get(i), 0.5)));
                out.printf("pgbench:   server %d group commits: %s%n", i + 1,
                        IngestLoad.commitHistogram(instances.client(i).metrics()));
            }
            out.printf("pgbench:   PostgreSQL CPU seconds by process: %s%n", rounded(CpuAccount.minus(
                    CpuAccount.postgresByRole(postmaster), pg0, 0.2)));
            long chunks = stats.chunks.get();
            Phase p = new Phase(n, chunks, chunks * o.perChunk(), window.wallSeconds(), stats.terminalBytes.get(),
                    stats.wireBytes.get(), stats.requestLatency.summary(), window, stats.failures.get());
            producers.stop();
            out.printf("pgbench: %d instance(s): %.0f commands/s, %.0f chunks/s, %.2f MB/s terminal data, %.2f MB/s on"
                            + " the wire; request latency %s; failures %d%n", n, p.commandsPerSecond(),
                    chunks / p.seconds(), p.terminalBytes() / p.seconds() / 1e6, p.wireBytes() / p.seconds() / 1e6,
                    p.latency(), p.failures());
            out.printf("pgbench: %d instance(s): cores %s; core-seconds per 1000 commands %s%n", n, cores(window),
                    perThousand(window, p.commands()));
            if (p.failures() > 0) {
                out.println("pgbench: first error: " + stats.firstError() + " " + stats.refusals());
            }
            return p;
        } finally {
            producers.stop();
            endAll(sessions);
        }
    }

    /** Ends the phase's sessions (a recorder ends its session), so that the next phase starts from idle. */
    private static void endAll(List<LoadSession> sessions) {
        List<java.util.concurrent.CompletableFuture<?>> all = new ArrayList<>();
        for (LoadSession s : sessions) {
            if (!s.failed()) {
                all.add(s.end());
            }
        }
        java.util.concurrent.CompletableFuture.allOf(all.toArray(java.util.concurrent.CompletableFuture[]::new))
                .exceptionally(e -> null).join();
    }

    /** Loads commands through the store SPI until the database holds {@code --commands}; returns the count. */
    private static long fillTo(Options o, BenchPostgres pg, List<String> rare, PrintStream out) throws Exception {
        long have = count(pg, "SELECT count(*) FROM commands");
        long missing = o.commands() - have;
        if (missing <= 0) {
            return have;
        }
        out.printf("pgbench: loading the remaining %d commands with COPY (direct, no HTTP, no blobs, no ledger)%n",
                missing);
        // this month's sessions (the store keeps a partition per month of session start), up to a minute ago
        Instant to = Instant.now().minus(1, ChronoUnit.MINUTES);
        Instant from = to.atZone(ZoneOffset.UTC).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).toInstant();
        if (Duration.between(from, to).toHours() < 24) {
            from = to.minus(Duration.ofDays(1));
        }
        long t0 = System.nanoTime();
        PgCopyFill.fill(pg, missing, 100, from, to, FILL_LEDGER_BASE, rare, out);
        double s = (System.nanoTime() - t0) / 1e9;
        long now = count(pg, "SELECT count(*) FROM commands");
        out.printf("pgbench: loaded %d commands in %.0f s (%.0f commands/s); the database holds %d%n", missing, s,
                missing / s, now);
        return now;
    }

    /** Waits (at most 10 minutes) until the servers' output indexers have indexed every committed chunk. */
    private static void waitForOutputIndex(BenchPostgres pg, PrintStream out) throws Exception {
        long t0 = System.nanoTime();
        String backlog = "SELECT count(*) FROM sessions WHERE text_indexed_seq < committed_seq";
        long left = count(pg, backlog);
        out.printf("pgbench: output index: %d sessions with chunks not indexed yet%n", left);
        while (left > 0 && System.nanoTime() - t0 < TimeUnit.MINUTES.toNanos(10)) {
            Thread.sleep(2000);
            left = count(pg, backlog);
        }
        out.printf("pgbench: output index %s after %.0f s%n", left == 0 ? "caught up" : "still behind (" + left
                + " sessions)", (System.nanoTime() - t0) / 1e9);
    }

    /** SearchBench's mix plus time-window filters over the data's days. */
    private static Map<String, List<SearchBench.Query>> mix(List<String> rare, int n, BenchPostgres pg)
            throws IOException {
        List<String> words = rare.isEmpty() ? List.of("0123456789") : List.copyOf(rare);
        Map<String, List<SearchBench.Query>> mix = SearchBench.mix(words, n);
        long first = count(pg, "SELECT coalesce(min(started_at), 0) FROM sessions");
        long last = count(pg, "SELECT coalesce(max(started_at), 0) FROM sessions");
        Instant from = Instant.ofEpochMilli(first / 1_000_000);     // nanoseconds since the epoch
        Instant to = Instant.ofEpochMilli(last / 1_000_000);
        List<String> common = List.of("git", "sudo", "kubectl", "status", "nginx", "docker", "ls", "cat");
        Random r = new Random(3);
        List<SearchBench.Query> day = new ArrayList<>();
        List<SearchBench.Query> userWeek = new ArrayList<>();
        long spanMillis = Math.max(1, Duration.between(from, to).toMillis());
        for (int i = 0; i < n; i++) {
            Instant since = from.plusMillis((long) (r.nextDouble() * spanMillis));
            day.add(new SearchBench.Query(common.get(i % common.size()), new SessionFilter(null, null, since,
                    since.plus(Duration.ofDays(1)), null)));
            userWeek.add(new SearchBench.Query(common.get((i + 3) % common.size()), new SessionFilter(
                    "user" + (i * 11) % 200, null, since.minus(Duration.ofDays(7)), since, null)));
        }
        mix.put("common word, one day", day);
        mix.put("common word, user, 7 days", userWeek);
        return mix;
    }

    /**
     * The mix over HTTPS on instance {@code i}: first the cheap kinds once each (warm-up, not counted), then every
     * kind. A query that fails (PostgreSQL cancels it after {@link BenchPostgres#STATEMENT_TIMEOUT}, or the client
     * gives up after 60 s) counts with the time it took, and the rest of its kind is skipped: a kind that takes a
     * minute per query would otherwise take the run's whole time budget.
     */
    private static Latencies.Summary search(Instances instances, int i, Map<String, List<SearchBench.Query>> mix,
                                            PrintStream out) throws Exception {
        ApiClient client = instances.client(i);
        String token = instances.adminToken(i);
        for (String kind : List.of("rare word", "no hit")) {
            client.search(token, mix.get(kind).get(0).params());
        }
        out.printf("search: instance %d: GET /api/v1/search, first page of 50%n", i + 1);
        out.println("search:   kind                        n   p50 ms   p95 ms   p99 ms   max ms  hits(1st)  failed");
        Latencies all = new Latencies();
        for (Map.Entry<String, List<SearchBench.Query>> e : mix.entrySet()) {
            Latencies l = new Latencies();
            int firstHits = -1;
            int failed = 0;
            for (SearchBench.Query q : e.getValue()) {
                long t = System.nanoTime();
                int hits;
                try {
                    HttpResponse<byte[]> r = client.search(token, q.params());
                    hits = r.statusCode() == 200 ? ApiClient.json(r).get("items").size() : -1;
                } catch (java.net.http.HttpTimeoutException timeout) {
                    hits = -1;
                }
                long dt = System.nanoTime() - t;
                l.add(dt);
                all.add(dt);
                if (firstHits < 0) {
                    firstHits = hits;
                }
                if (hits < 0) {
                    failed++;
                    break;
                }
            }
            Latencies.Summary s = l.summary();
            out.printf("search:   %-25s %4d %8.1f %8.1f %8.1f %8.1f %6d %7s%n", e.getKey(), s.count(), s.p50(),
                    s.p95(), s.p99(), s.max(), firstHits, failed == 0 ? "" : "FAILED (rest skipped)");
        }
        Latencies.Summary s = all.summary();
        out.printf("search:   %-25s %4d %8.1f %8.1f %8.1f %8.1f%n", "ALL", s.count(), s.p50(), s.p95(), s.p99(),
                s.max());
        return s;
    }

    /** Table and index sizes, blob bytes and WAL: what a million commands and a thousand sessions take. */
    private static void sizes(BenchPostgres pg, Path data, long commands, PrintStream out) throws Exception {
        long sessions = count(pg, "SELECT count(*) FROM sessions");
        long chunks = count(pg, "SELECT count(*) FROM chunks");
        out.printf("pgbench: sizes for %d commands in %d sessions (%d chunks through the API):%n", commands, sessions,
                chunks);
        try (Connection c = pg.connect("ttyaudit"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("""
                     SELECT coalesce(p.relname, t.relname) AS name,
                            sum(pg_table_size(t.oid)) AS heap, sum(pg_indexes_size(t.oid)) AS idx
                     FROM pg_class t
                     LEFT JOIN pg_inherits i ON i.inhrelid = t.oid
                     LEFT JOIN pg_class p ON p.oid = i.inhparent
                     JOIN pg_namespace n ON n.oid = t.relnamespace
                     WHERE n.nspname = 'public' AND t.relkind = 'r'
                     GROUP BY 1 ORDER BY sum(pg_total_relation_size(t.oid)) DESC""")) {
            long total = 0;
            while (r.next()) {
                long heap = r.getLong(2);
                long idx = r.getLong(3);
                total += heap + idx;
                if (heap + idx > 1_000_000) {
                    out.printf("pgbench:   %-24s table %8.1f MB  indexes %8.1f MB%n", r.getString(1), heap / 1e6,
                            idx / 1e6);
                }
            }
            out.printf("pgbench:   all tables and indexes %.1f MB: %.1f MB per million commands%n", total / 1e6,
                    total / 1e6 / (commands / 1e6));
        }
        out.printf("pgbench:   database %.1f MB (pg_database_size)%n",
                count(pg, "SELECT pg_database_size('ttyaudit')") / 1e6);
        long[] blobs = treeSize(data.resolve("blobs"));
        out.printf("pgbench:   blobs: %d files, %.1f MB: %.1f KB per chunk%n", blobs[0], blobs[1] / 1e6,
                blobs[0] == 0 ? 0 : blobs[1] / 1e3 / blobs[0]);
        long[] wal = treeSize(pg.dataDirectory().resolve("pg_wal"));
        out.printf("pgbench:   pg_wal now %.1f MB (max_wal_size bounds it)%n", wal[1] / 1e6);
    }

    private static long[] treeSize(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return new long[] {0, 0};
        }
        long[] n = new long[2];
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                n[0]++;
                try {
                    n[1] += Files.size(f);
                } catch (IOException ignored) {
                    // a file removed meanwhile
                }
            });
        }
        return n;
    }

    private static void summary(List<Phase> phases, PrintStream out) {
        out.println("pgbench: summary");
        Phase one = null;
        for (Phase p : phases) {
            out.printf("pgbench:   %d instance(s): %8.0f commands/s  %6.0f chunks/s  %6.2f MB/s terminal  p50/p99 %s%n",
                    p.instances(), p.commandsPerSecond(), p.chunks() / p.seconds(),
                    p.terminalBytes() / p.seconds() / 1e6, p.latency());
            if (p.instances() == 1 && one == null) {
                one = p;
            }
        }
        for (Phase p : phases) {
            if (p.instances() == 2 && one != null) {
                out.printf("pgbench:   scaling ratio (2 instances / 1): %.2f%n",
                        p.commandsPerSecond() / one.commandsPerSecond());
            }
        }
    }

    private static String rounded(Map<String, Double> seconds) {
        StringBuilder b = new StringBuilder();
        seconds.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(' ')
                .append(String.format("%.1f", v)));
        return b.toString();
    }

    private static String cores(CpuAccount.Sample d) {
        StringBuilder b = new StringBuilder();
        d.seconds().forEach((k, v) -> b.append(String.format("%s %.2f, ", k, v / d.wallSeconds())));
        double named = d.seconds().values().stream().mapToDouble(Double::doubleValue).sum();
        b.append(String.format("other %.2f, idle %.2f", (d.machineBusy() - named) / d.wallSeconds(),
                d.machineIdle() / d.wallSeconds()));
        return b.toString();
    }

    private static String perThousand(CpuAccount.Sample d, long commands) {
        StringBuilder b = new StringBuilder();
        d.seconds().forEach((k, v) -> b.append(String.format("%s %.3f, ", k, v * 1000 / Math.max(1, commands))));
        b.append(String.format("machine %.3f", d.machineBusy() * 1000 / Math.max(1, commands)));
        return b.toString();
    }

    private static long count(BenchPostgres pg, String sql) throws IOException {
        try (Connection c = pg.connect("ttyaudit"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IOException(sql + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private static void timed(PrintStream out, String what, Step step) throws Exception {
        long t0 = System.nanoTime();
        step.run();
        out.printf("pgbench: %s took %.1f s%n", what, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Keeps every session one chunk ahead of the server: a few threads walk their share of the sessions and seal
     * a chunk of {@code perChunk} commands for each session with fewer than two chunks waiting or in flight (a
     * thread per session, as IngestLoad's bulk mode has, would cost this 2-core machine more in wake-ups).
     */
    static final class CommandProducers {
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stopped;

        CommandProducers(List<LoadSession> sessions, int threadCount, int perChunk, List<String> rare) {
            SyntheticTerminal terminal = new SyntheticTerminal(4 * 1024 * 1024, 5);
            for (int t = 0; t < threadCount; t++) {
                int first = t;
                Thread thread = new Thread(() -> {
                    Random r = new Random(first);
                    while (!stopped) {
                        boolean sealed = false;
                        for (int i = first; i < sessions.size(); i += threadCount) {
                            LoadSession s = sessions.get(i);
                            if (!s.failed() && s.backlog() < 2) {
                                List<String> lines = new ArrayList<>(perChunk);
                                for (int c = 0; c < perChunk; c++) {
                                    String line = CommandHistory.next(r);
                                    noteRare(line, rare);
                                    lines.add(line);
                                }
                                // what a command prints: mostly a line or a few (100-600 bytes)
                                s.runCommands(terminal, r, lines, () -> 100 + r.nextInt(500));
                                sealed = true;
                            }
                        }
                        if (!sealed) {
                            try {
                                Thread.sleep(1);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                }, "producer-" + t);
                thread.setDaemon(true);
                thread.start();
                threads.add(thread);
            }
        }

        private static void noteRare(String line, List<String> rare) {
            if (rare.size() < 20 && line.indexOf(' ') > 0) {
                Matcher m = HEX_ID.matcher(line);
                if (m.find()) {
                    rare.add(m.group());
                }
            }
        }

        /** Stops sealing; what was sealed is still shipped. */
        void stop() throws InterruptedException {
            stopped = true;
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
    }

    /** The server processes (up to two) on one data directory, their API clients and admin logins. */
    private static final class Instances implements AutoCloseable {
        private final Options o;
        private final Path data;
        private final Path work;
        private final PrintStream out;
        private final ServerHandle[] servers = new ServerHandle[2];
        private final ApiClient[] clients = new ApiClient[2];
        private final String[] tokens = new String[2];

        Instances(Options o, Path data, Path work, PrintStream out) {
            this.o = o;
            this.data = data;
            this.work = work;
            this.out = out;
        }

        /** Starts or stops instances until exactly {@code n} run. */
        void ensure(int n) throws Exception {
            for (int i = 0; i < 2; i++) {
                if (i < n && servers[i] == null) {
                    long t0 = System.nanoTime();
                    servers[i] = ServerHandle.child(o.serverJar(), data, o.serverJvm(),
                            work.resolve("server-" + (i + 1) + ".log"));
                    clients[i] = new ApiClient(servers[i].url(), servers[i].fingerprint(), o.clientThreads());
                    tokens[i] = clients[i].admin(servers[i].oneTimePassword(), work.resolve("admin-password"));
                    out.printf("pgbench: instance %d at %s, pid %d (started in %.1f s)%n", i + 1, servers[i].url(),
                            servers[i].pid(), (System.nanoTime() - t0) / 1e9);
                } else if (i >= n && servers[i] != null) {
                    close(i);
                }
            }
        }

        ApiClient client(int i) {
            return clients[i];
        }

        String adminToken(int i) {
            return tokens[i];
        }

        List<Long> pid(int i) {
            ServerHandle s = servers[i];
            return s == null ? List.of() : List.of(s.pid());
        }

        private void close(int i) {
            clients[i].close();
            servers[i].close();
            clients[i] = null;
            servers[i] = null;
            out.printf("pgbench: instance %d stopped%n", i + 1);
        }

        @Override
        public void close() {
            for (int i = 1; i >= 0; i--) {
                if (servers[i] != null) {
                    close(i);
                }
            }
        }
    }
}
