package org.ttyaudit.server.forwarding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ttyaudit.server.syslog.Rfc5424Message;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Forwards documents to a Splunk HTTP Event Collector ({@code POST /services/collector/event}, header
 * {@code Authorization: Splunk TOKEN}): a batch is one request whose body is the events' JSON objects one after
 * the other, each
 * <pre>
 * {"time":1700000000.123,"host":"web-1","source":"ttyaudit","sourcetype":"_json","index":"audit","event":{ECS…}}
 * </pre>
 * ({@code time}: epoch seconds with milliseconds; {@code host}: the document's {@code host.name}, left out for the
 * server's own events; {@code index} only when configured). Answers:
 * <ul>
 *   <li>2xx: delivered.</li>
 *   <li>400 (or 413): the collector refused the data. The batch is sent again one event at a time, and an event
 *   that is refused on its own is {@linkplain Delivery#rejected rejected} (kept in the store, counted, not sent
 *   again): it would never be taken, and waiting for it would stop the forwarder for good.</li>
 *   <li>anything else (401/403 a bad or disabled token, 429, 503 server busy, 5xx, no connection): the batch is
 *   tried again later, honouring {@code Retry-After}.</li>
 * </ul>
 * Indexer acknowledgement is not used (a token with it enabled refuses requests without a channel: use a token
 * without it).
 */
final class SplunkHecForwarder implements Forwarder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ERROR_BODY_CHARS = 300;

    private final SplunkHecTarget target;
    private final ForwardingHttp http;

    SplunkHecForwarder(SplunkHecTarget target, Clock clock) {
        this.target = target;
        this.http = new ForwardingHttp(target.settings().timeout(), target.tls(), clock);
    }

    @Override
    public Delivery send(List<ForwardedEvent> batch) throws ForwardException, InterruptedException {
        Answer answer = post(batch);
        if (answer.ok()) {
            return Delivery.ALL;
        }
        if (!answer.refusesData()) {
            throw answer.failure();
        }
        List<Rejection> rejected = new ArrayList<>();
        for (ForwardedEvent e : batch) {
            Answer one = batch.size() == 1 ? answer : post(List.of(e));
            if (one.refusesData()) {
                rejected.add(new Rejection(e, one.describe()));
            } else if (!one.ok()) {
                throw one.failure();
            }
        }
        return new Delivery(rejected);
    }

    /** The request body: the batch's events, concatenated. */
    static byte[] body(List<ForwardedEvent> batch, SplunkHecTarget target) {
        StringBuilder b = new StringBuilder();
        for (ForwardedEvent e : batch) {
            ObjectNode o = JSON.createObjectNode();
            o.put("time", BigDecimal.valueOf(e.timestamp().toEpochMilli()).movePointLeft(3));
            if (e.hostName() != null) {
                o.put("host", e.hostName());
            }
            o.put("source", target.source());
            o.put("sourcetype", target.sourcetype());
            if (target.index() != null) {
                o.put("index", target.index());
            }
            o.set("event", e.document());
            b.append(o);
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private Answer post(List<ForwardedEvent> batch) throws ForwardException, InterruptedException {
        HttpRequest request = http.request(target.endpoint())
                .header("Authorization", "Splunk " + target.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(batch, target))).build();
        return new Answer(http.send(request, ERROR_BODY_CHARS));
    }

    @Override
    public void close() {
        // HttpClient (JDK 17) has no close; a send in progress ends by its timeout or the worker's interrupt
    }

    /** One answer of the collector. */
    private static final class Answer {
        final ForwardingHttp.Reply reply;

        Answer(ForwardingHttp.Reply reply) {
            this.reply = reply;
        }

        boolean ok() {
            return reply.ok();
        }

        /** 400 Bad Request (invalid data, no event, blank event) or 413: the data itself is what is refused. */
        boolean refusesData() {
            return reply.status() == 400 || reply.status() == 413;
        }

        String describe() {
            String text = reply.body.strip();
            try {
                JsonNode j = JSON.readTree(text);
                if (j.hasNonNull("text")) {
                    text = j.get("text").asText() + (j.hasNonNull("code") ? " (code " + j.get("code").asInt() + ")"
                            : "");
                }
            } catch (IOException notJson) {
                // a proxy's page rather than the collector's JSON: its first characters say enough
            }
            return "HTTP " + reply.status() + (text.isEmpty() ? "" : ": " + Rfc5424Message.clean(text));
        }

        ForwardException failure() {
            return reply.failure(describe());
        }
    }
}
