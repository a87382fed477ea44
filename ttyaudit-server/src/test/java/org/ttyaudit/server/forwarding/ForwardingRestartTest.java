package org.ttyaudit.server.forwarding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.server.api.ServerFixture;
import org.ttyaudit.server.testkit.RecordedSession;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.server.forwarding.RsyslogForwardingTest.awaitStatus;
import static org.ttyaudit.server.forwarding.RsyslogForwardingTest.idsOf;
import static org.ttyaudit.server.forwarding.RsyslogForwardingTest.session;
import static org.ttyaudit.server.forwarding.RsyslogForwardingTest.settings;

/**
 * A real server restarted in the middle of forwarding resumes from its durable cursor: what the receiver had
 * accepted before the stop is not sent again (beyond the one batch a stop may cut), and everything else arrives,
 * including what was accepted while the receiver refused. Also: an event the collector refuses for good is kept
 * and counted, and does not hold up the rest.
 */
class ForwardingRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int BATCH = 4;

    @TempDir
    Path dir;

    @Test
    void aRestartedServerResumesFromTheCursorWithoutLoss() throws Exception {
        try (HecReceiver hec = new HecReceiver()) {
            Path data = settings(dir, "    - {name: splunk, type: splunk_hec, url: '" + hec.url() + "', token: t0k3n,"
                    + " batch_size: " + BATCH + "}\n  retry: {first_delay: 50ms, max_delay: 200ms}\n");
            AtomicInteger accepted = new AtomicInteger();
            // the collector takes three batches, then is busy: the server stops in the middle of the feed
            hec.answer(r -> accepted.incrementAndGet() <= 3 ? HecReceiver.Answer.SUCCESS
                    : new HecReceiver.Answer(503, "{\"text\":\"Server is busy\",\"code\":9}", Map.of()));
            Set<String> expected = new TreeSet<>();
            String apiToken;
            List<String> before;
            try (ServerFixture server = new ServerFixture(data)) {
                String admin = server.admin();
                apiToken = server.post("/api/v1/tokens", admin, Map.of("name", "test")).json().get("token").asText();
                String host = server.host(admin, "web-1");
                for (int i = 0; i < 3; i++) {
                    expected.addAll(idsOf(session(server, host, "echo " + i, "ls"), 2));
                }
                JsonNode status = awaitStatus(server, admin, st -> st.get("failures").asInt() >= 2);
                assertThat(status.get("pending").asLong()).isPositive();
                assertThat(status.get("lag_seconds").asDouble()).isPositive();
                before = ids(hec.requests().subList(0, 3));
                assertThat(status.get("forwarded").asLong()).isEqualTo(before.size());
            }

            int requestsBefore = hec.requests().size();
            hec.answer(r -> HecReceiver.Answer.SUCCESS);
            try (ServerFixture server = new ServerFixture(data)) {
                server.server.awaitForwarded(WAIT);
                JsonNode status = server.get("/api/v1/forwarders", apiToken).json().get("forwarders").get(0);
                assertThat(status.get("pending").asLong()).isZero();
                assertThat(status.get("failures").asInt()).isZero();
            }
            List<String> after = ids(hec.requests().subList(requestsBefore, hec.requests().size()));
            Set<String> all = new TreeSet<>(before);
            all.addAll(after);
            assertThat(all).containsAll(expected);
            // resumed from the cursor: nothing accepted before the stop came again
            assertThat(after).doesNotContainAnyElementsOf(before);
            Map<String, Integer> times = new HashMap<>();
            after.forEach(id -> times.merge(id, 1, Integer::sum));
            // the refused batches before the stop were retried; after the restart each went once
            assertThat(times.values()).allMatch(n -> n == 1);
        }
    }

    @Test
    void anEventTheCollectorRefusesForGoodIsKeptAndTheRestGoesOn() throws Exception {
        try (HecReceiver hec = new HecReceiver()) {
            Path data = settings(dir, "    - {name: splunk, type: splunk_hec, url: '" + hec.url() + "', token: t0k3n}\n");
            hec.answer(r -> r.text().contains("\"command_line\":\"refused\"") ? new HecReceiver.Answer(400,
                    "{\"text\":\"Invalid data format\",\"code\":6}", Map.of()) : HecReceiver.Answer.SUCCESS);
            try (ServerFixture server = new ServerFixture(data)) {
                String admin = server.admin();
                String host = server.host(admin, "web-1");
                RecordedSession s = session(server, host, "refused", "fine");
                server.server.awaitForwarded(WAIT);
                JsonNode status = server.get("/api/v1/forwarders", admin).json().get("forwarders").get(0);
                // the start, the exec and the end of "refused"
                assertThat(status.get("rejected").asLong()).isEqualTo(3);
                assertThat(status.get("recent_rejections").findValuesAsText("event_id")).containsExactly(
                        s.id() + ":3", s.id() + ":1", s.id() + ":0");
                assertThat(status.get("recent_rejections").get(0).get("reason").asText())
                        .isEqualTo("HTTP 400: Invalid data format (code 6)");
                assertThat(server.get("/metrics", null).text())
                        .contains("ttyaudit_forward_rejected_total{forwarder=\"splunk\"} 3.0");
                List<String> delivered = ids(hec.requests().stream().filter(r -> !r.text().contains("\"refused\""))
                        .toList());
                assertThat(delivered).contains(s.id() + ":end", s.id() + ":7");
            }
        }
    }

    /** The event ids in the bodies of {@code requests}, in order. */
    private static List<String> ids(List<HecReceiver.Request> requests) throws Exception {
        List<String> out = new ArrayList<>();
        for (HecReceiver.Request r : requests) {
            var parser = JSON.getFactory().createParser(r.body());
            var it = JSON.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                out.add(it.next().at("/event/event/id").asText());
            }
        }
        return out;
    }
}
