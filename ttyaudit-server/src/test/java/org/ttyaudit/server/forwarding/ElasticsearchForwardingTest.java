package org.ttyaudit.server.forwarding;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.server.api.ServerFixture;
import org.ttyaudit.server.testkit.RecordedSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.ttyaudit.server.forwarding.RsyslogForwardingTest.FAST_RETRY;
import static org.ttyaudit.server.forwarding.RsyslogForwardingTest.WAIT;
import static org.ttyaudit.server.forwarding.RsyslogForwardingTest.awaitStatus;
import static org.ttyaudit.server.forwarding.RsyslogForwardingTest.idsOf;
import static org.ttyaudit.server.forwarding.RsyslogForwardingTest.session;
import static org.ttyaudit.server.forwarding.RsyslogForwardingTest.settings;

/**
 * Forwarding to a real OpenSearch 2.19 node ({@link OpenSearchNode}, a child JVM): a real server forwards the
 * sessions, commands and its own events it accepts, and the test queries the node back: the index template is
 * there and gave the indices the ECS mapping, the documents are found by {@code user.name} and
 * {@code process.command_line}, there are as many as were delivered, and a second forwarder that sends the whole
 * history again adds none (create with {@code _id} = event.id: every resent document is a 409). The node takes
 * requests of at most {@value #MAX_CONTENT} ({@code http.max_content_length}, 100mb by default): a batch larger than
 * that is sent in pieces, each document once, and a document larger on its own is rejected with its size, across a
 * restart of the server.
 */
class ElasticsearchForwardingTest {
    private static final String MAX_CONTENT = "16kb";
    private static OpenSearchNode node;
    private static long startMillis;

    @TempDir
    Path dir;

    @BeforeAll
    static void startNode(@TempDir Path home) throws Exception {
        long t = System.nanoTime();
        try {
            node = OpenSearchNode.start(home, Duration.ofSeconds(60), Map.of("http.max_content_length",
                    MAX_CONTENT));
        } catch (IOException e) {
            // only a node that cannot start here skips, and it says why (its output's last lines)
            assumeTrue(false, "an OpenSearch node cannot start on this machine: " + e.getMessage());
        }
        startMillis = (System.nanoTime() - t) / 1_000_000;
        System.out.println("OpenSearch node up at " + node.url + " in " + startMillis + " ms");
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void sessionsAreIndexedWithTheEcsMappingAndOnceEachEvenWhenSentAgain() throws Exception {
        String forwarder = "    - {name: opensearch, type: elasticsearch, url: '" + node.url + "', batch_size: 5}\n";
        Path data = settings(dir, forwarder + FAST_RETRY);
        Set<String> expected = new HashSet<>();
        RecordedSession ls;
        String apiToken;
        try (ServerFixture server = new ServerFixture(data)) {
            String admin = server.admin();
            apiToken = server.post("/api/v1/tokens", admin, Map.of("name", "test")).json().get("token").asText();
            String host = server.host(admin, "web-1");
            ls = session(server, host, "ls -la", "false");
            expected.addAll(idsOf(ls, 2));
            expected.addAll(idsOf(session(server, host, "echo hi"), 1));
            server.server.awaitForwarded(WAIT);
            awaitCount("ttyaudit-*", () -> forwarded(server, admin, 0));
            assertThat(status(server, admin, 0).get("rejected").asLong()).isZero();
        }

        JsonNode template = node.call("GET", "/_index_template/ttyaudit", null).json();
        assertThat(template.at("/index_templates/0/index_template/index_patterns/0").asText()).isEqualTo("ttyaudit-*");
        String today = "ttyaudit-" + DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC)
                .format(Instant.now());
        JsonNode mapping = node.call("GET", "/" + today + "/_mapping", null).json().at("/" + today
                + "/mappings/properties");
        assertThat(mapping.at("/user/properties/name/type").asText()).isEqualTo("keyword");
        assertThat(mapping.at("/source/properties/ip/type").asText()).isEqualTo("ip");
        assertThat(mapping.at("/process/properties/command_line/fields/text/type").asText()).isEqualTo("text");
        assertThat(mapping.at("/process/properties/exit_code/type").asText()).isEqualTo("long");

        JsonNode hits = search("{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"user.name\":\"alice\"}},"
                + "{\"term\":{\"process.command_line\":\"ls -la\"}},{\"term\":{\"event.action\":\"command-end\"}}]}}}");
        assertThat(hits.at("/total/value").asInt()).isEqualTo(1);
        assertThat(hits.at("/hits/0/_id").asText()).isEqualTo(ls.id() + ":3");
        assertThat(hits.at("/hits/0/_source/process/exit_code").asInt()).isZero();
        assertThat(hits.at("/hits/0/_source/host/name").asText()).isEqualTo("web-1");
        assertThat(search("{\"query\":{\"match\":{\"process.command_line.text\":\"echo\"}}}").at("/total/value")
                .asInt()).isPositive();
        Set<String> ids = ids();
        assertThat(ids).containsAll(expected);

        // a second forwarder starts at the oldest leaf: the whole history goes to the same indices again
        Files.writeString(data.resolve("server.yaml"), "forwarding:\n  forwarders:\n" + forwarder
                + forwarder.replace("name: opensearch", "name: again") + FAST_RETRY);
        try (ServerFixture server = new ServerFixture(data)) {
            String admin = apiToken;
            server.server.awaitForwarded(WAIT);
            // everything "again" delivered was already there or is new since: still one document per event
            awaitCount("ttyaudit-*", () -> forwarded(server, admin, 1));
            JsonNode again = status(server, admin, 1);
            assertThat(again.get("forwarded").asLong()).isGreaterThanOrEqualTo(ids.size());
            assertThat(again.get("rejected").asLong()).isZero();
        }
        node.call("POST", "/ttyaudit-*/_refresh", null);
        JsonNode all = node.call("POST", "/ttyaudit-*/_search", "{\"size\":0,\"track_total_hits\":true,\"aggs\":"
                + "{\"ids\":{\"cardinality\":{\"field\":\"event.id\",\"precision_threshold\":10000}}}}").json();
        // as many documents as distinct event ids: none twice, not even in two indices
        assertThat(all.at("/hits/total/value").asLong()).isEqualTo(all.at("/aggregations/ids/value").asLong());
        assertThat(ids()).containsAll(ids);
    }

