package org.ttyaudit.server.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.server.store.OutboxEntry;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.server.notify.Eventually.until;
import static org.ttyaudit.server.notify.OutboxFixture.FAST_RETRY;

/** Notifications to a real HTTP(S) listener: the documented bodies, outages, retries, order and latency. */
class WebhookDeliveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private OutboxFixture f;
    private WebhookReceiver receiver;

    @BeforeEach
    void setUp() throws Exception {
        f = new OutboxFixture(dir);
        receiver = WebhookReceiver.http();
    }

    @AfterEach
    void tearDown() {
        f.close();
        receiver.close();
    }

    private String webhook(String name, String url, String extra) {
        return "    - {name: " + name + ", type: webhook, url: '" + url + "'" + extra + "}\n";
    }

    @Test
    void theReceiverGetsTheDocumentedJsonWithTheConfiguredHeaders() throws Exception {
        Files.writeString(dir.resolve("ops.token"), "Bearer t0ken\n");
        NotificationDispatcher d = f.dispatcher(f.targets("  targets:\n" + webhook("ops", receiver.url("/hook"),
                ", headers: {Authorization: {file: ops.token}}")));
        AlertNotice n = f.notice("sudo -n true");
        f.queue(n, d, "ops");

        until(WAIT, "the webhook received the notice", () -> receiver.requests().size() == 1);
        WebhookReceiver.Request r = receiver.requests().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/hook");
        assertThat(r.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(r.header("Authorization")).isEqualTo("Bearer t0ken");
        assertThat(r.header("Upgrade")).as("no h2c upgrade offered over plain HTTP").isNull();
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.properties()).extracting(Map.Entry::getKey).containsExactly("alert_id", "rule", "severity",
                "description", "trigger", "matched", "session_id", "user", "host", "client_address", "at",
                "session_url");
        assertThat(body.get("alert_id").asText()).isEqualTo(n.alertId().toString());
        assertThat(body.get("matched").asText()).isEqualTo("sudo -n true");
        assertThat(body.get("session_id").asText()).isEqualTo("019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b");
        assertThat(AlertNotice.fromJson(r.body())).isEqualTo(n);
        until(WAIT, "the entry left the outbox", () -> f.pending("ops").isEmpty());
        assertThat(f.metrics()).contains("ttyaudit_notify_sent_total{target=\"ops\"} 1.0")
                .contains("ttyaudit_notify_delivery_seconds_count{target=\"ops\"} 1");
    }

    @Test
    void aSlackTargetGetsTextAndBlocksWithMarkupEscaped() throws Exception {
        NotificationDispatcher d = f.dispatcher(f.targets("  targets:\n" + webhook("chat", receiver.url("/slack"),
                ", format: slack")));
        AlertNotice n = f.notice("curl http://x/<@channel> | sh && echo `id`");
        f.queue(n, d, "chat");

        until(WAIT, "the webhook received the message", () -> receiver.requests().size() == 1);
        JsonNode body = JSON.readTree(receiver.requests().get(0).body());
        String text = body.get("text").asText();
        assertThat(text).startsWith(":rotating_light: *[HIGH] sudo* alice@db-1: `")
                .contains("&lt;@channel&gt; | sh &amp;&amp; echo \u02CBid\u02CB")
                .doesNotContain("<@channel>")
                .endsWith("<https://audit.example:8443/#/sessions/019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b|Open the"
                        + " session>");
        JsonNode blocks = body.get("blocks");
        assertThat(blocks.get(0).get("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).get("text").get("text").asText()).isEqualTo("[HIGH] sudo");
        assertThat(blocks.get(1).get("text").get("text").asText()).isEqualTo("privilege escalation with sudo\n```"
                + "curl http://x/&lt;@channel&gt; | sh &amp;&amp; echo \u02CBid\u02CB```");
        List<String> fields = new ArrayList<>();
        blocks.get(2).get("fields").forEach(x -> fields.add(x.get("text").asText()));
        assertThat(fields).contains("*User*\nalice", "*Host*\ndb-1", "*Client*\n192.0.2.7", "*Trigger*\ncommand",
                "*Session*\n019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b");
        assertThat(fields).anySatisfy(x -> assertThat(x).startsWith("*Alert*\n#" + n.alertId() + " at "));
    }

    @Test
    void anOutageKeepsTheEntryPendingWithItsErrorThenItIsDeliveredExactlyOnce() throws Exception {
        receiver.answer(500, Map.of());
        NotificationDispatcher d = f.dispatcher(f.targets("  targets:\n" + webhook("ops", receiver.url("/h"), "")
                + FAST_RETRY));
        AlertNotice n = f.notice("sudo -i");
        f.queue(n, d, "ops");

        until(WAIT, "three failed attempts", () -> receiver.requests().size() >= 3);
        OutboxEntry e = f.pending("ops").get(0);
        assertThat(e.attempts()).isGreaterThanOrEqualTo(2);
        assertThat(e.lastError()).isEqualTo("http://127.0.0.1:" + receiver.url("").split(":")[2]
                + " answered HTTP 500: receiver says no");
        assertThat(e.state()).isEqualTo(OutboxEntry.State.PENDING);

        receiver.stop();   // down: connections refused
        int before = receiver.requests().size();
        until(WAIT, "an attempt against the stopped receiver failed", () ->
                f.pending("ops").get(0).lastError().contains("ConnectException"));
        assertThat(f.pending("ops").get(0).lastError()).startsWith("cannot POST to http://127.0.0.1:");

        receiver.answer(200, Map.of());
        receiver.start();
        until(WAIT, "the entry was delivered", () -> f.pending("ops").isEmpty());
        Thread.sleep(500);   // ample time for a duplicate, had there been one
        List<WebhookReceiver.Request> all = receiver.requests();
        assertThat(all.size()).isEqualTo(before + 1);
        assertThat(all).allSatisfy(r -> assertThat(AlertNotice.fromJson(r.body())).isEqualTo(n));
        String metrics = f.metrics();
        assertThat(metrics).contains("ttyaudit_notify_sent_total{target=\"ops\"} 1.0")
                .doesNotContain("ttyaudit_notify_pending{target=\"ops\"}");
        assertThat(metrics).containsPattern("ttyaudit_notify_failed_attempts_total\\{target=\"ops\"} [3-9]");
    }

    @Test
    void retryAfterIsHonoured() throws Exception {
        receiver.answerNext(503, Map.of("Retry-After", "1"));
        NotificationDispatcher d = f.dispatcher(f.targets("  targets:\n" + webhook("ops", receiver.url("/h"), "")
                + FAST_RETRY));
        f.queue(f.notice("x"), d, "ops");

        until(WAIT, "the retry", () -> receiver.requests().size() == 2);
        long gapMillis = (receiver.requests().get(1).nanoTime() - receiver.requests().get(0).nanoTime()) / 1_000_000;
        // Not the 50 ms the backoff would have taken. No upper bound beyond WAIT: a loaded machine may be late.
        assertThat(gapMillis).isGreaterThanOrEqualTo(950L);
        until(WAIT, "delivered", () -> f.pending("ops").isEmpty());
    }

    @Test
    void deliveryIsGivenUpAfterTheMaximumAgeAndTheEntryIsKeptAsFailed() throws Exception {
        receiver.answer(500, Map.of());
        NotificationDispatcher d = f.dispatcher(f.targets("  targets:\n" + webhook("ops", receiver.url("/h"), "")
                + "  retry: {first_delay: 50ms, max_delay: 100ms, give_up_after: 400ms}\n"));
        AlertNotice first = f.notice("one");
        f.queue(first, d, "ops");

        until(WAIT, "given up", () -> f.store.notifications().failedCount() == 1);
        OutboxEntry failed = f.store.notifications().failed(10).get(0);
        assertThat(AlertNotice.fromJson(failed.noticeJson())).isEqualTo(first);
        assertThat(failed.state()).isEqualTo(OutboxEntry.State.FAILED);
        assertThat(failed.attempts()).isGreaterThanOrEqualTo(3);
        assertThat(failed.lastError()).contains("answered HTTP 500");
        assertThat(failed.failedAt()).isAfterOrEqualTo(failed.queuedAt().plusMillis(400));
        assertThat(f.pending("ops")).isEmpty();
        assertThat(f.metrics()).contains("ttyaudit_notify_given_up_total{target=\"ops\"} 1.0")
                .contains("ttyaudit_notify_failed 1.0");

        // the target is not stuck: the next alert goes out once the receiver is back
        receiver.answer(200, Map.of());
        f.queue(f.notice("two"), d, "ops");
        until(WAIT, "the next one delivered", () -> f.pending("ops").isEmpty()
                && receiver.requests().get(receiver.requests().size() - 1).body().contains("\"two\""));
    }

    @Test
    void aTargetsNotificationsArriveInTheOrderTheyWereQueued() throws Exception {
        receiver.answerNext(500, Map.of());   // the first attempt fails: the others must wait for it
        NotificationDispatcher d = f.dispatcher(f.targets("  targets:\n" + webhook("ops", receiver.url("/h"), "")
                + FAST_RETRY));
        List<UUID> queued = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            AlertNotice n = f.notice("cmd " + i);
            queued.add(n.alertId());
            f.queue(n, d, "ops");
        }
        until(WAIT, "all delivered", () -> f.pending("ops").isEmpty());
        List<UUID> delivered = new ArrayList<>();
        for (WebhookReceiver.Request r : receiver.requests().subList(1, receiver.requests().size())) {
            delivered.add(AlertNotice.fromJson(r.body()).alertId());
        }
        assertThat(delivered).containsExactlyElementsOf(queued);
        assertThat(AlertNotice.fromJson(receiver.requests().get(0).body()).alertId()).isEqualTo(queued.get(0));
    }

    @Test
    void aTargetThatIsDownDoesNotHoldUpTheOthers() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();   // nothing listens there once it is closed
        }
        NotificationDispatcher d = f.dispatcher(f.targets("  targets:\n"
                + webhook("down", "http://127.0.0.1:" + closedPort + "/h", "")
                + webhook("up", receiver.url("/h"), "") + FAST_RETRY));
        for (int i = 0; i < 5; i++) {
            f.queue(f.notice("cmd " + i), d, "down", "up");
        }
        until(WAIT, "the healthy target delivered all five", () -> receiver.requests().size() == 5
                && !f.pendingCounts().containsKey("up"));
        assertThat(f.pendingCounts()).containsExactly(Map.entry("down", 5L));
        until(WAIT, "the first entry of the target that is down failed", () ->
                f.pending("down").get(0).attempts() > 0);
        assertThat(f.pending("down").get(0).lastError()).contains("ConnectException");
        assertThat(f.metrics()).contains("ttyaudit_notify_pending{target=\"down\"} 5.0");
    }

    @Test
    void httpsNeedsATrustedCertificateAndCaFileAddsOne() throws Exception {
        ReceiverCertificate cert = ReceiverCertificate.create(dir.resolve("receiver"));
        Path caFile = cert.caFile();
        try (WebhookReceiver https = WebhookReceiver.https(cert)) {
            NotificationDispatcher d = f.dispatcher(f.targets("  targets:\n"
                    + webhook("untrusted", https.url("/h"), "")
                    + webhook("trusted", https.url("/h"), ", ca_file: '" + caFile + "'") + FAST_RETRY));
            AlertNotice n = f.notice("x");
            f.queue(n, d, "untrusted", "trusted");

            until(WAIT, "the trusted target delivered", () -> https.requests().size() == 1
                    && f.pending("trusted").isEmpty());
            assertThat(AlertNotice.fromJson(https.requests().get(0).body())).isEqualTo(n);
            until(WAIT, "the untrusted one failed", () -> f.pending("untrusted").get(0).attempts() > 0);
            assertThat(f.pending("untrusted").get(0).lastError()).contains("SSLHandshakeException");
            assertThat(https.requests()).hasSize(1);
        }
    }

    /**
     * The issue's latency budget (Enter to webhook p99 ≤ 1 s) leaves this part a fraction: from the commit that
     * queued the notice to the receiver having it. Asserted without a clock: the dispatcher's own poll comes only
     * once an hour here, so each of the 200 notices arriving within {@link #WAIT} was sent because the commit
     * woke the dispatcher (a p99 limit of 250 ms flaked on a loaded machine). The latency is printed.
     */
    @Test
    void aQueuedNotificationReachesTheReceiverAtOnce() throws Exception {
        NotificationDispatcher d = f.dispatcher(f.targets("  targets:\n" + webhook("ops", receiver.url("/h"), "")),
                Duration.ofHours(1));
        List<Long> micros = new ArrayList<>();
        List<Long> withCommit = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int expected = i + 1;
            AlertNotice n = f.notice("cmd " + i);
            long start = System.nanoTime();
            f.queue(n, null, "ops");   // the alert's transaction, committed (fsync'd)
            long committed = System.nanoTime();
            d.wake();
            until(WAIT, "delivered", () -> receiver.requests().size() == expected);
            micros.add((receiver.requests().get(i).nanoTime() - committed) / 1000);
            withCommit.add((receiver.requests().get(i).nanoTime() - start) / 1000);
        }
        Collections.sort(micros);
        Collections.sort(withCommit);
        System.out.printf("commit-to-webhook latency over 200: p50 %d us, p99 %d us, max %d us;"
                        + " with the commit: p50 %d us, p99 %d us%n", micros.get(99), micros.get(197),
                micros.get(199), withCommit.get(99), withCommit.get(197));
    }
}
