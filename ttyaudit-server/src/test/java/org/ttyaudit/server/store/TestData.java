package org.ttyaudit.server.store;

import org.ttyaudit.core.format.SessionHeaderCodec;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Test data for the store: builders for headers and sessions with sensible defaults, chunk and command rows that
 * continue a stored session, and ledger nodes shaped as the store expects. Instants have microsecond precision
 * (what every store keeps at least). Shared through the test jar with other store implementations' tests.
 */
public final class TestData {
    /** A start time with microseconds, so that a store that keeps only microseconds round-trips it. */
    public static final Instant T0 = Instant.parse("2024-05-01T12:00:00.123456Z");

    private TestData() {
    }

    /** A time-ordered session id: {@code millis} since T0 in the UUIDv7 time field, {@code n} in the random part. */
    public static UUID sessionId(long millis, long n) {
        long unixMillis = T0.toEpochMilli() + millis;
        long msb = (unixMillis << 16) | 0x7000L;
        long lsb = 0x8000000000000000L | n;
        return new UUID(msb, lsb);
    }

    public static HeaderBuilder header() {
        return new HeaderBuilder();
    }

    /** SHA-256 of the text: a stand-in for hashes that only need to be distinct 32-byte values. */
    public static byte[] hash(String seed) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The new session of {@code header}: its canonical bytes and their SHA-256, received at its start. */
    public static NewSession newSession(SessionHeader header, String hostId, long ledgerIndex) {
        byte[] bytes = SessionHeaderCodec.toBytes(header);
        try {
            return new NewSession(header, bytes, MessageDigest.getInstance("SHA-256").digest(bytes), hostId,
                    ledgerIndex, header.startedAt().plusMillis(3));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    public static NewSession newSession(SessionHeader header) {
        return newSession(header, "host-1", 0);
    }

    /**
     * The chunk that follows {@code session}'s commit point: seq committedSeq + 1, prev hash = its last hash,
     * {@code events} events starting at its event count, one second per chunk.
     */
    public static ChunkRecord nextChunk(SessionRecord session, int events, long ledgerIndex) {
        long seq = session.committedSeq() + 1;
        return new ChunkRecord(session.id(), seq, session.eventCount(), events, seq * 1_000_000L,
                seq * 1_000_000L + 999_000L, session.lastHash(), hash(session.id() + "/chunk/" + seq),
                "sessions/" + session.id() + "/" + seq, 100 + events, ledgerIndex, 300 + events);
    }

    public static CommandRecord command(UUID sessionId, long commandId, String line, long startOffsetMicros) {
        return new CommandRecord(sessionId, commandId, line, "/home/alice", "shell-integration",
                T0.plusNanos(startOffsetMicros * 1000), startOffsetMicros, null, null, null);
    }

    public static SessionEndInfo end(SessionRecord session, long ledgerIndex) {
        return new SessionEndInfo(session.id(), new SessionEnd(T0.plusSeconds(600), 130, 2, "signal"),
                session.committedSeq() + 1, session.eventCount(), session.lastHash(), hash(session.id() + "/end"),
                ("end of " + session.id()).getBytes(StandardCharsets.UTF_8), ledgerIndex);
    }

    public static AuditRecord audit(long n, Instant at, String actor, String action, UUID sessionId) {
        return new AuditRecord(new UUID(0x1234L, n), at, actor, action, sessionId, "{\"n\":" + n + "}", n);
    }

    /**
     * The nodes appending leaf {@code index} completes, with made-up but consistent hashes: the leaf hash, then
     * for each completed parent the SHA-256 of its two children's hashes, read with {@code nodes}.
     */
    public static List<LedgerNode> completedNodes(long index, byte[] leafHash, NodeLookup nodes) {
        List<LedgerNode> out = new ArrayList<>();
        byte[] current = leafHash;
        long position = index;
        int level = 0;
        out.add(new LedgerNode(0, position, current));
        while ((position & 1) == 1) {
            byte[] left = nodes.node(level, position - 1);
            try {
                MessageDigest d = MessageDigest.getInstance("SHA-256");
                d.update(left);
                d.update(current);
                current = d.digest();
            } catch (NoSuchAlgorithmException e) {
                throw new AssertionError(e);
            }
            position >>>= 1;
            level++;
            out.add(new LedgerNode(level, position, current));
        }
        return out;
    }

    /**
     * Appends {@code appendsEach} leaves from each of {@code threads} threads, started together, thread {@code t}
     * writing through {@code stores.get(t % stores.size())}; leaf data is {@code "thread:i"}, so every leaf differs.
     * Each append is a read-check-write ({@link #appendLeaf}), so a lost or doubled leaf shows unserialised writes.
     */
    public static void appendLeavesConcurrently(List<Store> stores, int threads, int appendsEach, long timeoutSeconds)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Store store = stores.get(t % stores.size());
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < appendsEach; i++) {
                        String data = thread + ":" + i;
                        store.write(tx -> appendLeaf(tx, data));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(timeoutSeconds, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Appends the next ledger leaf with data {@code data} inside {@code tx}; returns its index. */
    public static long appendLeaf(WriteTransaction tx, String data) {
        long index = tx.ledgerSize();
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        tx.appendLedgerLeaf(index, bytes, completedNodes(index, hash("leaf:" + data), tx::ledgerNode));
        return index;
    }

    /** Reads a stored node. */
    @FunctionalInterface
    public interface NodeLookup {
        byte[] node(int level, long index);
    }

    /** A session header with defaults for every field; set only what a test is about. */
    public static final class HeaderBuilder {
        private UUID id = sessionId(0, 1);
        private String kind = "recorder";
        private String user = "alice";
        private long uid = 1000;
        private String host = "web-1";
        private String tty = "/dev/pts/3";
        private String clientAddress = "192.0.2.7 52144 192.0.2.1 22";
        private String term = "xterm-256color";
        private int cols = 80;
        private int rows = 24;
        private Instant startedAt = T0;
        private List<String> command = List.of("/bin/bash", "-l");
        private String capture = "full";
        private String recorderVersion = "0.1.0";
        private Map<String, String> tags = new LinkedHashMap<>(Map.of("team", "ops", "env", "prod"));

        public HeaderBuilder id(UUID v) {
            id = v;
            return this;
        }

        public HeaderBuilder kind(String v) {
            kind = v;
            return this;
        }

        public HeaderBuilder user(String v) {
            user = v;
            return this;
        }

        public HeaderBuilder uid(long v) {
            uid = v;
            return this;
        }

        public HeaderBuilder host(String v) {
            host = v;
            return this;
        }

        public HeaderBuilder tty(String v) {
            tty = v;
            return this;
        }

        public HeaderBuilder clientAddress(String v) {
            clientAddress = v;
            return this;
        }

        public HeaderBuilder term(String v) {
            term = v;
            return this;
        }

        public HeaderBuilder size(int c, int r) {
            cols = c;
            rows = r;
            return this;
        }

        public HeaderBuilder startedAt(Instant v) {
            startedAt = v;
            return this;
        }

        public HeaderBuilder command(String... v) {
            command = List.of(v);
            return this;
        }

        public HeaderBuilder capture(String v) {
            capture = v;
            return this;
        }

        public HeaderBuilder recorderVersion(String v) {
            recorderVersion = v;
            return this;
        }

        public HeaderBuilder tags(Map<String, String> v) {
            tags = new LinkedHashMap<>(v);
            return this;
        }

        public SessionHeader build() {
            return new SessionHeader(new SessionId(id), kind, user, uid, host, tty, clientAddress, term, cols, rows,
                    startedAt, command, capture, recorderVersion, tags);
        }
    }
}
