package org.ttyaudit.server.forwarding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.ttyaudit.core.config.YamlConfig;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Splunk HEC forwarder against an HTTP server in the test, checked against Splunk's documented format: the
 * request (method, path, {@code Authorization: Splunk TOKEN}, the body's exact bytes: event objects one after the
 * other) and the answers: 400 refuses an event for good, 503 and 401 are tried again, 413 (too large) halves the
 * request, cuts later batches under the learnt size and refuses an event too large alone for good.
 */
class SplunkHecForwarderTest {

    private static ForwardedEvent event(String id, String host, String millis) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("@timestamp", "2026-11-25T10:00:00." + millis + "Z");
        doc.putObject("event").put("id", id).put("action", "command-end");
        doc.putObject("process").put("command_line", "echo \"hi\" ✓");
        return new ForwardedEvent(id, Instant.parse("2026-11-25T10:00:00." + millis + "Z"), "command-end", host, doc);
    }

    private static ForwardedEvent big(String id, int size) {
        ForwardedEvent e = event(id, "web-1", "001");
        ((ObjectNode) e.document().get("process")).put("command_line", "x".repeat(size));
        return e;
    }

    /** The event ids in the bodies of the requests the collector took (at most {@code max} bytes), in order. */
    private static List<String> taken(List<HecReceiver.Request> requests, int max) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> ids = new ArrayList<>();
        for (HecReceiver.Request r : requests) {
            if (r.body().length <= max) {
                var it = json.readValues(json.getFactory().createParser(r.body()), JsonNode.class);
                while (it.hasNext()) {
                    ids.add(it.next().at("/event/event/id").asText());
                }
            }
        }
        return ids;
    }

    private static SplunkHecTarget target(String url, String extra) {
        ForwardingSettings s = ForwardingSettings.parse(YamlConfig.parse("forwarders:\n  - {name: splunk, type:"
                + " splunk_hec, url: '" + url + "', token: {env: HEC_TOKEN}, timeout: 2s" + extra + "}\n",
                "server.yaml"), name -> name.equals("HEC_TOKEN") ? "11111111-2222-3333-4444-555555555555" : null);
        return (SplunkHecTarget) s.forwarders().get(0);
    }

    @Test
    void aBatchIsOnePostOfConcatenatedEventsWithTheTokenHeader() throws Exception {
        try (HecReceiver hec = new HecReceiver()) {
            SplunkHecTarget t = target(hec.url(), ", index: audit");
            assertThat(t.endpoint().toString()).isEqualTo(hec.url() + "/services/collector/event");
            assertThat(t.toString()).doesNotContain("11111111");
            Forwarder f = t.open(Clock.systemUTC());
            assertThat(f.send(List.of(event("a", "web-1", "125"), event("b", null, "500"))).rejected()).isEmpty();

            HecReceiver.Request r = hec.requests().get(0);
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/services/collector/event");
            assertThat(r.headers().get("Authorization")).containsExactly(
                    "Splunk 11111111-2222-3333-4444-555555555555");
            assertThat(r.headers().get("Content-type")).containsExactly("application/json");
            String doc = "\"event\":{\"@timestamp\":\"2026-11-25T10:00:00.%sZ\",\"event\":{\"id\":\"%s\","
                    + "\"action\":\"command-end\"},\"process\":{\"command_line\":\"echo \\\"hi\\\" ✓\"}}}";
            assertThat(r.text()).isEqualTo(
                    "{\"time\":1795600800.125,\"host\":\"web-1\",\"source\":\"ttyaudit\",\"sourcetype\":\"_json\","
                            + "\"index\":\"audit\"," + String.format(doc, "125", "a")
                            + "{\"time\":1795600800.500,\"source\":\"ttyaudit\",\"sourcetype\":\"_json\","
                            + "\"index\":\"audit\"," + String.format(doc, "500", "b"));
        }
    }

    @Test
    void invalidDataIsRejectedEventByEventAndTheRestDelivered() throws Exception {
        try (HecReceiver hec = new HecReceiver()) {
            hec.answer(r -> r.text().contains("\"bad\"") ? new HecReceiver.Answer(400,
                    "{\"text\":\"Invalid data format\",\"code\":6,\"invalid-event-number\":1}", Map.of())
                    : HecReceiver.Answer.SUCCESS);
            Forwarder f = target(hec.url(), "").open(Clock.systemUTC());
            Forwarder.Delivery d = f.send(List.of(event("a", "h", "001"), event("bad", "h", "002"),
                    event("c", "h", "003")));

            assertThat(d.rejected()).extracting(x -> x.event().id()).containsExactly("bad");
            assertThat(d.rejected().get(0).reason()).isEqualTo("HTTP 400: Invalid data format (code 6)");
            // the batch, then each event alone
            assertThat(hec.requests()).hasSize(4);
            assertThat(hec.requests().subList(1, 4)).extracting(r -> r.text().contains("\"id\":\"a\""),
                    r -> r.text().contains("\"id\":\"bad\""), r -> r.text().contains("\"id\":\"c\""))
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(true, false, false),
                            org.assertj.core.groups.Tuple.tuple(false, true, false),
                            org.assertj.core.groups.Tuple.tuple(false, false, true));
        }
    }

    @Test
    void aBusyOrRefusingCollectorIsTriedAgainLaterHonouringRetryAfter() throws Exception {
        try (HecReceiver hec = new HecReceiver()) {
            hec.answer(r -> new HecReceiver.Answer(503, "{\"text\":\"Server is busy\",\"code\":9}",
                    Map.of("Retry-After", "7")));
            Forwarder f = target(hec.url(), "").open(Clock.systemUTC());
            assertThatThrownBy(() -> f.send(List.of(event("a", "h", "001"))))
                    .isInstanceOfSatisfying(ForwardException.class, e -> {
                        assertThat(e.getMessage()).endsWith("answered HTTP 503: Server is busy (code 9)");
                        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
                    });

            hec.answer(r -> new HecReceiver.Answer(403, "{\"text\":\"Invalid token\",\"code\":4}", Map.of()));
            assertThatThrownBy(() -> f.send(List.of(event("a", "h", "001"))))
                    .isInstanceOf(ForwardException.class).hasMessageContaining("HTTP 403: Invalid token (code 4)")
                    .hasMessageNotContaining("11111111");
        }
    }

    @Test
    void aRequestTooLargeGoesInHalvesAndAnEventTooLargeAloneIsRejectedWithItsSize() throws Exception {
        int max = 2000;
        try (HecReceiver hec = new HecReceiver()) {
            // Splunk's own answer to a body over [http_input] max_content_length
            hec.answer(r -> r.body().length > max ? new HecReceiver.Answer(413, "{\"text\":\"Content-Length of "
                    + r.body().length + " too large (maximum is " + max + ")\",\"code\":27}", Map.of())
                    : HecReceiver.Answer.SUCCESS);
            Forwarder f = target(hec.url(), "").open(Clock.systemUTC());
            List<ForwardedEvent> batch = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                batch.add(big("a" + i, 300));
            }
            ForwardedEvent huge = big("huge", 3000);
            batch.add(4, huge);
            Forwarder.Delivery d = f.send(batch);

            assertThat(d.rejected()).extracting(r -> r.event().id()).containsExactly("huge");
            assertThat(d.rejected().get(0).reason()).matches("HTTP 413: Content-Length of \\d+ too large \\(maximum is"
                    + " 2000\\) \\(code 27\\): the document alone is \\d+ bytes \\(a request of \\d+ bytes\\) and "
                    + hec.url() + "/services/collector/event takes less.*");
            assertThat(taken(hec.requests(), max)).containsExactly("a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7");

            // later batches are cut under the learnt size: nothing is refused
            int before = hec.requests().size();
            List<ForwardedEvent> next = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                next.add(big("b" + i, 300));
            }
            assertThat(f.send(next).rejected()).isEmpty();
            List<HecReceiver.Request> later = hec.requests().subList(before, hec.requests().size());
            assertThat(later).hasSizeLessThan(8).allSatisfy(r -> assertThat(r.body().length).isLessThanOrEqualTo(max));
            assertThat(taken(later, max)).containsExactly("b0", "b1", "b2", "b3", "b4", "b5", "b6", "b7");
        }
    }

    @Test
    void anUnreachableCollectorIsAFailureNamingIt() {
        Forwarder f = target("http://127.0.0.1:9", "").open(Clock.systemUTC());
        assertThatThrownBy(() -> f.send(List.of(event("a", "h", "001")))).isInstanceOf(ForwardException.class)
                .hasMessageContaining("127.0.0.1:9");
    }
}
