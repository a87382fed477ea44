package org.ttyaudit.recorder.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.format.FormatException;
import org.ttyaudit.core.format.SessionEndRecord;
import org.ttyaudit.core.format.SessionHeaderCodec;
import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.core.transport.SelfSignedCertificate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.zip.CRC32C;

/**
 * A test double of the audit server's ingest side that implements the commit-point logic of docs/INGEST.md
 * faithfully: it accepts only the next chunk seq, checks the hash chain, counts and end record, answers 409 with
 * the commit point, keeps each request atomic, and serves enrollment. Faults can be injected: answer a status
 * (503, 422, …) to the next requests, drop the connection before or after committing, ask for termination, go
 * down and come back on the same port.
 *
 * <p>HTTPS with a throwaway self-signed certificate (clients pin it via {@link #credential()}). Thread-safe:
 * requests are handled under one lock. The real server is tested end-to-end against the same document later;
 * this is only the protocol as the client must see it.
 */
public final class FakeIngestServer implements AutoCloseable {
    public static final String CREDENTIAL = "tth_test-credential";
    public static final String HOST_ID = "host-1";
    private static final long MAX_BODY = 80L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SelfSignedCertificate certificate;

    /** When an injected drop happens. */
    public enum Drop { BEFORE_PROCESSING, AFTER_COMMIT }

    /** What the server holds of one session. */
    public static final class Session {
        final SessionId id;
        final byte[] header;
        final String host;
        final List<Chunk> chunks = new ArrayList<>();
        long events;
        byte[] lastHash;
        SessionEndRecord end;
        String terminateReason;
        Integer flushWithinMillis;

        Session(SessionId id, byte[] header, String host) {
            this.id = id;
            this.header = header;
            this.host = host;
            this.lastHash = sha256(header);
        }

        long committedSeq() {
            return chunks.size() - 1;
        }

        public SessionId id() {
            return id;
        }

        public List<Chunk> chunks() {
            return List.copyOf(chunks);
        }

        public Optional<SessionEndRecord> end() {
            return Optional.ofNullable(end);
        }

        public byte[] header() {
            return header.clone();
        }
    }

    private final Path dir;
    private int port;
    private final Map<SessionId, Session> sessions = new HashMap<>();
    private final Deque<Integer> injectedStatus = new ArrayDeque<>();
    private final Deque<Integer> injectedPostStatus = new ArrayDeque<>();
    private final Deque<String> injectedPostError = new ArrayDeque<>();
    private Runnable beforeNextPost;
    private final Deque<Drop> injectedDrops = new ArrayDeque<>();
    private final Map<String, Boolean> enrollmentTokens = new HashMap<>();
    private final List<Long> postedChunkSeqs = new ArrayList<>();
    private final List<String> requestLog = new ArrayList<>();
    private HttpServer server;
    private ExecutorService executor;

    private FakeIngestServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts on a free loopback port. {@code dir} holds the certificate (made once per JVM). */
    public static FakeIngestServer start(Path dir) throws Exception {
        FakeIngestServer s = new FakeIngestServer(dir, 0);
        s.up(0);
        return s;
    }

