package org.ttyaudit.server.notify;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import org.ttyaudit.core.config.YamlConfig;
import org.ttyaudit.server.store.OutboxEntry;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.store.sqlite.SqliteStore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real SQLite store in a test directory, the settings of the targets under test (YAML, as an operator writes
 * them), and dispatchers over them: what the server will wire, without the rest of the server.
 */
final class OutboxFixture implements AutoCloseable {
    /** Fast retries, so an outage test takes a second, not minutes. */
    static final String FAST_RETRY = "  retry: {first_delay: 50ms, max_delay: 200ms, give_up_after: 1h}\n";

    private final Path dir;
    private final List<NotificationDispatcher> dispatchers = new ArrayList<>();
    Store store;
    PrometheusRegistry registry;
    private long nextAlertId = 1;

    OutboxFixture(Path dir) {
        this.dir = dir;
        this.store = SqliteStore.open(dir.resolve("store.db"));
    }

    /** The settings' {@code notify} section as given (its text starts at {@code targets:} or {@code retry:}). */
    NotifyTargets targets(String notifySectionBody) {
        return NotifyTargets.parse(YamlConfig.parse("notify:\n" + notifySectionBody, dir.resolve("server.yaml")
                .toString()).mapping("notify"));
    }

    /** A started dispatcher with a fresh metrics registry (in {@link #registry}). */
    NotificationDispatcher dispatcher(NotifyTargets targets) {
        return dispatcher(targets, Duration.ofMillis(500));
    }

    /** A dispatcher that looks for due entries every {@code poll} unless woken. */
    NotificationDispatcher dispatcher(NotifyTargets targets, Duration poll) {
        registry = new PrometheusRegistry();
        NotificationDispatcher d = new NotificationDispatcher(store.notifications(), targets, registry,
                Clock.systemUTC(), poll, Math::random).start();
        dispatchers.add(d);
        return d;
    }

    /** Closes the store and opens it again, as a restarted server does. */
    void reopenStore() {
        dispatchers.forEach(NotificationDispatcher::close);
        store.close();
        store = SqliteStore.open(dir.resolve("store.db"));
    }

    AlertNotice notice(String matched) {
        return new AlertNotice(new UUID(0, nextAlertId++), "sudo", "high", "privilege escalation with sudo", "command", matched,
                UUID.fromString("019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b"), "alice", "db-1", "192.0.2.7",
                Instant.now(), "https://audit.example:8443/#/sessions/019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b");
    }

    /** Queues a notice for each target as the alert's transaction does, then wakes the dispatcher (if any). */
    void queue(AlertNotice n, NotificationDispatcher d, String... targets) {
        store.write(tx -> {
            for (String t : targets) {
                tx.enqueueNotification(t, n.toJson(), Instant.now());
            }
            return null;
        });
        if (d != null) {
            d.wake();
        }
    }

    List<OutboxEntry> pending(String target) {
        return store.notifications().pending(target, 0, 1000);
    }

    Map<String, Long> pendingCounts() {
        return store.notifications().pendingCounts();
    }

    /** The Prometheus text of the registry, for asserting on metric lines. */
    String metrics() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.DEFAULT);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        dispatchers.forEach(NotificationDispatcher::close);
        store.close();
    }
}
