package org.ttyaudit.server.notify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.server.testkit.ChildJvm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.server.notify.Eventually.until;
import static org.ttyaudit.server.notify.OutboxFixture.FAST_RETRY;

/** What one dispatcher left in the outbox, the next one delivers: after a stop, and after kill -9. */
class DispatcherRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aRestartedServerDeliversWhatWasPendingExactlyOnce() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.http(); OutboxFixture f = new OutboxFixture(dir)) {
            receiver.answer(500, Map.of());
            String settings = "  targets:\n    - {name: ops, type: webhook, url: '" + receiver.url("/h") + "'}\n"
                    + FAST_RETRY;
            NotificationDispatcher first = f.dispatcher(f.targets(settings));
            AlertNotice a = f.notice("sudo -i");
            AlertNotice b = f.notice("su -");
            f.queue(a, first, "ops");
            f.queue(b, first, "ops");
            until(WAIT, "failed attempts", () -> f.pending("ops").get(0).attempts() >= 2);
            first.close();
            int failedRequests = receiver.requests().size();

            f.reopenStore();
            assertThat(f.pending("ops")).hasSize(2);
            receiver.answer(200, Map.of());
            f.dispatcher(f.targets(settings));
            until(WAIT, "both delivered", () -> f.pending("ops").isEmpty());
            Thread.sleep(300);
            List<WebhookReceiver.Request> after = receiver.requests().subList(failedRequests,
                    receiver.requests().size());
            assertThat(after).extracting(r -> AlertNotice.fromJson(r.body())).containsExactly(a, b);
        }
    }

    @Test
    void afterKill9TheNextDispatcherDeliversEverythingIncludingTheNotificationInFlight() throws Exception {
        Path db = dir.resolve("store.db");
        try (WebhookReceiver receiver = WebhookReceiver.http()) {
            receiver.hold();   // the first POST arrives and is never answered: in flight when the server dies
            try (ChildJvm child = ChildJvm.start(dir, OutboxCrashSender.class, db.toString(), receiver.url("/h"),
                    "3")) {
                child.awaitLines(3, WAIT);
                until(WAIT, "the first notification in flight", () -> receiver.requests().size() == 1);
                List<String> lines = child.killAndCollect();
                assertThat(lines).containsExactly("queued 1", "queued 2", "queued 3");
            }
            receiver.release();

            try (OutboxFixture f = new OutboxFixture(dir)) {
                assertThat(f.pending("ops")).extracting(e -> AlertNotice.fromJson(e.noticeJson()).alertId()
                        .getLeastSignificantBits()).containsExactly(1L, 2L, 3L);
                f.dispatcher(f.targets("  targets:\n    - {name: ops, type: webhook, url: '" + receiver.url("/h")
                        + "'}\n"));
                until(WAIT, "all delivered", () -> f.pending("ops").isEmpty());
                // at least once: alert 1 reached the receiver before the crash and again after it
                assertThat(receiver.requests()).extracting(r -> AlertNotice.fromJson(r.body()).alertId()
                        .getLeastSignificantBits()).containsExactly(1L, 1L, 2L, 3L);
            }
        }
    }
}