    @Test
    void aBatchOverTheNodesContentLimitGoesInPiecesAndADocumentTooLargeAloneIsRejected() throws Exception {
        String forwarder = "    - {name: small, type: elasticsearch, url: '" + node.url + "', batch_size: 20,"
                + " index: 'small-%{+yyyy.MM.dd}', template: small}\n";
        Path data = settings(dir, forwarder + FAST_RETRY);
        // about 1.6 KiB a command: a batch of 20 documents is far over the node's 16 KiB
        String[] commands = new String[8];
        for (int i = 0; i < commands.length; i++) {
            commands[i] = "echo " + i + " " + "word ".repeat(320);
        }
        // 20,000 characters: its start, exec and end are each larger than the node takes
        String huge = "printf " + "y".repeat(20_000);
        Set<String> expected = new HashSet<>();
        Set<String> tooLarge = new HashSet<>();
        String apiToken;
        try (ServerFixture server = new ServerFixture(data)) {
            String admin = server.admin();
            apiToken = server.post("/api/v1/tokens", admin, Map.of("name", "test")).json().get("token").asText();
            String host = server.host(admin, "web-1");
            expected.addAll(idsOf(session(server, host, commands), commands.length));
            RecordedSession withHuge = session(server, host, "ls", huge, "pwd");
            Set<String> ids = idsOf(withHuge, 3);
            tooLarge.addAll(List.of(withHuge.id() + ":4", withHuge.id() + ":5", withHuge.id() + ":7"));
            ids.removeAll(tooLarge);
            expected.addAll(ids);
            // the server stops once a first batch is in, with more pending, in pieces or not yet sent
            awaitStatus(server, admin, st -> st.get("forwarded").asLong() > 0);
        }
        try (ServerFixture server = new ServerFixture(data)) {
            server.server.awaitForwarded(WAIT);
            JsonNode status = status(server, apiToken, 0);
            assertThat(status.get("failures").asInt()).isZero();
            assertThat(status.get("rejected").asLong()).isEqualTo(3);
            assertThat(status.get("recent_rejections").findValuesAsText("event_id")).containsExactlyInAnyOrderElementsOf(
                    tooLarge);
            assertThat(status.get("recent_rejections").findValuesAsText("reason")).allSatisfy(reason ->
                    assertThat(reason).startsWith("HTTP 413").contains("the document alone is")
                            .contains(node.url + "/_bulk takes less"));
            assertThat(server.get("/metrics", null).text())
                    .contains("ttyaudit_forward_rejected_total{forwarder=\"small\"} 3.0");
            awaitCount("small-*", () -> forwarded(server, apiToken, 0));
            node.call("POST", "/small-*/_refresh", null);
            JsonNode all = node.call("POST", "/small-*/_search", "{\"size\":1000,\"_source\":false,"
                    + "\"track_total_hits\":true}").json().get("hits");
            Set<String> inIndex = new HashSet<>();
            all.get("hits").forEach(h -> inIndex.add(h.get("_id").asText()));
            // every document once (none twice, even those sent again after the restart), none of the refused
            assertThat(all.at("/total/value").asLong()).isEqualTo(inIndex.size());
            assertThat(inIndex).containsAll(expected).doesNotContainAnyElementsOf(tooLarge);
        }
    }

    private static JsonNode status(ServerFixture server, String token, int index) throws Exception {
        return server.get("/api/v1/forwarders", token).json().get("forwarders").get(index);
    }

    private static long forwarded(ServerFixture server, String token, int index) {
        try {
            return status(server, token, index).get("forwarded").asLong();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until the node holds in {@code indices} as many documents as {@code delivered} says (a head signed
     * meanwhile is one more on both sides); fails with both numbers.
     */
    private static void awaitCount(String indices, LongSupplier delivered) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long count;
        long sent;
        do {
            node.call("POST", "/" + indices + "/_refresh", null);
            count = node.call("GET", "/" + indices + "/_count", null).json().get("count").asLong();
            sent = delivered.getAsLong();
            if (count == sent) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertThat(count).as("documents in the node vs delivered").isEqualTo(sent);
    }

    private static JsonNode search(String query) throws Exception {
        node.call("POST", "/ttyaudit-*/_refresh", null);
        OpenSearchNode.Answer a = node.call("POST", "/ttyaudit-*/_search", query);
        assertThat(a.status()).as(a.json().toString()).isEqualTo(200);
        return a.json().get("hits");
    }

    /** Every document's {@code _id}; fails if one is in the node twice (in two indices). */
    private static Set<String> ids() throws Exception {
        JsonNode hits = search("{\"size\":5000,\"_source\":false,\"track_total_hits\":true}");
        List<String> list = new java.util.ArrayList<>();
        hits.get("hits").forEach(h -> list.add(h.get("_id").asText()));
        Set<String> set = new HashSet<>(list);
        assertThat(set).as("ids in the node").hasSameSizeAs(list);
        assertThat((long) list.size()).isEqualTo(hits.at("/total/value").asLong());
        return set;
    }
}
