package org.ttyaudit.bench.server;

import org.ttyaudit.core.format.SessionHeaderCodec;
import org.ttyaudit.core.format.Sha256;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.server.index.TerminalText;
import org.ttyaudit.server.store.CommandRecord;
import org.ttyaudit.server.store.NewSession;
import org.ttyaudit.server.store.OutputText;
import org.ttyaudit.server.store.SessionFilter;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.store.sqlite.SqliteStore;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Search latency over a large store: generates {@code --commands} commands (default 10 million) in sessions of
 * {@code --per-session} with some output text each, straight into a {@link SqliteStore} through the store SPI in
 * large transactions, and caches the database under {@code --work} (default {@code target/searchbench}) so that
 * reruns only measure. Then it runs a mix of queries through {@code SessionQueries.search} (first page of 50, as
 * the API's default) and, with {@code --http N}, N queries of each kind through {@code GET /api/v1/search} of a
 * {@code ttyaudit server} started on the same data directory.
 *
 * <pre>
 * java -cp ttyaudit-bench/target/benchmarks.jar org.ttyaudit.bench.server.SearchBench \
 *     [--commands 10000000] [--per-session 100] [--queries 40] [--http 10] [--work target/searchbench]
 *     [--server-jar ttyaudit-cli/target/ttyaudit.jar]
 * </pre>
 */
public final class SearchBench {
    private static final Pattern HEX_ID = Pattern.compile("\\b[0-9a-f]{10}\\b");
    private static final Instant FIRST_START = Instant.parse("2025-11-25T00:00:00Z");
    private static final int USERS = 200;
    private static final int HOSTS = 500;
    private static final int SESSIONS_PER_TRANSACTION = 500;
    private static final int OUTPUT_ROWS_PER_SESSION = 5;

    private SearchBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, Set.of());
        long commands = Long.parseLong(a.text("commands", "10000000"));
        int perSession = a.number("per-session", 100);
        int queries = a.number("queries", 40);
        int http = a.number("http", 10);
        Path work = Path.of(a.text("work", "target/searchbench"));
        Path serverJar = Path.of(a.text("server-jar", "ttyaudit-cli/target/ttyaudit.jar"));
        if (!a.unknown().isEmpty()) {
            System.err.println("SearchBench: unknown option(s): " + String.join(" ", a.unknown()));
            System.exit(2);
        }
        PrintStream out = System.out;
        out.println("search: /proc/loadavg before: " + IngestLoad.loadAverage());
        Path data = work.resolve("data");
        List<String> rare = generateOnce(work, data, commands, perSession, out);
        Map<String, List<Query>> mix = mix(rare, queries);
        try (SqliteStore store = SqliteStore.open(data.resolve("server.db"))) {
            run("warm-up (not counted)", firstOfEach(mix),
                    q -> store.sessions().search(q.text, q.filter, null, 50).items().size(), out, true);
            run("SessionQueries.search, first page of 50", mix,
                    q -> store.sessions().search(q.text, q.filter, null, 50).items().size(), out, false);
        }
        if (http > 0) {
            httpSearch(work, data, serverJar, mix, http, out);
        }
        out.println("search: /proc/loadavg after: " + IngestLoad.loadAverage());
    }

    /** A query: its text and its filter. */
    record Query(String text, SessionFilter filter) {
        Map<String, String> params() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("q", text);
            if (filter.user() != null) {
                p.put("user", filter.user());
            }
            if (filter.host() != null) {
                p.put("host", filter.host());
            }
            if (filter.since() != null) {
                p.put("since", filter.since().toString());
            }
            if (filter.until() != null) {
                p.put("until", filter.until().toString());
            }
            return p;
        }
    }

    @FunctionalInterface
    private interface Search {
        int run(Query q) throws Exception;
    }

    /** One query of each kind: a warm-up that loads the pages and compiles the code without doubling the run. */
    private static Map<String, List<Query>> firstOfEach(Map<String, List<Query>> mix) {
        Map<String, List<Query>> first = new LinkedHashMap<>();
        mix.forEach((k, v) -> first.put(k, v.subList(0, 1)));
        return first;
    }

    /** The query mix: {@code n} queries of each kind, cycling through the kind's examples. */
    static Map<String, List<Query>> mix(List<String> rare, int n) {
        Map<String, List<String>> texts = new LinkedHashMap<>();
        texts.put("common word", List.of("git", "sudo", "kubectl", "status", "nginx", "docker", "ls", "cat"));
        texts.put("rare word", rare);
        texts.put("phrase", List.of("\"systemctl restart nginx\"", "\"git push origin\"", "\"docker exec\"",
                "\"tail -f /var/log/redis.log\"", "\"kubectl get pods\"", "\"select * from orders\""));
        texts.put("prefix", List.of("kube*", "deplo*", "postgres*", "elastic*", "rollb*", "invoi*"));
        texts.put("two words", List.of("restart nginx", "logs kafka", "grep payments", "ssh web", "tar gz"));
        texts.put("no hit", List.of("zyxwvut", "nonexistentword", "qqqqqq"));
        // substring terms (command lines only), through the trigram index
        texts.put("substring", List.of("*/var/log/*", "*-rf*", "*ystemct*", "*nfig.ya*", "*feature/hot*"));
        texts.put("rare substring", rare.stream().map(id -> "*" + id.substring(1, 8) + "*").toList());
        texts.put("substring and word", List.of("sudo *ystemct*", "git *feature/hot*", "kubectl *ayment*",
                "docker *exec*"));
        texts.put("substring, no hit", List.of("*/etc/shadow*", "*zqzqzq*", "*rm-rf*"));
        Map<String, List<Query>> mix = new LinkedHashMap<>();
        texts.forEach((kind, list) -> {
            List<Query> qs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                qs.add(new Query(list.get(i % list.size()), SessionFilter.all()));
            }
            mix.put(kind, qs);
        });
        List<Query> byUser = new ArrayList<>();
        List<Query> byHost = new ArrayList<>();
        List<String> common = texts.get("common word");
        for (int i = 0; i < n; i++) {
            byUser.add(new Query(common.get(i % common.size()), new SessionFilter("user" + (i * 7) % USERS, null,
                    null, null, null)));
            byHost.add(new Query(common.get(i % common.size()), new SessionFilter(null, "web-" + (i * 13) % HOSTS,
                    null, null, null)));
        }
        mix.put("common word, one user", byUser);
        mix.put("common word, one host", byHost);
        return mix;
    }

    private static void run(String title, Map<String, List<Query>> mix, Search search, PrintStream out,
                            boolean quiet) throws Exception {
        Latencies all = new Latencies();
        if (!quiet) {
            out.println("search: " + title);
            out.println("search:   kind                        n   p50 ms   p95 ms   p99 ms   max ms  hits(1st)");
        }
        for (Map.Entry<String, List<Query>> e : mix.entrySet()) {
            Latencies l = new Latencies();
            int firstHits = -1;
            for (Query q : e.getValue()) {
                long t = System.nanoTime();
                int hits = search.run(q);
                long dt = System.nanoTime() - t;
                l.add(dt);
                all.add(dt);
                if (firstHits < 0) {
                    firstHits = hits;
                }
            }
            Latencies.Summary s = l.summary();
            if (!quiet) {
                out.printf("search:   %-25s %4d %8.1f %8.1f %8.1f %8.1f %6d%n", e.getKey(), s.count(), s.p50(), s.p95(),
                        s.p99(), s.max(), firstHits);
            }
        }
        if (!quiet) {
            Latencies.Summary s = all.summary();
            out.printf("search:   %-25s %4d %8.1f %8.1f %8.1f %8.1f%n", "ALL", s.count(), s.p50(), s.p95(), s.p99(),
                    s.max());
        }
    }

    private static void httpSearch(Path work, Path data, Path serverJar, Map<String, List<Query>> mix, int n,
                                   PrintStream out) throws Exception {
        Map<String, List<Query>> subset = new LinkedHashMap<>();
        mix.forEach((k, v) -> subset.put(k, v.subList(0, Math.min(n, v.size()))));
        try (ServerHandle server = ServerHandle.child(serverJar, data, List.of());
             ApiClient client = new ApiClient(server.url(), server.fingerprint(), 2)) {
            String token = client.admin(server.oneTimePassword(), work.resolve("admin-password"));
            Search viaHttp = q -> {
                HttpResponse<byte[]> r = client.search(token, q.params());
                return ApiClient.json(ApiClient.expect(200, r, "searching for " + q.text)).get("items").size();
            };
            run("warm-up (not counted)", firstOfEach(subset), viaHttp, out, true);
            run("GET /api/v1/search over HTTPS (keep-alive; each search also writes an audit event)", subset, viaHttp,
                    out, false);
        }
    }

    /**
     * Generates the database unless {@code work/generated.properties} says it holds the same amount; returns the
     * rare words (ids known to occur) noted while generating.
     */
    private static List<String> generateOnce(Path work, Path data, long commands, int perSession, PrintStream out)
            throws IOException {
        Path marker = work.resolve("generated.properties");
        Properties p = new Properties();
        if (Files.exists(marker)) {
            try (var in = Files.newInputStream(marker)) {
                p.load(in);
            }
            if (Long.toString(commands).equals(p.getProperty("commands"))
                    && Integer.toString(perSession).equals(p.getProperty("perSession"))) {
                out.printf("search: reusing %s: %s commands in %s sessions, generated in %s s; database %s MB%n",
                        data, p.getProperty("commands"), p.getProperty("sessions"), p.getProperty("seconds"),
                        databaseMegabytes(data));
                return List.of(p.getProperty("rare").split(","));
            }
        }
        if (Files.exists(data)) {
            throw new IOException(data + " exists but was not generated with these parameters; remove " + work);
        }
        Files.createDirectories(data);
        long sessions = (commands + perSession - 1) / perSession;
        long started = System.nanoTime();
        List<String> rare = new ArrayList<>();
        Random r = new Random(7);
        SyntheticTerminal terminal = new SyntheticTerminal(4 * 1024 * 1024, 11);
        // sessions spread over a year, in start order (as they arrive)
        long spacingMillis = 365L * 24 * 3600 * 1000 / Math.max(1, sessions);
        try (Store store = SqliteStore.open(data.resolve("server.db"))) {
            long made = 0;
            long s = 0;
            while (s < sessions) {
                long from = s;
                long to = Math.min(sessions, s + SESSIONS_PER_TRANSACTION);
                long madeBefore = made;
                made += store.write(tx -> {
                    long n = 0;
                    for (long i = from; i < to; i++) {
                        Instant start = FIRST_START.plusMillis(i * spacingMillis);
                        SessionHeader h = new SessionHeader(SessionId.newId(Clock.fixed(start, ZoneOffset.UTC)),
                                "recorder", "user" + r.nextInt(USERS), 1000, "web-" + r.nextInt(HOSTS), "/dev/pts/1",
                                null, "xterm-256color", 120, 40, start, List.of("/bin/bash"), "full", "searchbench",
                                Map.of());
                        byte[] headerBytes = SessionHeaderCodec.toBytes(h);
                        UUID id = h.sessionId().uuid();
                        tx.insertSession(new NewSession(h, headerBytes, Sha256.of(headerBytes), null, i, start));
                        int count = (int) Math.min(perSession, commands - (madeBefore + n));
                        List<CommandRecord> batch = new ArrayList<>(count);
                        for (int c = 0; c < count; c++) {
                            String line = CommandHistory.next(r);
                            if ((madeBefore + n + c) % 200_000 == 0 || rare.size() < 3 && c == 1) {
                                Matcher m = HEX_ID.matcher(line);
                                if (m.find() && rare.size() < 50) {
                                    rare.add(m.group());
                                }
                            }
                            long offset = c * 20_000_000L;
                            batch.add(new CommandRecord(id, c + 1, line, "/home/alice", "shell-integration",
                                    start.plusNanos(offset * 1000), offset, start.plusNanos(offset * 1000 + 5_000_000),
                                    offset + 5_000, r.nextInt(10) == 0 ? 1 : 0));
                        }
                        tx.insertCommands(batch);
                        for (int o = 0; o < OUTPUT_ROWS_PER_SESSION; o++) {
                            String text = TerminalText.strip(terminal.output(r, 400));
                            tx.insertOutputText(new OutputText(id, o, o * 400_000_000L, text));
                        }
                        n += count;
                    }
                    return n;
                });
                s = to;
                if (s % 20_000 == 0 || s == sessions) {
                    out.printf("search: generated %d of %d commands (%.0f s)%n", made, commands,
                            (System.nanoTime() - started) / 1e9);
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        p.setProperty("commands", Long.toString(commands));
        p.setProperty("perSession", Integer.toString(perSession));
        p.setProperty("sessions", Long.toString(sessions));
        p.setProperty("seconds", String.format("%.0f", seconds));
        p.setProperty("rare", String.join(",", rare));
        try (var o = Files.newOutputStream(marker)) {
            p.store(o, "SearchBench's generated database");
        }
        out.printf("search: generated %d commands in %d sessions (+%d output rows) in %.0f s; database %s MB%n",
                commands, sessions, sessions * OUTPUT_ROWS_PER_SESSION, seconds, databaseMegabytes(data));
        return rare;
    }

    private static String databaseMegabytes(Path data) throws IOException {
        long bytes = 0;
        for (String f : List.of("server.db", "server.db-wal")) {
            Path file = data.resolve(f);
            if (Files.exists(file)) {
                bytes += Files.size(file);
            }
        }
        return String.format("%.0f", bytes / 1e6);
    }
}
