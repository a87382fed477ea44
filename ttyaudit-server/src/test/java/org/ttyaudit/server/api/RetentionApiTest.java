package org.ttyaudit.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.server.api.ServerFixture.Response;
import org.ttyaudit.server.testkit.RecordedSession;
import org.ttyaudit.server.verify.DataDirectoryVerifier;
import org.ttyaudit.server.verify.StoreReport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.server.testkit.RecordedSession.concat;
import static org.ttyaudit.server.testkit.RecordedSession.endFrame;
import static org.ttyaudit.server.testkit.RecordedSession.frames;

/**
 * Retention through the API of a real server: holds placed, listed and released (audited), a prune run that spares
 * the held session, what a pruned session looks like (its details say when and by which policy; its content is
 * 410 Gone; its integrity and proofs still hold, with the tombstone), storage statistics checked against the bytes
 * of the chunks sent, the metrics, and the whole data directory verified afterwards.
 */
class RetentionApiTest {

    @Test
    void holdsPruningAndStorageStatistics(@TempDir Path dir) throws Exception {
        // the test sessions ended on 2026-11-25: more than 5 days ago
        Path data = dataDirectory(dir, """
                retention:
                  keep_days: 5
                  minimum_keep_days: 2
                  prune_every: 24h
                """);
        List<Chunk> bobChunks = new ArrayList<>();
        UUID alice;
        UUID bob;
        try (ServerFixture server = new ServerFixture(data)) {
            String admin = server.admin();
            String auditor = server.user(admin, "audra", "auditor");
            String host = server.host(admin, "web-1");
            alice = ended(server, host, new RecordedSession("alice", "web-1"), new ArrayList<>());
            bob = ended(server, host, new RecordedSession("bob", "db-1"), bobChunks);

            Response hold = server.post("/api/v1/holds", admin, Map.of("scope", "session", "value",
                    bob.toString(), "reason", "case 2026-17"));
            assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
            assertThat(hold.json().get("active").asBoolean()).isTrue();
            assertThat(server.post("/api/v1/holds", admin, Map.of("scope", "planet", "value", "x", "reason", "y"))
                    .status()).isEqualTo(400);
            assertThat(server.post("/api/v1/holds", admin, Map.of("scope", "session", "value",
                    UUID.randomUUID().toString(), "reason", "y")).status()).isEqualTo(404);
            assertThat(server.post("/api/v1/holds", auditor, Map.of("scope", "user", "value", "x", "reason", "y"))
                    .status()).as("auditors see holds but do not place them").isEqualTo(403);
            assertThat(server.get("/api/v1/holds", auditor).json()).hasSize(1);

            assertThat(server.server.pruneNow()).isEqualTo(1);

            JsonNode details = server.get("/api/v1/sessions/" + alice, admin).json();
            assertThat(details.get("pruned").get("policy").asText()).isEqualTo("default");
            assertThat(details.get("pruned").get("at").asText()).isNotEmpty();
            assertThat(details.get("chunks").asLong()).as("the chunk rows stay").isEqualTo(2);
            Response record = server.get("/api/v1/sessions/" + alice + "/record", admin);
            assertThat(record.status()).isEqualTo(410);
            assertThat(record.json().get("error").asText()).contains("was pruned on").contains("policy default");
            assertThat(server.get("/api/v1/sessions/" + alice + "/export", admin).status()).isEqualTo(410);
            assertThat(server.get("/api/v1/sessions/" + alice + "/commands", admin).json()).isEmpty();
            JsonNode integrity = server.get("/api/v1/sessions/" + alice + "/integrity", admin).json();
            assertThat(integrity.toString()).contains("\"problems\":[]");
            JsonNode proofs = server.get("/api/v1/sessions/" + alice + "/proofs", admin).json().get("leaves");
            assertThat(proofs.findValuesAsText("kind")).containsExactly("session_start", "chunk", "chunk",
                    "session_end", "tombstone");
            assertThat(server.get("/api/v1/sessions/" + bob + "/record", admin).status()).isEqualTo(200);
            assertThat(server.post("/api/v1/holds", admin, Map.of("scope", "session", "value", alice.toString(),
                    "reason", "too late")).status()).as("a pruned session cannot be held").isEqualTo(409);

            JsonNode stats = server.get("/api/v1/storage/stats?by=user", admin).json();
            long stored = bobChunks.stream().mapToLong(c -> c.toBytes().length).sum();
            long raw = bobChunks.stream().mapToLong(Chunk::uncompressedLength).sum();
            assertThat(stats.get("rows")).hasSize(1);
            JsonNode row = stats.get("rows").get(0);
            assertThat(row.get("key").asText()).isEqualTo("bob");
            assertThat(row.get("sessions").asLong()).isEqualTo(1);
            assertThat(row.get("chunks").asLong()).isEqualTo(2);
            assertThat(row.get("stored_bytes").asLong()).isEqualTo(stored);
            assertThat(row.get("raw_bytes").asLong()).isEqualTo(raw);
            assertThat(row.get("compression_ratio").asDouble()).isCloseTo((double) raw / stored,
                    org.assertj.core.data.Offset.offset(0.001));
            assertThat(stats.get("totals").get("stored_bytes").asLong()).isEqualTo(stored);
            assertThat(stats.get("retention").get("pruned_sessions").asLong()).isEqualTo(1);
            assertThat(stats.get("retention").get("active_holds").asLong()).isEqualTo(1);
            assertThat(server.get("/api/v1/storage/stats?by=day", auditor).json().get("rows").get(0).get("key")
                    .asText()).isEqualTo("2026-11-25");
            assertThat(server.get("/api/v1/storage/stats?by=host", admin).json().get("rows").get(0).get("key")
                    .asText()).isEqualTo("db-1");
            assertThat(server.get("/api/v1/storage/stats?by=planet", admin).status()).isEqualTo(400);
            String metrics = server.get("/metrics", null).text();
            assertThat(metrics).contains("ttyaudit_storage_stored_bytes " + (double) stored)
                    .contains("ttyaudit_retention_pruned_sessions_total 1.0")
                    .contains("ttyaudit_legal_holds_active 1.0");

            String holdId = hold.json().get("id").asText();
            Response released = server.method("DELETE", "/api/v1/holds/" + holdId, admin, null);
            assertThat(released.status()).as(released.toString()).isEqualTo(200);
            assertThat(released.json().get("released_by").asText()).isEqualTo("admin");
            assertThat(server.method("DELETE", "/api/v1/holds/" + holdId, admin, null).status()).isEqualTo(409);
            assertThat(server.get("/api/v1/holds", admin).json()).isEmpty();
            assertThat(server.get("/api/v1/holds?all=true", admin).json()).hasSize(1);
            assertThat(server.server.pruneNow()).as("released: bob's session is due again").isEqualTo(1);

            JsonNode audit = server.get("/api/v1/audit?limit=100", admin).json().get("items");
            assertThat(audit.findValuesAsText("action")).contains("hold.place", "hold.release", "retention.prune");
            assertThat(audit.toString()).contains("case 2026-17").contains(alice.toString());
            assertThat(server.get("/api/v1/storage/stats", admin).json().get("retention").get("pruned_bytes")
                    .asLong()).isGreaterThan(stored);
        }
        StoreReport report = DataDirectoryVerifier.verify(data, null, null);
        assertThat(report.problems()).isEmpty();
        assertThat(report.notes()).anyMatch(n -> n.startsWith("2 sessions were pruned by retention"));
    }

