package org.ttyaudit.bench.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Enter-to-webhook latency of the rules under live load (issue 5: p99 ≤ 1 s at 100 concurrent sessions): a real
 * server process with a rule that notifies a webhook, {@code --sessions} simulated recorder sessions typing a
 * command a second each over the real HTTPS ingest API (as {@link IngestLoad}'s live mode), of which every
 * {@code --alert-every}-th command is one the rule matches, and an HTTP listener in this process standing for
 * the webhook's receiver. Each alerting command carries a unique token; the latency is from the moment its chunk
 * is sealed (a real recorder seals {@code SessionLog.PROMPT_SEAL}, 50 ms, after Enter) to the webhook request's
 * arrival: ingest, the commit, the rules, the alert's transaction, the outbox and the HTTP POST.
 *
 * <pre>
 * java -cp ttyaudit-bench/target/benchmarks.jar org.ttyaudit.bench.server.AlertLatency \
 *     [--sessions 100] [--duration 60] [--warmup 10] [--alert-every 10] [--hosts N]
 *     [--server-jar ttyaudit-cli/target/ttyaudit.jar] [--server-jvm OPTION]... [--work DIR]
 * </pre>
 */
public final class AlertLatency {
    private static final Pattern TOKEN = Pattern.compile("bench-[0-9]+-[0-9]+");

    private AlertLatency() {
    }

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, Set.of());
        int sessions = a.number("sessions", 100);
        int duration = a.number("duration", 60);
        int warmup = a.number("warmup", 10);
        int alertEvery = a.number("alert-every", 10);
        int hosts = a.number("hosts", Math.min(sessions, 50));
        Path jar = Path.of(a.text("server-jar", "ttyaudit-cli/target/ttyaudit.jar"));
        List<String> jvm = a.all("server-jvm");
        Path work = Path.of(a.text("work", "target/alertbench/" + LocalDateTime.now().format(
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        if (!a.unknown().isEmpty()) {
            System.err.println("AlertLatency: unknown option(s): " + String.join(" ", a.unknown()));
            System.exit(2);
        }

        Map<String, Long> sealed = new ConcurrentHashMap<>();
        Latencies latencies = new Latencies();
        AtomicInteger received = new AtomicInteger();
        AtomicLong measureFrom = new AtomicLong(Long.MAX_VALUE);
        HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/hook", exchange -> {
            long arrived = System.nanoTime();
            JsonNode body = ApiClient.JSON.readTree(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            Matcher m = TOKEN.matcher(body.path("matched").asText());
            Long at = m.find() ? sealed.remove(m.group()) : null;
            if (at != null && at >= measureFrom.get()) {
                latencies.add(arrived - at);
                received.incrementAndGet();
            }
        });
        hook.start();

        Path data = Files.createDirectories(work.resolve("data"));
        Files.writeString(data.resolve("server.yaml"), """
                rules:
                  file: rules.yaml
                notify:
                  targets:
                    - {name: bench, type: webhook, url: 'http://127.0.0.1:%d/hook', format: json}
                """.formatted(hook.getAddress().getPort()));
        Files.writeString(data.resolve("rules.yaml"), """
                rules:
                  - name: bench-alert
                    description: the benchmark's alerting command
                    severity: high
                    match: {command: '^sudo-bench '}
                    actions: [alert, {notify: [bench]}]
                """);
        System.out.printf("alerts: sessions=%d duration=%ds warmup=%ds alert-every=%d work=%s%n", sessions,
                duration, warmup, alertEvery, work.toAbsolutePath());
        try (ServerHandle server = ServerHandle.child(jar, data, jvm);
             ApiClient client = new ApiClient(server.url(), server.fingerprint(), 4)) {
            String admin = client.admin(server.oneTimePassword(), work.resolve("admin-password"));
            List<String> credentials = new ArrayList<>();
            for (int h = 0; h < hosts; h++) {
                credentials.add(client.enrollHost(admin, "bench-host-" + h));
            }
            LoadStats stats = new LoadStats();
            List<LoadSession> all = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                all.add(new LoadSession(client, stats, "user" + i, "bench-host-" + i % hosts,
                        credentials.get(i % hosts), i));
            }
            IngestLoad.startAll(all);
            SyntheticTerminal terminal = new SyntheticTerminal(4 * 1024 * 1024, 7);
            Map<LoadSession, AtomicInteger> typed = new ConcurrentHashMap<>();
            AtomicInteger sent = new AtomicInteger();
            IngestLoad.Producers producers = IngestLoad.Producers.live(all, stats, (s, r) -> {
                int n = typed.computeIfAbsent(s, k -> new AtomicInteger()).incrementAndGet();
                if (n % alertEvery == 0) {
                    String token = "bench-" + all.indexOf(s) + "-" + n;
                    long now = System.nanoTime();
                    sealed.put(token, now);
                    if (now >= measureFrom.get()) {
                        sent.incrementAndGet();
                    }
                    s.typeCommand(terminal, r, "sudo-bench " + token + " --check");
                } else {
                    s.typeCommand(terminal, r);
                }
            });
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
            measureFrom.set(System.nanoTime());
            Thread.sleep(TimeUnit.SECONDS.toMillis(duration));
            producers.stop();
            Thread.sleep(5000);   // the last alerts' webhooks
            Latencies.Summary s = latencies.summary();
            System.out.printf("alerts: %d alerting commands sent, %d webhooks received (%d failures of ingest)%n",
                    sent.get(), received.get(), stats.failures.get());
            System.out.printf("alerts: chunk sealed to webhook received, ms: p50 %.0f p95 %.0f p99 %.0f max %.0f"
                    + " (add 50 ms for the recorder's seal after Enter)%n", s.p50(), s.p95(), s.p99(), s.max());
        } finally {
            hook.stop(0);
        }
        System.exit(0);
    }
}
