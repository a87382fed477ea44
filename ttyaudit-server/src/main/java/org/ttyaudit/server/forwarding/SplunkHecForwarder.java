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
 *   <li>400: the collector refused the data. The batch is sent again one event at a time, and an event that is
 *   refused on its own is {@linkplain Delivery#rejected rejected} (kept in the store, counted, not sent again): it
 *   would never be taken, and waiting for it would stop the forwarder for good.</li>
 *   <li>413: the request was larger than the collector takes ({@code max_content_length} of its
 *   {@code [http_input]}, or a proxy's limit). It is sent again in halves, and later batches are cut under what was
 *   learnt ({@link SplittingSender}); an event refused as too large even alone is rejected, naming its size.</li>
 *   <li>anything else (401/403 a bad or disabled token, 429, 503 server busy, 5xx, no connection): the batch is
 *   tried again later, honouring {@code Retry-After}.</li>
 * </ul>
 * A batch goes in one request up to {@code max_batch_bytes}, in several beyond. Indexer acknowledgement is not
 * used (a token with it enabled refuses requests without a channel: use a token
 * without it).
 */
final class SplunkHecForwarder implements Forwarder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ERROR_BODY_CHARS = 300;

    private final SplunkHecTarget target;
    private final ForwardingHttp http;
    private final SplittingSender sender;

    SplunkHecForwarder(SplunkHecTarget target, Clock clock) {
        this.target = target;
        this.http = new ForwardingHttp(target.settings().timeout(), target.tls(), clock);
        RequestSizeLimit limit = new RequestSizeLimit(target.settings().name(), target.endpoint().toString(),
                target.maxBatchBytes());
        this.sender = new SplittingSender(limit, e -> event(e, target), this::post);
    }

    @Override
    public Delivery send(List<ForwardedEvent> batch) throws ForwardException, InterruptedException {
        return sender.send(batch);
    }

    /** The request body: the batch's events, concatenated. */
    static byte[] body(List<ForwardedEvent> batch, SplunkHecTarget target) {
        StringBuilder b = new StringBuilder();
        batch.forEach(e -> b.append(new String(event(e, target), StandardCharsets.UTF_8)));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One event of a request body. */
    static byte[] event(ForwardedEvent e, SplunkHecTarget target) {
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
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One request of {@code piece}, whose body is {@code body}. */
    private SplittingSender.Outcome post(List<ForwardedEvent> piece, byte[] body)
            throws ForwardException, InterruptedException {
        HttpRequest request = http.request(target.endpoint())
                .header("Authorization", "Splunk " + target.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        Answer answer = new Answer(http.send(request, ERROR_BODY_CHARS));
        if (answer.ok()) {
            return SplittingSender.Outcome.taken(List.of());
        }
        if (answer.status() == 413) {
            return SplittingSender.Outcome.tooLarge(answer.describe());
        }
        if (answer.status() != 400) {
            throw answer.failure();
        }
        // invalid data, no event, blank event: which event, alone, is refused?
        return piece.size() > 1 ? SplittingSender.Outcome.oneByOne()
                : SplittingSender.Outcome.taken(List.of(new Rejection(piece.get(0), answer.describe())));
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

        int status() {
            return reply.status();
        }

        String describe() {
            String text = reply.shownBody();
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