    @Test
    void aPolicyBelowTheComplianceMinimumStopsTheStart(@TempDir Path dir) throws Exception {
        Path data = dataDirectory(dir, """
                retention:
                  keep_days: 365
                  minimum_keep_days: 180
                  rules:
                    - name: scratch-hosts
                      match: {hosts: ['scratch-*']}
                      keep_days: 30
                """);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ServerFixture(data).close())
                .isInstanceOf(org.ttyaudit.core.config.ConfigException.class)
                .hasMessageContaining("server.yaml:7")
                .hasMessageContaining("keep_days of the rule 'scratch-hosts' is 30 days, below minimum_keep_days"
                        + " (180)");
    }

    /** A data directory under {@code dir} whose server.yaml is {@code settings}. */
    private static Path dataDirectory(Path dir, String settings) throws java.io.IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("server.yaml"), settings);
        return data;
    }

    private static UUID ended(ServerFixture server, String host, RecordedSession s, List<Chunk> sent)
            throws Exception {
        Chunk c0 = s.command("ls", "a b", 0);
        Chunk c1 = s.command("cat plan", "the plan", 0);
        sent.add(c0);
        sent.add(c1);
        Response r = server.ingest(host, s.id(), concat(s.headerFrame(), frames(c0, c1), endFrame(s.end())));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return s.id();
    }
}
