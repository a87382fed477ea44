package org.ttyaudit.server.forwarding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ttyaudit.server.syslog.Rfc5424Message;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Forwards documents to Elasticsearch or OpenSearch with the {@code _bulk} API: a batch is one
 * {@code POST /_bulk} of NDJSON, two lines a document,
 * <pre>
 * {"create":{"_index":"ttyaudit-2026.11.25","_id":"EVENT.ID"}}
 * {ECS document}
 * </pre>
 * {@code create} with {@code _id} = the document's {@code event.id}: a document sent again (its answer was lost,
 * the server restarted) is refused by the cluster as a version conflict (409) instead of stored twice, and the
 * 409 counts as delivered. Before the first batch, and before each batch that goes to an index not seen yet (a new
 * day), the composable index template ({@code elasticsearch-template.json}) is checked and put when missing, so
 * the new index is created with the ECS mapping ({@code user.name} keyword, {@code source.ip} ip, …).
 * <p>
 * Answers, per item of the bulk response: 2xx or 409 delivered; 400 (a mapping or parsing error: the document can
 * never be indexed as it is) {@linkplain Delivery#rejected rejected}; anything else (429 queue full, 5xx, 401/403,
 * 404 when indices are not created automatically) a {@link ForwardException}, as is a whole answer other than 2xx
 * (honouring {@code Retry-After}). The worker then sends the whole batch again: the SPI has no "retry only these",
 * and the {@code _id}s make that safe, since the items that went in come back as 409s.
 * <p>
 * Size: a batch goes in one request up to {@code max_batch_bytes}, in several beyond ({@link SplittingSender}).
 * A request answered 413 (larger than the cluster's {@code http.max_content_length} or a proxy's limit) is sent
 * again in halves, and later batches are cut under what was learnt; a document refused as too large even alone is
 * rejected, naming its size, like a 400: it could never be indexed, and forwarding must go on.
 */
