package org.ttyaudit.server.forwarding;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.config.YamlConfig;
import org.ttyaudit.server.audit.AuditLog;
import org.ttyaudit.server.ledger.Ledger;
import org.ttyaudit.server.notify.RetryPolicy;
import org.ttyaudit.server.store.ForwardCursor;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.store.sqlite.SqliteStore;
import org.ttyaudit.server.testkit.ManualClock;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One forwarder's rounds on a manual clock: batches in feed order, the cursor moved only after a delivery,
 * exponential backoff up to the cap (no giving up), the lag in entries and seconds, and where a new cursor starts.
 */
class ForwarderWorkerTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @TempDir
    Path dir;
    Store store;
    ManualClock clock = new ManualClock(T0);
    AuditLog audit;
    final List<List<String>> sent = new ArrayList<>();
    int failuresLeft;

    /** A receiver that fails while {@code failuresLeft} > 0, else takes the batch. */
    final Forwarder receiver = new Forwarder() {
        @Override
        public Delivery send(List<ForwardedEvent> batch) throws ForwardException {
            if (failuresLeft > 0) {
                failuresLeft--;
                throw new ForwardException("receiver down");
            }
            sent.add(batch.stream().map(ForwardedEvent::action).toList());
            return Delivery.ALL;
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir.resolve("store.db"));
        audit = new AuditLog(store, new Ledger(), clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private ForwarderWorker worker(String start) {
        ForwarderTarget t = ForwardingSettings.parse(YamlConfig.parse("forwarders:\n  - {name: w, type: fluentd,"
                + " host: 127.0.0.1, protocol: tcp, batch_size: 2, start: " + start + "}\n", "server.yaml"))
                .forwarders().get(0);
        RetryPolicy retry = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofDays(1));
        ForwarderWorker w = new ForwarderWorker(t, receiver, new ForwardFeed(store, null, "w"), store.forwarding(),
                retry, new ForwardingMetrics(new PrometheusRegistry(), List::of), clock, () -> 0.5,
                Duration.ofSeconds(1));
        w.load(store.ledger().size(), -1);
        return w;
    }

    private void audited(String... actions) {
        for (String a : actions) {
            audit.record("admin", a, null, Map.of());
        }
    }

    @Test
    void batchesGoInFeedOrderAndTheCursorMovesOnlyAfterADelivery() {
        audited("a1", "a2", "a3");
        ForwarderWorker w = worker("oldest");
        assertThat(w.status().pending()).isEqualTo(3);

        failuresLeft = 1;
        assertThat(w.round()).isZero();
        assertThat(store.forwarding().cursor("w").orElseThrow().nextLeaf()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(w.round()).isEqualTo(2);
        assertThat(w.round()).isEqualTo(1);
        assertThat(w.round()).isZero();
        assertThat(sent).containsExactly(List.of("a1", "a2"), List.of("a3"));
        assertThat(store.forwarding().cursor("w")).contains(new ForwardCursor(3, -1, 3, 0, T0.plusSeconds(1)));
        assertThat(w.status().pending()).isZero();
        assertThat(w.status().failures()).isZero();
    }

    @Test
    void failuresBackOffExponentiallyUpToTheCapAndNeverGiveUp() {
        audited("a1");
        ForwarderWorker w = worker("oldest");
        failuresLeft = 100;
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            assertThat(w.round()).isZero();
            Instant due = w.status().nextAttemptAt();
            waits.add(Duration.between(clock.instant(), due));
            clock.advance(Duration.between(clock.instant(), due).minusMillis(1));
            assertThat(w.round()).as("not before it is due").isZero();
            clock.advance(Duration.ofMillis(1));
        }
        // 1 s doubling to the 5 s cap, each at 90 % (the jitter is 80-100 %, here its middle)
        assertThat(waits).extracting(Duration::toMillis).containsExactly(900L, 1800L, 3600L, 4500L, 4500L, 4500L);
        assertThat(w.status().failures()).isEqualTo(6);
        assertThat(w.status().lastError()).isEqualTo("receiver down");
        assertThat(w.status().pending()).isEqualTo(1);
        assertThat(w.status().lagSeconds()).isEqualTo(Duration.between(T0, clock.instant()).toMillis() / 1000.0);

        failuresLeft = 0;
        assertThat(w.round()).isEqualTo(1);
        assertThat(w.status().nextAttemptAt()).isNull();
        assertThat(w.status().lagSeconds()).isZero();
    }

    @Test
    void theLagInSecondsCountsFromTheLastMomentNothingWasPending() {
        ForwarderWorker w = worker("oldest");
        clock.advance(Duration.ofMinutes(10));
        assertThat(w.round()).isZero();   // idle: nothing pending
        clock.advance(Duration.ofSeconds(3));
        audited("a1");
        assertThat(w.status().pending()).isEqualTo(1);
        assertThat(w.status().lagSeconds()).isEqualTo(3.0);
    }

    @Test
    void aNewCursorStartsAtTheLatestWhenTheSettingsSaySo() {
        audited("old1", "old2");
        ForwarderWorker w = worker("latest");
        assertThat(w.status().pending()).isZero();
        audited("new");
        assertThat(w.round()).isEqualTo(1);
        assertThat(sent).containsExactly(List.of("new"));
    }
}
