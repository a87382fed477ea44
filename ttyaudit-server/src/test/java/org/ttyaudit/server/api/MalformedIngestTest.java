package org.ttyaudit.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.format.ChunkEncoder;
import org.ttyaudit.core.format.WireFrames;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.server.api.ServerFixture.Response;
import org.ttyaudit.server.testkit.RecordedSession;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.server.testkit.RecordedSession.concat;
import static org.ttyaudit.server.testkit.RecordedSession.frames;

/**
 * Bad ingest requests against a real server (docs/INGEST.md): garbage, broken frames, wrong hashes and chains,
 * replays, foreign sessions and hosts, missing credentials, wrong content types, bodies over the size limit. Each
 * must be refused with its documented 4xx and an error naming the problem, store nothing (commit point, session
 * list, ledger and blob files unchanged), be counted as refused in {@code /metrics} (except requests without a
 * valid credential, which never reach ingest), and leave the server serving: the session's next valid chunk is
 * accepted right after each one.
 *
 * <p>One server and one session for the whole class: the cases run in order, each followed by one valid chunk.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedIngestTest {

    private static final long MAX_BODY = 80L * 1024 * 1024;

    ServerFixture server;
    String admin;
    String host;
    String otherHost;
    RecordedSession session;
    /** The session's next valid chunk, sealed but not yet sent; a case may send a damaged copy of it. */
    Chunk next;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        server = new ServerFixture(dir.resolve("data"));
        admin = server.admin();
        host = server.host(admin, "web-1");
        otherHost = server.host(admin, "web-2");
        session = new RecordedSession("alice", "web-1");
        Response started = server.ingest(host, session.id(), concat(session.headerFrame(),
                frames(session.command("id", "uid=1000(alice)", 0))));
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        next = session.command("ls", "notes.txt", 0);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A bad request, what the server must answer, and whether the answer counts as a refused ingest request. */
    record Case(String name, Request request, int status, String error, boolean counted) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Request {
        Response send(MalformedIngestTest t) throws Exception;
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("random bytes", t -> t.post(randomBytes(4096, 7)), 400, "frame 0 at byte 0", true),
                new Case("an empty body", t -> t.post(new byte[0]), 400, "the body holds no frame", true),
                new Case("a length field far beyond the frame limit",
                        t -> t.post(rawFrame(0xFFFF_FFF0L, WireFrames.Type.CHUNK.code(), new byte[16])), 400,
                        "out of range", true),
                new Case("a length field running past the end of the body",
                        t -> t.post(Arrays.copyOf(frames(t.next), 200)), 400, "is incomplete", true),
                new Case("an unknown frame type",
                        t -> t.post(rawFrame(3, 9, new byte[]{1, 2, 3})), 400, "unknown type 9", true),
                new Case("a bad CRC", t -> t.post(flipLastByte(frames(t.next))), 400, "CRC mismatch", true),
                new Case("trailing bytes after the last frame",
                        t -> t.post(concat(frames(t.next), new byte[]{0, 0, 0})), 400, "is incomplete", true),
                new Case("a chunk frame whose body is not a chunk",
                        t -> t.post(WireFrames.encode(WireFrames.Type.CHUNK, "not a chunk".getBytes(
                                StandardCharsets.US_ASCII))), 400, "the chunk does not parse", true),
                new Case("a session header after a chunk",
                        t -> t.post(concat(frames(t.next), t.session.headerFrame())), 400,
                        "a session header must be the first frame", true),
                new Case("a chunk whose content does not match its hash",
                        t -> t.post(chunkFrame(alterPayload(t.next))), 422, "its hash does not match its content",
                        true),
                new Case("a chunk of another session",
                        t -> t.post(frames(new RecordedSession("alice", "web-1").command("id", "x", 0))), 422,
                        "belongs to session", true),
                new Case("a chunk that does not continue the chain",
                        t -> t.post(frames(forgedChunk(t.session.header, t.next.chunkSeq()))), 422,
                        "does not continue the chain", true),
                new Case("a replay of the last committed chunk",
                        t -> t.post(frames(t.session.chunks.get(t.session.chunks.size() - 2))), 409,
                        "is out of order", true),
                new Case("a session end record that disagrees with the stored chain",
                        t -> t.post(RecordedSession.endFrame(new ChunkEncoder(t.session.header).end(
                                new SessionEnd(Instant.parse("2026-11-25T10:05:00Z"), 0, null, "exit")))), 422,
                        "does not match the session", true),
                new Case("a session header that differs from the stored one",
                        t -> t.post(headerFrame(otherUser(t.session.header, "mallory"))), 422,
                        "differs from the one stored", true),
                new Case("a chunk for a session the server does not know",
                        t -> t.unknownSessionChunk(), 404,
                        "send its header first", true),
                new Case("no credential", t -> t.server.postBytes(t.path(), null, IngestRoutes.CONTENT_TYPE,
                        frames(t.next)), 401, "authentication required", false),
                new Case("an unknown credential", t -> t.server.postBytes(t.path(),
                        "tth_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", IngestRoutes.CONTENT_TYPE,
                        frames(t.next)), 401, "unknown, expired or revoked credential", false),
                new Case("a user instead of a host", t -> t.server.postBytes(t.path(), t.admin,
                        IngestRoutes.CONTENT_TYPE, frames(t.next)), 403, "not allowed", true),
                new Case("another host", t -> t.server.ingest(t.otherHost, t.session.id(), frames(t.next)), 403,
                        "started by another host", true),
                new Case("a wrong content type", t -> t.server.postBytes(t.path(), t.host, "application/json",
                        frames(t.next)), 415, "the body must be application/vnd.ttyaudit.frames", true),
                new Case("no content type", t -> t.send(HttpRequest.newBuilder(t.uri(t.path()))
                        .header("Authorization", "Bearer " + t.host)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(frames(t.next))).build()), 415,
                        "the body must be application/vnd.ttyaudit.frames", true),
                new Case("a session id that is not a UUID", t -> t.server.postBytes("/api/v1/ingest/sessions/"
                        + "not-a-uuid", t.host, IngestRoutes.CONTENT_TYPE, frames(t.next)), 400,
                        "not a session id: not-a-uuid", true),
                new Case("a body one byte over the limit, announced by Content-Length",
                        t -> t.oversize(true), 413, "at most " + MAX_BODY, true),
                new Case("a body one byte over the limit, streamed without a length",
                        t -> t.oversize(false), 413, "at most " + MAX_BODY, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aBadRequestIsRefusedStoresNothingAndTheServerKeepsServing(Case c) throws Exception {
        State before = state();

        Response r = c.request().send(this);

        assertThat(r.status()).as("%s: %s", c.name(), r).isEqualTo(c.status());
        assertThat(r.json().get("error").asText()).as(c.name()).contains(c.error());
        State after = state();
        assertThat(after.withoutMetrics()).as("nothing stored after %s", c.name()).isEqualTo(before.withoutMetrics());
        assertThat(after.refused - before.refused).as("refusals counted for %s", c.name())
                .isEqualTo(c.counted() ? 1 : 0);
        assertThat(after.accepted).as("accepted requests after %s", c.name()).isEqualTo(before.accepted);
        if (c.status() == 409) {
            assertThat(r.json().get("commit")).as("the commit point to resume from")
                    .isEqualTo(before.commitPoint);
        }

        Response good = server.ingest(host, session.id(), frames(next));
        assertThat(good.status()).as("the valid chunk after %s: %s", c.name(), good).isEqualTo(200);
        assertThat(good.json().get("committed_seq").asLong()).isEqualTo(next.chunkSeq());
        assertThat(state().accepted).isEqualTo(before.accepted + 1);
        next = session.command("echo " + c.name().replace(' ', '-'), "ok", 0);
    }

    // ---- what "nothing stored" means ------------------------------------------------------------------------

    /** Everything a refused request must leave unchanged, and the ingest counters. */
    private record State(JsonNode commitPoint, JsonNode sessions, long ledgerSize, long blobFiles, double refused,
                         double accepted) {
        State withoutMetrics() {
            return new State(commitPoint, sessions, ledgerSize, blobFiles, 0, 0);
        }
    }

    private State state() throws Exception {
        JsonNode commit = server.get("/api/v1/ingest/sessions/" + session.id(), host).json();
        JsonNode sessions = server.get("/api/v1/sessions?limit=1000", admin).json();   // not audited
        // A live session's duration grows with the clock: it says nothing about what was stored.
        sessions.get("items").forEach(item -> ((ObjectNode) item).remove("duration_ms"));
        long ledger = server.get("/api/v1/ledger/leaves?count=1", admin).json().get("tree_size").asLong();
        long blobs;
        try (Stream<Path> files = Files.walk(server.dataDir.resolve("blobs"))) {
            blobs = files.filter(Files::isRegularFile).count();
        }
        String metrics = server.get("/metrics", null).text();
        return new State(commit, sessions, ledger, blobs, counter(metrics, "refused"), counter(metrics, "accepted"));
    }

    private static double counter(String metrics, String outcome) {
        Matcher m = Pattern.compile("(?m)^ttyaudit_ingest_requests_total\\{outcome=\"" + outcome + "\"} (\\S+)$")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    // ---- requests -------------------------------------------------------------------------------------------

    private String path() {
        return "/api/v1/ingest/sessions/" + session.id();
    }

    /** Chunk 0 of a session whose header was never sent. */
    private Response unknownSessionChunk() throws Exception {
        RecordedSession unknown = new RecordedSession("alice", "web-1");
        return server.ingest(host, unknown.id(), frames(unknown.command("id", "uid=1000(alice)", 0)));
    }

    private URI uri(String path) {
        return URI.create(server.base + path);
    }

    private Response post(byte[] body) throws Exception {
        return server.ingest(host, session.id(), body);
    }

    private Response send(HttpRequest request) throws Exception {
        HttpResponse<byte[]> r = server.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Response(r.statusCode(), r.body());
    }

    /**
     * A body of zeros one byte over the limit, with or without a Content-Length. The streamed one is generated
     * while it is sent (never held in memory). The announced one asks to continue first, as a client that sends
     * that much should, and the server must refuse on the length alone: it is sent over a raw TLS socket, head
     * only, because the JDK 17 HttpClient waits for ever when an {@code Expect: 100-continue} request gets a final
     * answer instead of 100 (seen with 17.0.15), and without the Expect header the server's close while the client
     * still sends may reach the client before the answer does.
     */
    private Response oversize(boolean announced) throws Exception {
        long size = MAX_BODY + 1;
        if (announced) {
            return announceWithoutSending(size);
        }
        HttpRequest.BodyPublisher zeros = HttpRequest.BodyPublishers.ofInputStream(() -> new Zeros(size));
        HttpRequest request = HttpRequest.newBuilder(uri(path())).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + host).header("Content-Type", IngestRoutes.CONTENT_TYPE)
                .POST(zeros).build();
        return send(request);
    }

    /** Sends only the head of a request announcing {@code size} bytes and reads the server's answer. */
    private Response announceWithoutSending(long size) throws Exception {
        URI uri = uri(path());
        try (SSLSocket socket = (SSLSocket) server.http.sslContext().getSocketFactory()
                .createSocket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(60_000);
            String head = "POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nAuthorization: Bearer " + host + "\r\nContent-Type: " + IngestRoutes.CONTENT_TYPE
                    + "\r\nContent-Length: " + size + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher status = Pattern.compile("^HTTP/1\\.1 (\\d{3})").matcher(answer);
            assertThat(status.find()).as("an HTTP answer: %s", answer).isTrue();
            int bodyStart = answer.indexOf("\r\n\r\n");
            String body = bodyStart < 0 ? "" : answer.substring(bodyStart + 4);
            if (answer.substring(0, Math.max(bodyStart, 0)).toLowerCase().contains("transfer-encoding: chunked")) {
                body = body.substring(body.indexOf("\r\n") + 2, body.lastIndexOf("}") + 1);
            }
            return new Response(Integer.parseInt(status.group(1)), body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** {@code size} zero bytes. */
    private static final class Zeros extends InputStream {
        private long left;

        Zeros(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            if (left == 0) {
                return -1;
            }
            left--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }

    // ---- bad frames -----------------------------------------------------------------------------------------

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        b[4] = 42;   // an unknown frame type, whatever the length field says
        return b;
    }

    /** A frame with any length field and type, and a correct CRC over what is there. */
    private static byte[] rawFrame(long lengthField, int type, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(5 + body.length + 4);
        b.putInt((int) lengthField).put((byte) type).put(body);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 5 + body.length);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    private static byte[] flipLastByte(byte[] frame) {
        byte[] b = frame.clone();
        b[b.length - 1] ^= 0x01;
        return b;
    }

    private static byte[] chunkFrame(byte[] chunkBytes) {
        return WireFrames.encode(WireFrames.Type.CHUNK, chunkBytes);
    }

    /** The chunk's encoding with one payload byte changed: it still parses, but its hash no longer matches. */
    private static byte[] alterPayload(Chunk c) {
        byte[] b = c.toBytes();
        b[b.length - 1] ^= 0x20;
        return b;
    }

    /** A well-formed chunk with seq {@code seq} of a chain the server never saw (same header, other content). */
    private static Chunk forgedChunk(SessionHeader header, long seq) {
        ChunkEncoder forger = new ChunkEncoder(header);
        Chunk c = null;
        for (long i = 0; i <= seq; i++) {
            c = forger.seal(List.of(new OutputEvent(i * 10_000_000 + 5, "forged".getBytes(StandardCharsets.UTF_8))));
        }
        return c;
    }

    private static SessionHeader otherUser(SessionHeader h, String user) {
        return new SessionHeader(h.sessionId(), h.kind(), user, h.uid(), h.host(), h.tty(), h.clientAddress(),
                h.term(), h.cols(), h.rows(), h.startedAt(), h.command(), h.capture(), h.recorderVersion(), h.tags());
    }

    private static byte[] headerFrame(SessionHeader h) {
        return WireFrames.encode(WireFrames.Type.SESSION_HEADER, new ChunkEncoder(h).headerRecordBytes());
    }
}
