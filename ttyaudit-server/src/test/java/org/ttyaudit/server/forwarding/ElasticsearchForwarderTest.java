package org.ttyaudit.server.forwarding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.config.YamlConfig;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Elasticsearch/OpenSearch forwarder against an HTTP server in the test: the template check and put, the
 * exact {@code _bulk} NDJSON (action line with index by the document's date and {@code _id} = event.id, then the
 * document), the headers, and the answers item by item: 409 is delivered, 400 rejected, 429/5xx tried again;
 * requests cut under {@code max_batch_bytes}, and a 413 (as a proxy gives it) answered by halving, learning the
 * size for later batches, and rejecting a document too large alone. ElasticsearchForwardingTest runs it against a
 * real OpenSearch node.
 */
class ElasticsearchForwarderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BULK_OK = "{\"errors\":false,\"items\":[]}";

    private static ForwardedEvent event(String id, String instant) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("@timestamp", instant);
        doc.putObject("event").put("id", id).put("action", "command-end");
        doc.putObject("process").put("command_line", "echo \"hi\" ✓");
        return new ForwardedEvent(id, Instant.parse(instant), "command-end", "web-1", doc);
    }

    /** A document whose command line is {@code size} characters long. */
    private static ForwardedEvent event(String id, int size) {
        ForwardedEvent e = event(id, "2026-11-25T10:00:00Z");
        ((ObjectNode) e.document().get("process")).put("command_line", "x".repeat(size));
        return e;
    }

    private static List<ForwardedEvent> events(String prefix, int count, int size) {
        List<ForwardedEvent> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(event(prefix + i, size));
        }
        return out;
    }

    /**
     * A cluster behind a proxy that takes request bodies of at most {@code max} bytes and answers larger ones 413
     * with its HTML page, as nginx does with {@code client_max_body_size}; bulk requests it lets through succeed.
     */
    private static Function<HecReceiver.Request, HecReceiver.Answer> behindProxy(int max) {
        return cluster(r -> r.body().length > max ? new HecReceiver.Answer(413, "<html>\r\n<head><title>413 Request"
                + " Entity Too Large</title></head>\r\n<body><center><h1>413 Request Entity Too Large</h1></center>"
                + "<hr><center>nginx</center></body></html>", Map.of()) : new HecReceiver.Answer(200, BULK_OK, Map.of()));
    }

    /** The {@code _id}s of the bulk requests in {@code requests} whose body is at most {@code max} bytes. */
    private static List<String> taken(List<HecReceiver.Request> requests, int max) throws Exception {
        List<String> ids = new ArrayList<>();
        for (HecReceiver.Request r : requests) {
            if (r.method().equals("POST") && r.body().length <= max) {
                String[] lines = r.text().split("\n");
                for (int i = 0; i < lines.length; i += 2) {
                    ids.add(JSON.readTree(lines[i]).at("/create/_id").asText());
                }
            }
        }
        return ids;
    }

    private static List<HecReceiver.Request> bulks(List<HecReceiver.Request> requests) {
        return requests.stream().filter(r -> r.method().equals("POST")).toList();
    }

    private static ElasticsearchTarget target(String url, String extra) {
        ForwardingSettings s = ForwardingSettings.parse(YamlConfig.parse("forwarders:\n  - {name: Es, type:"
                + " elasticsearch, url: '" + url + "', timeout: 2s" + extra + "}\n", "server.yaml"),
                name -> name.equals("ES_PASSWORD") ? "s3cret" : null);
        return (ElasticsearchTarget) s.forwarders().get(0);
    }

    /** A cluster without the template at first: HEAD 404 until it is PUT; bulk answers by {@code bulk}. */
    private static Function<HecReceiver.Request, HecReceiver.Answer> cluster(
            Function<HecReceiver.Request, HecReceiver.Answer> bulk) {
        boolean[] put = {false};
        return r -> switch (r.method()) {
            case "HEAD" -> new HecReceiver.Answer(put[0] ? 200 : 404, "", Map.of());
            case "PUT" -> {
                put[0] = true;
                yield new HecReceiver.Answer(200, "{\"acknowledged\":true}", Map.of());
            }
            default -> bulk.apply(r);
        };
    }

    @Test
    void theTemplateIsPutOnceThenABatchIsOneBulkOfCreateLinesWithTheEventIds() throws Exception {
        try (HecReceiver es = new HecReceiver()) {
            es.answer(cluster(r -> new HecReceiver.Answer(200, BULK_OK, Map.of())));
            ElasticsearchTarget t = target(es.url() + "/", ", user: elastic, password: {env: ES_PASSWORD}");
            assertThat(t.toString() + t.settings()).doesNotContain("s3cret");
            Forwarder f = t.open(Clock.systemUTC());
            assertThat(f.send(List.of(event("s1:3", "2026-11-25T23:59:59.125Z"), event("s1:end",
                    "2026-11-26T00:00:00.500Z"))).rejected()).isEmpty();

            List<HecReceiver.Request> rs = es.requests();
            assertThat(rs).extracting(HecReceiver.Request::method, HecReceiver.Request::path).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("HEAD", "/_index_template/ttyaudit"),
                    org.assertj.core.groups.Tuple.tuple("PUT", "/_index_template/ttyaudit"),
                    org.assertj.core.groups.Tuple.tuple("POST", "/_bulk"));
            String basic = "Basic " + Base64.getEncoder().encodeToString("elastic:s3cret".getBytes(
                    StandardCharsets.UTF_8));
            assertThat(rs).allSatisfy(r -> assertThat(r.headers().get("Authorization")).containsExactly(basic));
            assertThat(JSON.readTree(rs.get(1).body())).isEqualTo(JSON.readTree(
                    ElasticsearchForwarder.template("ttyaudit-*")));

            HecReceiver.Request bulk = rs.get(2);
            assertThat(bulk.query()).isEqualTo("filter_path=errors,items.*.status,items.*.error");
            assertThat(bulk.headers().get("Content-type")).containsExactly("application/x-ndjson");
            String doc = "{\"@timestamp\":\"%s\",\"event\":{\"id\":\"%s\",\"action\":\"command-end\"},"
                    + "\"process\":{\"command_line\":\"echo \\\"hi\\\" ✓\"}}\n";
            assertThat(bulk.text()).isEqualTo(
                    "{\"create\":{\"_index\":\"ttyaudit-2026.11.25\",\"_id\":\"s1:3\"}}\n"
                            + String.format(doc, "2026-11-25T23:59:59.125Z", "s1:3")
                            + "{\"create\":{\"_index\":\"ttyaudit-2026.11.26\",\"_id\":\"s1:end\"}}\n"
                            + String.format(doc, "2026-11-26T00:00:00.500Z", "s1:end"));

            // the same day again: no check; a new day: checked (present now), not put again
            f.send(List.of(event("s2:0", "2026-11-26T08:00:00Z")));
            f.send(List.of(event("s3:0", "2026-11-27T08:00:00Z")));
            assertThat(es.requests().subList(3, es.requests().size())).extracting(HecReceiver.Request::method)
                    .containsExactly("POST", "HEAD", "POST");
        }
    }

    @Test
    void theTemplateMapsTheEcsFieldsForTheIndexPattern() throws Exception {
        JsonNode t = JSON.readTree(ElasticsearchForwarder.template("audit-*-x"));
        assertThat(t.get("index_patterns")).containsExactly(JsonNodeFactory.instance.textNode("audit-*-x"));
        assertThat(t.get("priority").asInt()).isEqualTo(200);
        JsonNode p = t.at("/template/mappings/properties");
        assertThat(p.at("/@timestamp/type").asText()).isEqualTo("date");
        for (String keyword : List.of("/user/properties/name", "/host/properties/name", "/event/properties/action",
                "/event/properties/id", "/ttyaudit/properties/session/properties/id")) {
            assertThat(p.at(keyword + "/type").asText()).as(keyword).isEqualTo("keyword");
        }
        assertThat(p.at("/source/properties/ip/type").asText()).isEqualTo("ip");
        assertThat(p.at("/process/properties/command_line/type").asText()).isEqualTo("keyword");
        assertThat(p.at("/process/properties/command_line/fields/text/type").asText()).isEqualTo("text");
        assertThat(p.at("/process/properties/exit_code/type").asText()).isEqualTo("long");
        assertThat(p.at("/ttyaudit/properties/audit/properties/detail/enabled").asBoolean(true)).isFalse();
        assertThat(t.at("/template/mappings/date_detection").asBoolean(true)).isFalse();
    }

    @Test
    void aConflictIsDeliveredAMappingErrorRejectedAndTheRestTaken() throws Exception {
        try (HecReceiver es = new HecReceiver()) {
            es.answer(cluster(r -> new HecReceiver.Answer(200, "{\"errors\":true,\"items\":["
                    + "{\"create\":{\"status\":201}},"
                    + "{\"create\":{\"status\":409,\"error\":{\"type\":\"version_conflict_engine_exception\","
                    + "\"reason\":\"[b]: version conflict, document already exists\"}}},"
                    + "{\"create\":{\"status\":400,\"error\":{\"type\":\"mapper_parsing_exception\","
                    + "\"reason\":\"failed to parse field [source.ip] of type [ip]\"}}}]}", Map.of())));
            Forwarder f = target(es.url(), "").open(Clock.systemUTC());
            Forwarder.Delivery d = f.send(List.of(event("a", "2026-11-25T10:00:00Z"),
                    event("b", "2026-11-25T10:00:01Z"), event("bad", "2026-11-25T10:00:02Z")));
            assertThat(d.rejected()).extracting(x -> x.event().id()).containsExactly("bad");
            assertThat(d.rejected().get(0).reason()).isEqualTo(
                    "HTTP 400: mapper_parsing_exception: failed to parse field [source.ip] of type [ip]");
            assertThat(es.requests().get(2).headers()).doesNotContainKey("Authorization");
        }
    }

    @Test
    void aFullQueueOrABusyClusterIsTriedAgainHonouringRetryAfter() throws Exception {
        try (HecReceiver es = new HecReceiver()) {
            es.answer(cluster(r -> new HecReceiver.Answer(200, "{\"errors\":true,\"items\":["
                    + "{\"create\":{\"status\":201}},{\"create\":{\"status\":429,\"error\":{\"type\":"
                    + "\"rejected_execution_exception\",\"reason\":\"queue full\"}}},"
                    + "{\"create\":{\"status\":400,\"error\":{\"type\":\"mapper_parsing_exception\"}}}]}", Map.of())));
            Forwarder f = target(es.url(), ", api_key: {env: ES_PASSWORD}").open(Clock.systemUTC());
            List<ForwardedEvent> batch = List.of(event("a", "2026-11-25T10:00:00Z"),
                    event("b", "2026-11-25T10:00:01Z"), event("c", "2026-11-25T10:00:02Z"));
            assertThatThrownBy(() -> f.send(batch)).isInstanceOf(ForwardException.class).hasMessage(es.url()
                    + "/_bulk did not take 1 of 3 documents (first: HTTP 429: rejected_execution_exception: queue"
                    + " full); the batch is sent again");
            assertThat(es.requests().get(0).headers().get("Authorization")).containsExactly("ApiKey s3cret");

            es.answer(cluster(r -> new HecReceiver.Answer(429, "{\"error\":{\"type\":\"es_rejected_execution"
                    + "_exception\",\"reason\":\"rejected\"},\"status\":429}", Map.of("Retry-After", "7"))));
            assertThatThrownBy(() -> f.send(batch)).isInstanceOfSatisfying(ForwardException.class, e -> {
                assertThat(e.getMessage()).endsWith(
                        "answered HTTP 429: es_rejected_execution_exception: rejected");
                assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
            });

            es.answer(r -> new HecReceiver.Answer(r.method().equals("HEAD") ? 403 : 200, "", Map.of()));
            Forwarder fresh = target(es.url(), ", api_key: {env: ES_PASSWORD}").open(Clock.systemUTC());
            assertThatThrownBy(() -> fresh.send(batch)).isInstanceOf(ForwardException.class)
                    .hasMessageContaining("HTTP 403 to the template check").hasMessageNotContaining("s3cret");
        }
    }

    @Test
    void aBatchTheProxyFindsTooLargeGoesInHalvesAndLaterBatchesAreCutUnderTheLearntSize() throws Exception {
        int max = 2500;
        try (HecReceiver es = new HecReceiver()) {
            es.answer(behindProxy(max));
            Forwarder f = target(es.url(), "").open(Clock.systemUTC());
            List<ForwardedEvent> first = events("a", 16, 400);
            assertThat(ElasticsearchForwarder.body(first, IndexName.parse("ttyaudit")).length).isGreaterThan(3 * max);

            assertThat(f.send(first).rejected()).isEmpty();
            List<HecReceiver.Request> firstBulks = bulks(es.requests());
            assertThat(firstBulks.get(0).body().length).isGreaterThan(max);
            // every document went in, once: halves of halves, in feed order
            assertThat(taken(firstBulks, max)).containsExactlyElementsOf(first.stream().map(ForwardedEvent::id)
                    .toList());

            // the next batch is cut under what the 413s taught at once: no request is refused
            int before = es.requests().size();
            List<ForwardedEvent> second = events("b", 16, 400);
            assertThat(f.send(second).rejected()).isEmpty();
            List<HecReceiver.Request> secondBulks = bulks(es.requests().subList(before, es.requests().size()));
            assertThat(secondBulks).allSatisfy(r -> assertThat(r.body().length).isLessThanOrEqualTo(max));
            assertThat(secondBulks).hasSizeLessThan(16);
            assertThat(taken(secondBulks, max)).containsExactlyElementsOf(second.stream().map(ForwardedEvent::id)
                    .toList());
        }
    }

    @Test
    void aDocumentTooLargeEvenAloneIsRejectedWithItsSizeAndTheOthersDelivered() throws Exception {
        int max = 2500;
        try (HecReceiver es = new HecReceiver()) {
            es.answer(behindProxy(max));
            Forwarder f = target(es.url(), "").open(Clock.systemUTC());
            List<ForwardedEvent> batch = new ArrayList<>(events("a", 3, 400));
            ForwardedEvent huge = event("huge", 5000);
            batch.add(1, huge);
            Forwarder.Delivery d = f.send(batch);

            assertThat(d.rejected()).extracting(r -> r.event().id()).containsExactly("huge");
            int size = huge.json().getBytes(StandardCharsets.UTF_8).length;
            assertThat(d.rejected().get(0).reason()).startsWith("HTTP 413: 413 Request Entity Too Large: the document"
                    + " alone is " + size + " bytes (a request of ").contains(es.url() + "/_bulk takes less")
                    .contains("http.max_content_length").doesNotContain("<");
            assertThat(taken(bulks(es.requests()), max)).containsExactly("a0", "a1", "a2");
        }
    }

    @Test
    void maxBatchBytesCutsABatchIntoRequestsAndAFailedPieceFailsTheBatch() throws Exception {
        try (HecReceiver es = new HecReceiver()) {
            int[] bulk = {0};
            // the third request fails once (a busy cluster): the batch fails, and goes again whole later
            es.answer(cluster(r -> ++bulk[0] == 3 ? new HecReceiver.Answer(503, "{\"error\":\"busy\"}", Map.of())
                    : new HecReceiver.Answer(200, BULK_OK, Map.of())));
            Forwarder f = target(es.url(), ", max_batch_bytes: 2KiB").open(Clock.systemUTC());
            List<ForwardedEvent> batch = events("a", 10, 400);
            assertThatThrownBy(() -> f.send(batch)).isInstanceOf(ForwardException.class).hasMessageContaining(
                    "HTTP 503: busy");
            int before = es.requests().size();
            assertThat(f.send(batch).rejected()).isEmpty();

            List<HecReceiver.Request> bulks = bulks(es.requests().subList(before, es.requests().size()));
            assertThat(bulks).hasSizeGreaterThan(2).allSatisfy(r -> assertThat(r.body().length)
                    .isLessThanOrEqualTo(2048));
            assertThat(taken(bulks, 2048)).containsExactlyElementsOf(batch.stream().map(ForwardedEvent::id).toList());
            // a document larger than max_batch_bytes alone is still sent (the cluster's limit decides)
            assertThat(f.send(List.of(event("big", 4000))).rejected()).isEmpty();
            assertThat(es.requests().get(es.requests().size() - 1).body().length).isGreaterThan(4000);
        }
    }

    @Test
    void theIndexIsFixedOrDatedByTheDocumentsTimeInUtc() {
        IndexName dated = IndexName.parse("audit-%{+yyyy.MM}-tty");
        assertThat(dated.at(Instant.parse("2026-12-31T23:30:00Z"))).isEqualTo("audit-2026.12-tty");
        assertThat(dated.templatePattern()).isEqualTo("audit-*-tty");
        IndexName fixed = IndexName.parse("ttyaudit");
        assertThat(fixed.at(Instant.EPOCH)).isEqualTo("ttyaudit");
        assertThat(fixed.templatePattern()).isEqualTo("ttyaudit");
        ElasticsearchTarget t = target("http://127.0.0.1:9200/proxy/", "");
        assertThat(t.bulkUri().toString()).startsWith("http://127.0.0.1:9200/proxy/_bulk?");
        assertThat(t.templateUri().toString()).isEqualTo("http://127.0.0.1:9200/proxy/_index_template/ttyaudit");
        assertThat(t.index().templatePattern()).isEqualTo("ttyaudit-*");
    }

    @Test
    void mistakesStopTheStartWithTheKey() {
        assertThat(error(", index: Audit")).contains("index:").contains("not a valid index name");
        assertThat(error(", index: '%{+yyyy}'")).contains("needs a fixed part");
        assertThat(error(", index: 'a-%{+yyyy}-%{+MM}'")).contains("more than one");
        assertThat(error(", index: 'a-%{+yyyy.qqqqqq}'")).contains("not a date pattern");
        assertThat(error(", user: elastic")).contains("give user and password together");
        assertThat(error(", api_key: k, user: u, password: p")).contains("either api_key or user");
        assertThat(error(", template: 'Bad Name'")).contains("template:");
        assertThat(error(", max_batch_bytes: 100")).contains("max_batch_bytes: 100 is outside 1KiB..1GiB");
        assertThat(error(", max_batch_bytes: lots")).contains("max_batch_bytes:").contains("not a size");
        assertThat(target("http://127.0.0.1:9200", "").maxBatchBytes()).isEqualTo(5L << 20);
        assertThat(target("http://127.0.0.1:9200", ", max_batch_bytes: 1MiB").maxBatchBytes()).isEqualTo(1L << 20);
        assertThatThrownBy(() -> target("http://es.example:9200", "")).hasMessageContaining("unencrypted");
        assertThatThrownBy(() -> target("http://u:p@127.0.0.1:9200", "")).hasMessageContaining("without credentials");
    }

    private static String error(String extra) {
        try {
            target("http://127.0.0.1:9200", extra);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + extra);
    }
}