final class ElasticsearchForwarder implements Forwarder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEMPLATE_RESOURCE = "elasticsearch-template.json";
    private static final int ERROR_BODY_CHARS = 300;
    /** The bulk answer is read whole: under 100 bytes an item (filtered), and a batch holds at most 10,000. */
    private static final int BULK_ANSWER_BYTES = 64 << 20;
    private static final int CHECKED_INDICES = 64;

    private final ElasticsearchTarget target;
    private final ForwardingHttp http;
    private final byte[] template;
    /** The indices batches went to after the template was checked (the newest few: old days come back rarely). */
    private final Set<String> checkedIndices = new LinkedHashSet<>();
    private final SplittingSender sender;

    ElasticsearchForwarder(ElasticsearchTarget target, Clock clock) {
        this.target = target;
        this.http = new ForwardingHttp(target.settings().timeout(), target.tls(), clock);
        this.template = template(target.index().templatePattern());
        RequestSizeLimit limit = new RequestSizeLimit(target.settings().name(), target.base() + "/_bulk",
                target.maxBatchBytes());
        this.sender = new SplittingSender(limit, e -> lines(e, target.index()), this::bulk);
    }

    @Override
    public Delivery send(List<ForwardedEvent> batch) throws ForwardException, InterruptedException {
        Set<String> indices = new LinkedHashSet<>();
        batch.forEach(e -> indices.add(target.index().at(e.timestamp())));
        if (!checkedIndices.containsAll(indices)) {
            ensureTemplate();
            checkedIndices.addAll(indices);
            while (checkedIndices.size() > CHECKED_INDICES) {
                checkedIndices.remove(checkedIndices.iterator().next());
            }
        }
        return sender.send(batch);
    }

    /** One {@code _bulk} request of {@code piece}, whose NDJSON is {@code body}. */
    private SplittingSender.Outcome bulk(List<ForwardedEvent> piece, byte[] body)
            throws ForwardException, InterruptedException {
        ForwardingHttp.Reply reply = http.send(authorized(http.request(target.bulkUri()))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), BULK_ANSWER_BYTES);
        if (reply.status() == 413) {
            return SplittingSender.Outcome.tooLarge(describe(reply));
        }
        if (!reply.ok()) {
            throw reply.failure(describe(reply));
        }
        return SplittingSender.Outcome.taken(items(piece, reply.body).rejected());
    }

    /** The NDJSON body of {@code batch}: an action line and a document line per event, each ending in a newline. */
    static byte[] body(List<ForwardedEvent> batch, IndexName index) {
        StringBuilder b = new StringBuilder();
        batch.forEach(e -> b.append(new String(lines(e, index), StandardCharsets.UTF_8)));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The two lines of {@code e} in a bulk body: its {@code create} action and the document. */
    static byte[] lines(ForwardedEvent e, IndexName index) {
        ObjectNode action = JSON.createObjectNode();
        action.putObject("create").put("_index", index.at(e.timestamp())).put("_id", e.id());
        return (action + "\n" + e.json() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The template's body: the resource with {@code index_patterns} set to {@code pattern}. */
    static byte[] template(String pattern) {
        try (InputStream in = ElasticsearchForwarder.class.getResourceAsStream(TEMPLATE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(TEMPLATE_RESOURCE + " is missing from the class path");
            }
            ObjectNode t = (ObjectNode) JSON.readTree(in);
            t.putArray("index_patterns").add(pattern);
            return JSON.writeValueAsBytes(t);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts the index template unless the cluster has it (a template changed by hand is left as it is). */
    private void ensureTemplate() throws ForwardException, InterruptedException {
        ForwardingHttp.Reply head = http.send(authorized(http.request(target.templateUri()))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), 0);
        if (head.ok()) {
            return;
        }
        if (head.status() != 404) {
            throw head.failure("HTTP " + head.status() + " to the template check");
        }
        ForwardingHttp.Reply put = http.send(authorized(http.request(target.templateUri()))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(template)).build(), ERROR_BODY_CHARS);
        if (!put.ok()) {
            throw put.failure(describe(put) + " to the index template " + target.template());
        }
    }

    /** What became of each item: delivered, rejected (400), or a failure for the whole batch. */
    private Delivery items(List<ForwardedEvent> batch, String answer) throws ForwardException {
        JsonNode root;
        try {
            root = JSON.readTree(answer);
        } catch (IOException e) {
            throw new ForwardException(target.base() + "/_bulk answered with a body that is not JSON: "
                    + Rfc5424Message.clean(answer.substring(0, Math.min(answer.length(), ERROR_BODY_CHARS))));
        }
        if (!root.path("errors").asBoolean(false)) {
            return Delivery.ALL;
        }
        JsonNode items = root.path("items");
        if (items.size() != batch.size()) {
            throw new ForwardException(target.base() + "/_bulk answered " + items.size() + " items for "
                    + batch.size() + " documents");
        }
        List<Rejection> rejected = new ArrayList<>();
        String retry = null;
        int retriable = 0;
        for (int i = 0; i < batch.size(); i++) {
            JsonNode item = items.get(i).path("create");
            int status = item.path("status").asInt();
            if (status / 100 == 2 || status == 409) {
                continue;
            }
            if (status == 400) {
                rejected.add(new Rejection(batch.get(i), "HTTP 400: " + reason(item.path("error"))));
            } else {
                retriable++;
                if (retry == null) {
                    retry = "HTTP " + status + ": " + reason(item.path("error"));
                }
            }
        }
        if (retriable > 0) {
            throw new ForwardException(target.base() + "/_bulk did not take " + retriable + " of " + batch.size()
                    + " documents (first: " + retry + "); the batch is sent again");
        }
        return new Delivery(rejected);
    }

    /** An item's or answer's {@code error}: {@code type: reason} (Elasticsearch's and OpenSearch's form). */
    private static String reason(JsonNode error) {
        if (error.isTextual()) {
            return Rfc5424Message.clean(error.asText());
        }
        String type = error.path("type").asText("");
        String reason = error.path("reason").asText("");
        String text = type.isEmpty() ? reason : reason.isEmpty() ? type : type + ": " + reason;
        return Rfc5424Message.clean(text.length() > ERROR_BODY_CHARS ? text.substring(0, ERROR_BODY_CHARS) + "…"
                : text);
    }

    private static String describe(ForwardingHttp.Reply reply) {
        String text = reply.shownBody();
        try {
            JsonNode j = JSON.readTree(text);
            if (j != null && j.has("error")) {
                text = reason(j.get("error"));
            }
        } catch (IOException notJson) {
            // a proxy's page rather than the cluster's JSON: its first characters say enough
        }
        if (text.length() > ERROR_BODY_CHARS) {
            text = text.substring(0, ERROR_BODY_CHARS) + "…";
        }
        return "HTTP " + reply.status() + (text.isEmpty() ? "" : ": " + Rfc5424Message.clean(text));
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder b) {
        return target.authorization() == null ? b : b.header("Authorization", target.authorization());
    }

    @Override
    public void close() {
        // HttpClient (JDK 17) has no close; a send in progress ends by its timeout or the worker's interrupt
    }
}