    /** Makes a server for {@code port} without starting it: the server is down until {@link #up()}. */
    public static FakeIngestServer down(Path dir) throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        certificate(dir);
        return new FakeIngestServer(dir, port);
    }

    private static synchronized SelfSignedCertificate certificate(Path dir) throws Exception {
        if (certificate == null) {
            certificate = SelfSignedCertificate.generate(Files.createDirectories(dir), "localhost", "dns:localhost");
        }
        return certificate;
    }

    /** Starts (again) on the same port. */
    public synchronized void up() throws Exception {
        up(port);
    }

    private synchronized void up(int on) throws Exception {
        if (server != null) {
            return;
        }
        HttpsServer https = HttpsServer.create();
        https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(certificate(dir).serverContext()));
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                https.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), on), 0);
                last = null;
                break;
            } catch (java.net.BindException e) {
                last = e; // the port of a server just stopped may take a moment
                Thread.sleep(20);
            }
        }
        if (last != null) {
            throw last;
        }
        https.createContext("/api/v1/", this::handle);
        executor = Executors.newCachedThreadPool();
        https.setExecutor(executor);
        https.start();
        server = https;
        port = https.getAddress().getPort();
    }

    /**
     * Another instance in front of this server's sessions, as a second {@code ttyaudit server} sharing the
     * first one's store: its own loopback port and certificate-sharing HTTPS listener, going down and up on its
     * own; requests to it are handled (and faults injected) exactly as those to this one.
     */
    public Front addFront() throws Exception {
        Front f = new Front();
        f.up();
        return f;
    }

    /** A second listener over the same sessions ({@link #addFront()}). */
    public final class Front implements AutoCloseable {
        private int frontPort;
        private HttpServer listener;
        private ExecutorService frontExecutor;
        private int requests;
        private int posts;
        private int dieAtPost;

        /** Starts listening (again, on the same port after the first time). */
        public synchronized void up() throws Exception {
            if (listener != null) {
                return;
            }
            HttpsServer https = HttpsServer.create();
            https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(certificate(dir)
                    .serverContext()));
            for (int attempt = 0; ; attempt++) {
                try {
                    https.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), frontPort), 0);
                    break;
                } catch (java.net.BindException e) {
                    if (attempt == 50) {
                        throw e;
                    }
                    Thread.sleep(20); // the port of a listener just stopped may take a moment
                }
            }
            https.createContext("/api/v1/", ex -> {
                boolean die;
                synchronized (Front.this) {
                    requests++;
                    die = ex.getRequestMethod().equals("POST") && ++posts == dieAtPost;
                }
                if (die) {
                    dropNextPosts(1, Drop.AFTER_COMMIT);
                }
                handle(ex);
                if (die) {
                    new Thread(this::goDown).start(); // not from its own handler thread
                }
            });
            frontExecutor = Executors.newCachedThreadPool();
            https.setExecutor(frontExecutor);
            https.start();
            listener = https;
            frontPort = https.getAddress().getPort();
        }

        /** Stops answering: connections are refused until {@link #up()}. */
        public synchronized void goDown() {
            if (listener != null) {
                listener.stop(0);
                frontExecutor.shutdownNow();
                listener = null;
            }
        }

        public URI uri() {
            return URI.create("https://localhost:" + frontPort);
        }

        /**
         * The {@code nth} POST to this front (counting from its start) is processed and committed, and then the
         * front dies without answering: an instance killed in the middle of a request. It stays down.
         */
        public synchronized void dieAfterCommittingPost(int nth) {
            dieAtPost = nth;
        }

        /** Whether it listens. */
        public synchronized boolean isUp() {
            return listener != null;
        }

        /** How many requests this front has received. */
        public synchronized int requests() {
            return requests;
        }

        @Override
        public void close() {
            goDown();
        }
    }

    /** The credential of the one enrolled host with several servers, preferred first, one pin for them all. */
    public HostCredential credential(List<URI> servers) {
        return new HostCredential(servers, certificate.fingerprint().toString(), HOST_ID, CREDENTIAL);
    }

    /** Stops answering: connections are refused until {@link #up()}. */
    public synchronized void goDown() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    @Override
    public void close() {
        goDown();
    }

    public int port() {
        return server != null ? server.getAddress().getPort() : port;
    }

    public URI uri() {
        return URI.create("https://localhost:" + port());
    }

    /** The credential of the one enrolled host, pinning this server's certificate. */
    public HostCredential credential() {
        return new HostCredential(uri(), certificate.fingerprint().toString(), HOST_ID, CREDENTIAL);
    }

    public String fingerprint() {
        return certificate.fingerprint().toString();
    }

    // ---- fault injection and control ----

    /** The next {@code count} requests (of any kind) are answered {@code status} without being processed. */
    public synchronized void answerNext(int count, int status) {
        for (int i = 0; i < count; i++) {
            injectedStatus.add(status);
        }
    }

    /** The next {@code count} POSTs are answered {@code status} without being processed. */
    public synchronized void answerNextPosts(int count, int status) {
        answerNextPosts(count, status, "injected failure");
    }

    /** The next {@code count} POSTs are answered {@code status} with the error {@code message}, unprocessed. */
    public synchronized void answerNextPosts(int count, int status, String message) {
        for (int i = 0; i < count; i++) {
            injectedPostStatus.add(status);
            injectedPostError.add(message);
        }
    }

    /** Runs {@code hook} (outside the server's lock) just before the next POST is processed: a racing client. */
    public synchronized void beforeNextPost(Runnable hook) {
        beforeNextPost = hook;
    }

    /**
     * Processes {@code frames} for session {@code id} exactly as a POST (all checks, atomic); returns the status.
     * For simulating another client that got there first.
     */
    public synchronized int ingestDirectly(SessionId id, byte[] frames) {
        Answer a = post(id, sessions.get(id), IngestClient.FRAMES_MEDIA_TYPE, frames);
        log("DIRECT " + a.status + " " + a.frames);
        return a.status;
    }

    /** The next {@code count} POSTs lose their connection, before processing or after committing. */
    public synchronized void dropNextPosts(int count, Drop when) {
        for (int i = 0; i < count; i++) {
            injectedDrops.add(when);
        }
    }

    /** The server wants {@code id} ended: every commit point from now on says {@code terminate}. */
    public synchronized void terminate(SessionId id, String reason) {
        Session s = sessions.get(id);
        if (s == null) {
            throw new IllegalStateException("no session " + id);
        }
        s.terminateReason = reason;
    }

    /** Someone watches {@code id} live (or no longer: null): commit points ask for this chunk latency. */
    public synchronized void watched(SessionId id, Integer flushWithinMillis) {
        Session s = sessions.get(id);
        if (s == null) {
            throw new IllegalStateException("no session " + id);
        }
        s.flushWithinMillis = flushWithinMillis;
    }

    /** Adds a single-use enrollment token. */
    public synchronized void addEnrollmentToken(String token) {
        enrollmentTokens.put(token, false);
    }

    // ---- observation ----

    public synchronized Optional<Session> session(SessionId id) {
        return Optional.ofNullable(sessions.get(id));
    }

    public synchronized List<Session> sessions() {
        return List.copyOf(sessions.values());
    }

    /** The seq of every chunk frame in every POST body received, accepted or not, in order. */
    public synchronized List<Long> postedChunkSeqs() {
        return List.copyOf(postedChunkSeqs);
    }

    /** "GET 404", "POST 200 [h,0,1]", … one per request. */
    public synchronized List<String> requestLog() {
        return List.copyOf(requestLog);
    }

    /** Waits (real time) until the session's end record is stored. */
    public Session awaitEnded(SessionId id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (this) {
                Session s = sessions.get(id);
                if (s != null && s.end != null) {
                    return s;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("session " + id + " did not end at the server within " + timeout
                + "; requests: " + requestLog());
    }

    /** Waits until some session exists and returns it. */
    public Session awaitAnySession(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (this) {
                if (!sessions.isEmpty()) {
                    return sessions.values().iterator().next();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no session arrived within " + timeout + "; requests: " + requestLog());
    }

    // ---- the protocol ----

    private void handle(HttpExchange ex) throws IOException {
        try {
            byte[] body = ex.getRequestBody().readNBytes((int) Math.min(MAX_BODY + 1, Integer.MAX_VALUE - 16));
            Runnable hook;
            synchronized (this) {
                hook = null;
                if (ex.getRequestMethod().equals("POST")) {
                    hook = beforeNextPost;
                    beforeNextPost = null;
                }
            }
            if (hook != null) {
                hook.run();
            }
            synchronized (this) {
                respond(ex, body);
            }
        } finally {
            ex.close(); // without an answer sent, this drops the connection
        }
    }

    private void respond(HttpExchange ex, byte[] body) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (!injectedStatus.isEmpty()) {
            int status = injectedStatus.poll();
            log(method + " " + status + " (injected)");
            send(ex, status, error("injected failure", null));
            return;
        }
        if (path.equals("/api/v1/enroll") && method.equals("POST")) {
            enroll(ex, body);
            return;
        }
        if (!path.startsWith("/api/v1/ingest/sessions/")) {
            send(ex, 404, error("no such endpoint", null));
            return;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.equals("Bearer " + CREDENTIAL)) {
            log(method + " 401");
            send(ex, 401, error("no or unknown credential", null));
            return;
        }
        SessionId id;
        try {
            id = SessionId.parse(path.substring("/api/v1/ingest/sessions/".length()));
        } catch (IllegalArgumentException e) {
            send(ex, 404, error("not a session id", null));
            return;
        }
        Session s = sessions.get(id);
        if (method.equals("GET")) {
            log("GET " + (s == null ? 404 : 200));
            if (s == null) {
                send(ex, 404, error("unknown session", null));
            } else {
                send(ex, 200, commitPoint(s));
            }
            return;
        }
        if (!method.equals("POST")) {
            send(ex, 405, error("method not allowed", null));
            return;
        }
        if (!injectedPostStatus.isEmpty()) {
            int status = injectedPostStatus.poll();
            log("POST " + status + " (injected)");
            send(ex, status, error(injectedPostError.poll(), null));
            return;
        }
        Drop drop = injectedDrops.poll();
        if (drop == Drop.BEFORE_PROCESSING) {
            log("POST dropped before processing");
            return; // closing without an answer drops the connection
        }
        Answer a = post(id, s, ex.getRequestHeaders().getFirst("Content-Type"), body);
        log("POST " + a.status + " " + a.frames + (a.status >= 400 ? " " + a.error : ""));
        if (drop == Drop.AFTER_COMMIT) {
            log("POST answer dropped after commit");
            return;
        }
        send(ex, a.status, a.json);
    }

    private record Answer(int status, ObjectNode json, String frames, String error) {
    }

    private record Frame(int type, byte[] body) {
    }

    private Answer post(SessionId id, Session existing, String contentType, byte[] body) {
        if (!IngestClient.FRAMES_MEDIA_TYPE.equals(contentType)) {
            return fail(415, "wrong content type " + contentType, existing, "");
        }
        if (body.length > MAX_BODY) {
            return fail(413, "body larger than 80 MiB", existing, "");
        }
        List<Frame> frames = new ArrayList<>();
        String framing = split(body, frames);
        StringBuilder names = new StringBuilder("[");
        for (Frame f : frames) {
            names.append(names.length() > 1 ? "," : "").append(f.type == 1 ? "h" : f.type == 3 ? "e"
                    : f.type == 2 ? seqOf(f) : "?");
            if (f.type == 2) {
                postedChunkSeqs.add(seqOf(f));
            }
        }
        String seen = names.append("]").toString();
        if (framing != null) {
            return fail(400, framing, existing, seen);
        }
        // Work on a tentative copy: a request is atomic.
        Session s = existing;
        boolean created = false;
        int i = 0;
        if (!frames.isEmpty() && frames.get(0).type == 1) {
            byte[] header = frames.get(0).body;
            SessionId headerId;
            try {
                headerId = SessionHeaderCodec.fromBytes(header).sessionId();
            } catch (FormatException e) {
                return fail(400, "session header does not parse: " + e.getMessage(), existing, seen);
            }
            if (!headerId.equals(id)) {
                return fail(422, "the header's session id is not the URL's", existing, seen);
            }
            if (s == null) {
                s = new Session(id, header, HOST_ID);
                created = true;
            } else if (!Arrays.equals(s.header, header)) {
                return fail(422, "a different header for a known session", existing, seen);
            }
            i = 1;
        }
        if (s == null) {
            return fail(404, "unknown session: send the header first", null, seen);
        }
        if (!s.host.equals(HOST_ID)) {
            return fail(403, "started by another host", existing, seen);
        }
        if (s.end != null && i < frames.size()) {
            return fail(410, "the session has ended", existing, seen);
        }
        List<Chunk> accepted = new ArrayList<>();
        long nextSeq = s.committedSeq() + 1;
        byte[] lastHash = s.lastHash;
        long events = s.events;
        SessionEndRecord end = null;
        for (; i < frames.size(); i++) {
            Frame f = frames.get(i);
            if (f.type == 2) {
                Chunk c;
                try {
                    c = Chunk.fromBytes(f.body);
                } catch (FormatException e) {
                    return fail(400, "chunk does not parse: " + e.getMessage(), existing, seen);
                }
                if (c.chunkSeq() != nextSeq) {
                    if (accepted.isEmpty()) {
                        return fail(409, "chunk " + c.chunkSeq() + " is not " + nextSeq, existing, seen);
                    }
                    return fail(422, "chunk seqs do not continue", existing, seen);
                }
                if (!c.sessionId().equals(id)) {
                    return fail(422, "chunk of another session", existing, seen);
                }
                if (!c.hashMatches()) {
                    return fail(422, "chunk " + c.chunkSeq() + ": hash does not match its content", existing, seen);
                }
                if (!Arrays.equals(c.prevHash(), lastHash)) {
                    return fail(422, "chunk " + c.chunkSeq() + ": prev_hash does not continue the chain", existing,
                            seen);
                }
                if (c.firstEventSeq() != events) {
                    return fail(422, "chunk " + c.chunkSeq() + ": event seqs do not continue", existing, seen);
                }
                accepted.add(c);
                nextSeq++;
                lastHash = c.hash();
                events += c.eventCount();
            } else if (f.type == 3) {
                if (i != frames.size() - 1) {
                    return fail(400, "the session end frame is not last", existing, seen);
                }
                try {
                    end = SessionEndRecord.fromBytes(f.body);
                } catch (FormatException e) {
                    return fail(400, "end record does not parse: " + e.getMessage(), existing, seen);
                }
                if (!end.sessionId().equals(id) || !end.hashMatches() || end.chunkCount() != nextSeq
                        || end.eventCount() != events || !Arrays.equals(end.finalHash(), lastHash)) {
                    return fail(422, "the end record's counts or final hash disagree", existing, seen);
                }
            } else {
                return fail(400, "a header frame that is not first", existing, seen);
            }
        }
        // Everything checks out: store it all.
        if (created) {
            sessions.put(id, s);
        }
        s.chunks.addAll(accepted);
        s.lastHash = lastHash;
        s.events = events;
        if (end != null) {
            s.end = end;
        }
        return new Answer(200, commitPoint(s), seen, null);
    }

    private Answer fail(int status, String message, Session s, String frames) {
        return new Answer(status, error(message, status == 409 ? s : null), frames, message);
    }

    private static long seqOf(Frame f) {
        return f.body.length >= 25 ? ByteBuffer.wrap(f.body, 17, 8).getLong() : -1;
    }

    /** Splits the body into frames (length, type, body, CRC32C); the problem, or null. */
    private static String split(byte[] b, List<Frame> out) {
        int pos = 0;
        while (pos < b.length) {
            if (b.length - pos < 9) {
                return "trailing bytes";
            }
            long len = Integer.toUnsignedLong(ByteBuffer.wrap(b, pos, 4).getInt());
            int type = b[pos + 4] & 0xFF;
            if (len > b.length - pos - 9) {
                return "frame at " + pos + " runs past the body";
            }
            CRC32C crc = new CRC32C();
            crc.update(b, pos, 5 + (int) len);
            int stored = ByteBuffer.wrap(b, pos + 5 + (int) len, 4).getInt();
            if ((int) crc.getValue() != stored) {
                return "bad CRC in frame at " + pos;
            }
            if (type < 1 || type > 3) {
                return "unknown frame type " + type;
            }
            out.add(new Frame(type, Arrays.copyOfRange(b, pos + 5, pos + 5 + (int) len)));
            pos += 9 + (int) len;
        }
        if (out.isEmpty()) {
            return "no frames";
        }
        return null;
    }

    private void enroll(HttpExchange ex, byte[] body) throws IOException {
        var req = JSON.readTree(body);
        String token = req.path("token").asText(null);
        String host = req.path("host").asText(null);
        if (token == null || !Boolean.FALSE.equals(enrollmentTokens.get(token))) {
            log("ENROLL 401");
            send(ex, 401, error("unknown, used or expired enrollment token", null));
            return;
        }
        enrollmentTokens.put(token, true);
        log("ENROLL 201 " + host);
        ObjectNode n = JSON.createObjectNode();
        n.put("host_id", HOST_ID);
        n.put("host", host);
        n.put("credential", CREDENTIAL);
        send(ex, 201, n);
    }

    private ObjectNode commitPoint(Session s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("session_id", s.id.toString());
        n.put("committed_seq", s.committedSeq());
        n.put("last_hash", HexFormat.of().formatHex(s.lastHash));
        n.put("ended", s.end != null);
        n.put("terminate", s.terminateReason != null);
        n.put("terminate_reason", s.terminateReason);
        n.put("flush_within_ms", s.flushWithinMillis);
        return n;
    }

    private ObjectNode error(String message, Session commit) {
        ObjectNode n = JSON.createObjectNode();
        n.put("error", message);
        if (commit == null) {
            n.putNull("commit");
        } else {
            n.set("commit", commitPoint(commit));
        }
        return n;
    }

    private void log(String line) {
        requestLog.add(line);
    }

    private static void send(HttpExchange ex, int status, ObjectNode json) throws IOException {
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
