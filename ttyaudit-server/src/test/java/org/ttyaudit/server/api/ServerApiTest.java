package org.ttyaudit.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.format.ChunkEncoder;
import org.ttyaudit.core.format.RecordVerifier;
import org.ttyaudit.core.format.VerifyReport;
import org.ttyaudit.core.ledger.Ed25519Keys;
import org.ttyaudit.core.ledger.LedgerEntry;
import org.ttyaudit.core.ledger.LedgerJson;
import org.ttyaudit.core.ledger.MerkleVerifier;
import org.ttyaudit.core.ledger.SignedTreeHead;
import org.ttyaudit.core.ledger.TreeHeadVerifier;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.server.api.ServerFixture.Response;
import org.ttyaudit.server.testkit.RecordedSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.server.testkit.RecordedSession.concat;
import static org.ttyaudit.server.testkit.RecordedSession.endFrame;
import static org.ttyaudit.server.testkit.RecordedSession.frames;

class ServerApiTest {

    @TempDir
    Path dir;

    ServerFixture server;

    @BeforeEach
    void start() throws Exception {
        server = new ServerFixture(dir.resolve("data"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void firstStartCreatesAnAdminWhoMustChooseAPassword() throws Exception {
        assertThat(server.oneTimePassword).hasSizeGreaterThanOrEqualTo(20);
        String first = server.login("admin", server.oneTimePassword);

        Response denied = server.get("/api/v1/sessions", first);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.text()).contains("change your one-time password first");

        String admin = server.admin();
        assertThat(server.get("/api/v1/sessions", admin).status()).isEqualTo(200);
        assertThat(server.post("/api/v1/login", null, Map.of("name", "admin", "password",
                server.oneTimePassword)).status()).isEqualTo(401);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("data/keys/ledger.key")))).isEqualTo("rw-------");
    }

    @Test
    void aSecondStartPrintsNoPassword() throws Exception {
        server.close();
        server = new ServerFixture(dir.resolve("data"));
        assertThat(server.oneTimePassword).isNull();
    }

    @Test
    void anEnrolledHostStreamsASessionThatCanBeListedSearchedDownloadedAndVerified() throws Exception {
        String admin = server.admin();
        String host = server.host(admin, "web-1");
        RecordedSession s = new RecordedSession("alice", "web-1");

        JsonNode started = server.ingest(host, s.id(), s.headerFrame()).json();
        assertThat(started.get("committed_seq").asLong()).isEqualTo(-1);
        JsonNode running = server.get("/api/v1/sessions/" + s.id(), admin).json();
        assertThat(running.get("state").asText()).as("its recorder was just heard from").isEqualTo("live");
        assertThat(running.get("ended_at").isNull()).isTrue();
        assertThat(running.get("duration_ms").asLong()).as("so far").isPositive();
        Chunk a = s.command("cat /etc/passwd", "root:x:0:0:root:/root:/bin/bash", 0);
        JsonNode afterA = server.ingest(host, s.id(), frames(a)).json();
        assertThat(afterA.get("committed_seq").asLong()).isZero();
        assertThat(afterA.get("last_hash").asText()).isEqualTo(HexFormat.of().formatHex(a.hash()));
        Chunk b = s.command("rm -rf /tmp/build", "", 0);
        JsonNode end = server.ingest(host, s.id(), concat(frames(b), endFrame(s.end()))).json();
        assertThat(end.get("ended").asBoolean()).isTrue();
        assertThat(server.get("/api/v1/ingest/sessions/" + s.id(), host).json().get("committed_seq").asLong())
                .isEqualTo(1);

        JsonNode list = server.get("/api/v1/sessions", admin).json();
        assertThat(list.get("items")).hasSize(1);
        JsonNode session = list.get("items").get(0);
        assertThat(session.get("user").asText()).isEqualTo("alice");
        assertThat(session.get("state").asText()).isEqualTo("ended");
        assertThat(session.get("commands").asLong()).isEqualTo(2);
        assertThat(session.get("host").asText()).isEqualTo("web-1");
        assertThat(session.get("uploaded_by").asText()).isEqualTo("web-1");
        assertThat(session.get("client_address").asText()).isEqualTo("10.0.0.9 5122 10.0.0.1 22");
        assertThat(session.get("started_at").asText()).isEqualTo("2026-11-25T10:00:00Z");
        assertThat(session.get("ended_at").asText()).isEqualTo("2026-11-25T10:05:00Z");
        assertThat(session.get("duration_ms").asLong()).isEqualTo(300_000);
        assertThat(session.get("exit_status").asInt()).isZero();

        JsonNode commands = server.get("/api/v1/sessions/" + s.id() + "/commands", admin).json();
        assertThat(commands).extracting(c -> c.get("command").asText())
                .containsExactly("cat /etc/passwd", "rm -rf /tmp/build");
        assertThat(commands.get(0).get("exit_code").asInt()).isZero();

        JsonNode hits = server.get("/api/v1/search?q=passwd", admin).json().get("items");
        assertThat(hits).isNotEmpty();
        assertThat(hits.get(0).get("session_id").asText()).isEqualTo(s.id().toString());
        server.awaitOutputIndexed();
        JsonNode outputHits = server.get("/api/v1/search?q=%2Fbin%2Fbash", admin).json().get("items");
        assertThat(outputHits).extracting(h -> h.get("kind").asText()).contains("output");
        // a substring (*text*) searches command lines only; a too short one is the client's mistake
        JsonNode substringHits = server.get("/api/v1/search?q=*-RF%20%2Ftmp*", admin).json().get("items");
        assertThat(substringHits).extracting(h -> h.get("snippet").asText())
                .containsExactly("rm [[-rf]] /[[tmp]]/build");
        assertThat(server.get("/api/v1/search?q=*bin%2Fbash*", admin).json().get("items")).isEmpty();
        assertStatus(server.get("/api/v1/search?q=*rf*", admin), 400, "shorter than 3 characters");

        Response record = server.get("/api/v1/sessions/" + s.id() + "/record", admin);
        assertThat(record.status()).isEqualTo(200);
        Path file = Files.write(dir.resolve("downloaded.tta"), record.body());
        VerifyReport report = RecordVerifier.verify(file);
        assertThat(report.problems()).isEmpty();
        assertThat(report.complete()).isTrue();

        Response cast = server.get("/api/v1/sessions/" + s.id() + "/export?format=asciicast-v2", admin);
        assertThat(cast.text().lines().findFirst().orElseThrow()).contains("\"version\":2");
        assertThat(cast.text()).contains("root:x:0:0");

        JsonNode audit = server.get("/api/v1/audit?limit=100", admin).json().get("items");
        List<String> actions = new ArrayList<>();
        audit.forEach(e -> actions.add(e.get("action").asText()));
        assertThat(actions).contains("search", "session.view", "session.download", "session.export", "login",
                "host.enroll", "password.change");
    }

    @Test
    void everyRecordOfASessionIsProvablyInTheSignedLedger() throws Exception {
        String admin = server.admin();
        String host = server.host(admin, "web-1");
        RecordedSession s = new RecordedSession("alice", "web-1");
        server.ingest(host, s.id(), concat(s.headerFrame(), frames(s.command("id", "uid=1000", 0),
                s.command("w", "10:00 up", 0)), endFrame(s.end())));
        JsonNode head1 = server.get("/api/v1/ledger/head", admin).json();

        JsonNode proofs = server.get("/api/v1/sessions/" + s.id() + "/proofs", admin).json();
        SignedTreeHead signed = LedgerJson.signedHead(proofs.get("signed_head"));
        new TreeHeadVerifier(Ed25519Keys.decodePublicKeyPem(server.get("/api/v1/ledger/key", admin).json()
                .get("public_key_pem").asText())).verify(signed);
        JsonNode leaves = proofs.get("leaves");
        assertThat(leaves).extracting(l -> l.get("kind").asText())
                .containsExactly("session_start", "chunk", "chunk", "session_end");
        for (JsonNode leaf : leaves) {
            byte[] data = HexFormat.of().parseHex(leaf.get("leaf_data").asText());
            assertThat(LedgerEntry.fromLeafData(data).subject()).isEqualTo(s.id());
            MerkleVerifier.verifyInclusion(org.ttyaudit.core.ledger.MerkleHashing.leafHash(data),
                    leaf.get("leaf_index").asLong(), signed.head().treeSize(), LedgerJson.hashes(leaf.get("proof")),
                    signed.head().rootHash());
        }
        LedgerEntry chunk0 = LedgerEntry.fromLeafData(HexFormat.of().parseHex(leaves.get(1).get("leaf_data").asText()));
        assertThat(chunk0.recordHash()).isEqualTo(s.chunks.get(0).hash());

        server.get("/api/v1/sessions/" + s.id(), admin);   // an audit event: the ledger grows
        JsonNode head2 = server.get("/api/v1/ledger/head", admin).json();
        long from = head1.get("tree_size").asLong();
        long to = head2.get("tree_size").asLong();
        assertThat(to).isGreaterThan(from);
        JsonNode consistency = server.get("/api/v1/ledger/consistency?from=" + from + "&to=" + to, admin).json();
        MerkleVerifier.verifyConsistency(from, to, HexFormat.of().parseHex(head1.get("root_hash").asText()),
                HexFormat.of().parseHex(head2.get("root_hash").asText()), LedgerJson.hashes(consistency.get("proof")));
    }

    @Test
    void refusedIngestStoresNothingAndSaysWhy() throws Exception {
        String admin = server.admin();
        String host = server.host(admin, "web-1");
        String otherHost = server.host(admin, "web-2");
        RecordedSession s = new RecordedSession("alice", "web-1");
        Chunk c0 = s.command("ls", "a b", 0);
        Chunk c1 = s.command("pwd", "/home/alice", 0);
        String path = "/api/v1/ingest/sessions/" + s.id();

        assertThat(server.postBytes(path, null, IngestRoutes.CONTENT_TYPE, s.headerFrame()).status()).isEqualTo(401);
        assertThat(server.postBytes(path, "tth_not-a-credential", IngestRoutes.CONTENT_TYPE, s.headerFrame())
                .status()).isEqualTo(401);
        assertThat(server.postBytes(path, admin, IngestRoutes.CONTENT_TYPE, s.headerFrame()).status())
                .isEqualTo(403);
        assertThat(server.postBytes(path, host, "application/json", s.headerFrame()).status()).isEqualTo(415);
        assertStatus(server.ingest(host, s.id(), frames(c0)), 404, "send its header first");
        assertStatus(server.ingest(host, s.id(), new byte[]{0, 0, 0, 3, 7, 1, 2, 3, 0, 0, 0, 0}), 400, "frame 0");

        server.ingest(host, s.id(), s.headerFrame());
        assertStatus(server.ingest(host, s.id(), frames(c1)), 409, "chunk 1 is out of order");
        Response gap = server.ingest(host, s.id(), frames(c1));
        assertThat(gap.json().get("commit").get("committed_seq").asLong()).isEqualTo(-1);

        ChunkEncoder forger = new ChunkEncoder(s.header);
        forger.seal(List.of(new OutputEvent(1, "x".getBytes())));
        Chunk forged = forger.seal(List.of(new OutputEvent(2, "y".getBytes())));   // seq 1, chained to a fake 0
        assertStatus(server.ingest(host, s.id(), frames(forged)), 409, "out of order");
        Chunk forgedZero = new ChunkEncoder(s.header).seal(List.of(new OutputEvent(5, "fake".getBytes())));
        assertThat(server.ingest(host, s.id(), frames(forgedZero)).status()).isEqualTo(200);  // a valid chunk 0
        assertStatus(server.ingest(host, s.id(), frames(c1)), 422, "does not continue the chain");

        assertStatus(server.ingest(otherHost, s.id(), frames(c1)), 403, "started by another host");
        assertStatus(server.get(path, otherHost), 403, "started by another host");
        assertThat(server.get(path, host).json().get("committed_seq").asLong()).isZero();
    }

    @Test
    void anEndedSessionTakesNothingMore() throws Exception {
        String admin = server.admin();
        String host = server.host(admin, "web-1");
        RecordedSession s = new RecordedSession("alice", "web-1");
        server.ingest(host, s.id(), concat(s.headerFrame(), endFrame(s.end())));
        Chunk late = new ChunkEncoder(s.header).seal(List.of(new OutputEvent(5, "late".getBytes())));
        assertStatus(server.ingest(host, s.id(), frames(late)), 410, "has ended");
        assertThat(server.ingest(host, s.id(), s.headerFrame()).status()).isEqualTo(200);  // an idempotent retry
    }

    @Test
    void anAdminCanAskARecorderToEndItsSession() throws Exception {
        String admin = server.admin();
        String host = server.host(admin, "web-1");
        RecordedSession s = new RecordedSession("alice", "web-1");
        server.ingest(host, s.id(), s.headerFrame());

        assertThat(server.post("/api/v1/sessions/" + s.id() + "/terminate", admin, Map.of("reason",
                "rule: rm -rf /")).status()).isEqualTo(202);

        JsonNode point = server.ingest(host, s.id(), frames(s.command("ls", "x", 0))).json();
        assertThat(point.get("terminate").asBoolean()).isTrue();
        assertThat(point.get("terminate_reason").asText()).isEqualTo("rule: rm -rf /");
    }

    @Test
    void healthMetricsAndTheApiDocumentAreServed() throws Exception {
        assertThat(server.get("/healthz", null).text()).contains("\"ok\"");
        assertThat(server.get("/api/v1/openapi.yaml", null).text()).startsWith("openapi: 3");
        String admin = server.admin();
        String host = server.host(admin, "web-1");
        RecordedSession s = new RecordedSession("alice", "web-1");
        server.ingest(host, s.id(), concat(s.headerFrame(), frames(s.command("ls", "x", 0))));
        assertThat(server.get("/metrics", null).text()).contains("ttyaudit_ingest_chunks_total 1.0");
        assertStatus(server.get("/api/v1/nothing-here", admin), 404, "no such endpoint");
    }

    @Test
    void anOversizedBodyIsRefusedWithAJsonReason() throws Exception {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(server.base + "/api/v1/login"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.InputStream() {
                    private long left = IngestRoutes.MAX_BODY + 1;

                    @Override
                    public int read() {
                        return left-- > 0 ? ' ' : -1;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (left <= 0) {
                            return -1;
                        }
                        int n = (int) Math.min(len, left);
                        java.util.Arrays.fill(b, off, off + n, (byte) ' ');
                        left -= n;
                        return n;
                    }
                })).build();
        java.net.http.HttpResponse<String> r;
        try {
            r = server.http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            return;   // the server may close the connection while the client still sends: also a refusal
        }
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).startsWith("{\"error\":");
    }

    @Test
    void aSessionNamesTheHostCredentialThatSentItWhicheverHostItsRecorderReported() throws Exception {
        String admin = server.admin();
        String web1 = server.host(admin, "web-1");
        RecordedSession claimsAnotherHost = new RecordedSession("alice", "db-9");
        server.ingest(web1, claimsAnotherHost.id(), concat(claimsAnotherHost.headerFrame(),
                endFrame(claimsAnotherHost.end())));

        JsonNode details = server.get("/api/v1/sessions/" + claimsAnotherHost.id(), admin).json();
        assertThat(details.get("host").asText()).isEqualTo("db-9");
        assertThat(details.get("uploaded_by").asText()).isEqualTo("web-1");
        JsonNode listed = server.get("/api/v1/sessions", admin).json().get("items").get(0);
        assertThat(listed.get("uploaded_by").asText()).isEqualTo("web-1");

    }

    private static void assertStatus(Response r, int status, String message) throws Exception {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.json().get("error").asText()).contains(message);
    }
}
