package org.ttyaudit.server.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.format.Sha256;
import org.ttyaudit.core.ledger.LedgerEntry;
import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.server.blob.BlobStore;
import org.ttyaudit.server.index.IndexedChunk;
import org.ttyaudit.server.ledger.Ledger;
import org.ttyaudit.server.store.ChunkRecord;
import org.ttyaudit.server.store.CommandRecord;
import org.ttyaudit.server.store.NewSession;
import org.ttyaudit.server.store.PruneInfo;
import org.ttyaudit.server.store.SessionEndInfo;
import org.ttyaudit.server.store.SessionRecord;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.store.WriteTransaction;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.ttyaudit.server.ingest.IngestException.Problem.ENDED;
import static org.ttyaudit.server.ingest.IngestException.Problem.FOREIGN_HOST;
import static org.ttyaudit.server.ingest.IngestException.Problem.INVALID;
import static org.ttyaudit.server.ingest.IngestException.Problem.OUT_OF_ORDER;
import static org.ttyaudit.server.ingest.IngestException.Problem.UNAVAILABLE;
import static org.ttyaudit.server.ingest.IngestException.Problem.UNKNOWN_SESSION;

/**
 * Accepts sessions from recorders and gateways (docs/INGEST.md): each request is parsed and checked on its own
 * thread, then a single committer thread checks it against the stored session (order, hash chain, owner),
 * writes its chunk bytes to the blob store, and its rows and ledger leaves to the store, and only then answers
 * with the new commit point. Nothing is acknowledged before it is durable. Output text is not indexed here but
 * after the commit, by {@link org.ttyaudit.server.index.OutputTextIndexer} (the {@code committed} callback
 * wakes it): search of output lags behind the commit point by about a second.
 *
 * <p><b>Group commit:</b> the committer takes every request waiting at that moment and commits them together:
 * one blob batch and one store transaction, so durability (fsync) is paid once per group, not per chunk. A
 * request that is refused does not affect the others in its group. If the group's write fails, each request is
 * retried alone, so one request the store cannot take never blocks the others.
 *
 * <p><b>Blobs before rows, overlapped:</b> the group's blob batch is written (and fsync'd) on a helper thread
 * while the committer writes the group's rows; the transaction commits only after the blobs are durable, so a
 * committed chunk row always has its bytes. A crash or failure in between leaves blobs no row refers to, which
 * is harmless (keys are per session and seq, and only a chunk that passed the order check is written, so a
 * committed chunk's blob is never replaced by different bytes). Overlapping hides the blob fsyncs behind the
 * SQL work, which is what bounds the committer (docs/PERFORMANCE.md, "Server").
 *
 * <p>Thread-safe. {@link #close()} stops the committer after the requests already queued.
 */
public final class IngestService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);
    private static final int MAX_GROUP_REQUESTS = 512;
    private static final long MAX_GROUP_BYTES = 64L * 1024 * 1024;
    /** The times the store keeps: instants as 64-bit nanoseconds since the epoch (the years 1677 to 2262). */
    private static final Instant EARLIEST = Instant.ofEpochSecond(0, Long.MIN_VALUE);
    private static final Instant LATEST = Instant.ofEpochSecond(0, Long.MAX_VALUE);

    private final Store store;
    private final BlobStore blobs;
    private final Ledger ledger;
    private final BatchParser parser;
    private final Clock clock;
    private final IngestMetrics metrics;
    private final Runnable committed;
    private final CommitListener listener;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread committer;
    /** Writes each group's blob batch while the committer writes its rows; one thread, so batches stay in order. */
    private final ExecutorService blobWriter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ttyaudit-ingest-blobs");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closing;

    public IngestService(Store store, BlobStore blobs, Ledger ledger, BatchParser parser, Clock clock,
                         IngestMetrics metrics) {
        this(store, blobs, ledger, parser, clock, metrics, () -> { });
    }

    /**
     * @param committed called on the committer thread after each group that committed a chunk (it wakes the
     *                  output text indexer); must not block
     */
    public IngestService(Store store, BlobStore blobs, Ledger ledger, BatchParser parser, Clock clock,
                         IngestMetrics metrics, Runnable committed) {
        this(store, blobs, ledger, parser, clock, metrics, committed, CommitListener.NONE);
    }

    /** @param listener told of every stored request after its group committed (live viewers) */
    public IngestService(Store store, BlobStore blobs, Ledger ledger, BatchParser parser, Clock clock,
                         IngestMetrics metrics, Runnable committed, CommitListener listener) {
        this.committed = committed;
        this.listener = listener;
        this.store = store;
        this.blobs = blobs;
        this.ledger = ledger;
        this.parser = parser;
        this.clock = clock;
        this.metrics = metrics;
        this.committer = new Thread(this::commitLoop, "ttyaudit-ingest-committer");
        this.committer.setDaemon(true);
        this.committer.start();
    }

    /** The blob key of a chunk's bytes. */
    public static String blobKey(UUID sessionId, long seq) {
        return "sessions/" + sessionId + "/" + seq + ".chunk";
    }

    /**
     * The session's commit point for the host that sends it.
     *
     * @throws IngestException UNKNOWN_SESSION or FOREIGN_HOST
     */
    public CommitPoint commitPoint(UUID sessionId, String hostId) {
        SessionRecord s = store.sessions().get(sessionId).orElseThrow(() -> new IngestException(UNKNOWN_SESSION,
                "the server has nothing of session " + sessionId + "; send its header first", null));
        if (!s.hostId().equals(hostId)) {
            throw foreign(sessionId);
        }
        return SessionProgress.of(s).commitPoint();
    }

    /**
     * Parses, checks and durably stores one request; returns the new commit point.
     *
     * @throws IngestException when the request is refused (nothing of it is stored) or the server cannot store
     */
    public CommitPoint ingest(UUID sessionId, String hostId, byte[] body) {
        ReceivedBatch batch;
        try {
            batch = parser.parse(sessionId, hostId, body);
        } catch (IngestException e) {
            metrics.refused();
            throw e;
        }
        Pending pending = new Pending(batch);
        if (closing) {
            throw new IngestException(UNAVAILABLE, "the server is shutting down", null);
        }
        queue.add(pending);
        try {
            return pending.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestException(UNAVAILABLE, "interrupted while committing", null, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IngestException ie) {
                throw ie;
            }
            throw new IngestException(UNAVAILABLE, "the server could not store the request: "
                    + e.getCause().getMessage(), null, e.getCause());
        }
    }

    @Override
    public void close() {
        closing = true;
        // A marker at the end of the queue, not an interrupt: an interrupt would break a commit in progress (the
        // blob store's channels close on interrupt), while the marker lets every request queued before it commit.
        queue.add(STOP);
        try {
            committer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Pending p : queue) {
            if (p == STOP) {
                continue;
            }
            p.result.completeExceptionally(new IngestException(UNAVAILABLE, "the server is shutting down", null));
        }
        blobWriter.shutdown();
    }

    private void commitLoop() {
        boolean stopping = false;
        while (!stopping) {
            List<Pending> group = new ArrayList<>();
            Pending first;
            try {
                first = queue.take();
            } catch (InterruptedException e) {
                continue;   // only close() stops the committer, through the STOP marker
            }
            if (first == STOP) {
                return;
            }
            group.add(first);
            long bytes = first.batch.bytes();
            Pending next;
            while (group.size() < MAX_GROUP_REQUESTS && bytes < MAX_GROUP_BYTES && (next = queue.poll()) != null) {
                if (next == STOP) {
                    stopping = true;
                    break;
                }
                group.add(next);
                bytes += next.batch.bytes();
            }
            commit(group);
        }
    }

    private void commit(List<Pending> group) {
        long started = System.nanoTime();
        try {
            Map<Pending, CommitPoint> accepted = store.write(tx -> commitGroup(tx, group));
            if (!accepted.isEmpty()) {
                committed.run();
            }
            // Counted before any request of the group is answered: a client that reads /metrics after its answer
            // must find its request counted (answering first made the counters lag behind under load).
            metrics.committed(group.size(), accepted.size(), System.nanoTime() - started);
            for (Pending p : group) {
                if (p.refusal != null) {
                    p.result.completeExceptionally(p.refusal);
                }
            }
            accepted.forEach((p, point) -> p.result.complete(point));
            if (!accepted.isEmpty()) {
                notifyListener(accepted.keySet());
            }
        } catch (RuntimeException e) {
            if (group.size() > 1) {
                log.warn("a commit group of {} requests failed ({}); committing them one by one", group.size(),
                        e.getMessage());
                for (Pending p : group) {
                    commit(List.of(p));
                }
            } else {
                log.error("could not store an ingest request for session {}: {}", group.get(0).batch.sessionId(),
                        e.toString());
                group.get(0).result.completeExceptionally(new IngestException(UNAVAILABLE,
                        "the server could not store the request: " + e.getMessage(), null, e));
            }
        }
    }

    /** Keeps what the listener throws here: escaping into commit(), it would have the group committed again. */
    private void notifyListener(java.util.Collection<Pending> accepted) {
        try {
            listener.committed(accepted.stream().map(p -> p.batch).toList());
        } catch (RuntimeException e) {
            log.warn("a commit listener failed: {}", e.toString());
        }
    }

    /**
     * Checks every request of the group against the stored sessions (and the requests before it in the group),
     * refuses those that do not fit, writes the chunk bytes of the rest in one blob batch, then their rows and
     * ledger leaves. Returns the accepted requests with their commit points; refused ones get their refusal.
     */
    private Map<Pending, CommitPoint> commitGroup(WriteTransaction tx, List<Pending> group) {
        Map<UUID, SessionProgress> progress = new HashMap<>();
        Map<Pending, Plan> plans = new LinkedHashMap<>();
        Map<String, byte[]> chunkBytes = new LinkedHashMap<>();
        for (Pending p : group) {
            if (p.refusal != null) {
                continue;   // refused in an earlier attempt of this group
            }
            try {
                SessionProgress before = progress.containsKey(p.batch.sessionId())
                        ? progress.get(p.batch.sessionId())
                        : tx.session(p.batch.sessionId()).map(SessionProgress::of).orElse(null);
                SessionProgress after = check(p.batch, before);
                progress.put(p.batch.sessionId(), after);
                plans.put(p, new Plan(after, before == null));
                for (IndexedChunk c : p.batch.chunks()) {
                    chunkBytes.put(blobKey(p.batch.sessionId(), c.chunk().chunkSeq()), c.bytes());
                }
            } catch (IngestException e) {
                p.refusal = e;   // answered by commit(), once counted
            }
        }
        CompletableFuture<Void> blobsDurable = chunkBytes.isEmpty() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(() -> blobs.putAll(chunkBytes), blobWriter);
        Map<Pending, CommitPoint> accepted = new LinkedHashMap<>();
        try {
            Instant now = clock.instant();
            for (Map.Entry<Pending, Plan> e : plans.entrySet()) {
                SessionProgress p = e.getValue().after();
                apply(tx, e.getKey().batch, now, e.getValue().newSession(), p.header().startedAt());
                // the terminate reason read by the check is current: this transaction is the only writer
                accepted.put(e.getKey(), p.commitPoint());
            }
        } catch (RuntimeException e) {
            // the rows roll back; let the blob batch finish first, so a retry of these requests never races it
            awaitQuietly(blobsDurable);
            throw e;
        }
        awaitBlobs(blobsDurable);   // only then may the transaction commit
        return accepted;
    }

    /** Waits for the group's blob batch; its failure fails the group (the transaction rolls back). */
    private static void awaitBlobs(CompletableFuture<Void> blobsDurable) {
        try {
            blobsDurable.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private static void awaitQuietly(CompletableFuture<Void> blobsDurable) {
        try {
            blobsDurable.join();
        } catch (CompletionException | CancellationException ignored) {
            // the group fails for another reason, which is the one reported
        }
    }

    /** The session's progress after {@code batch}, or an IngestException saying why it does not fit. */
    private SessionProgress check(ReceivedBatch batch, SessionProgress before) {
        UUID id = batch.sessionId();
        SessionProgress p = before;
        if (p == null) {
            if (batch.header() == null) {
                throw new IngestException(UNKNOWN_SESSION, "the server has nothing of session " + id
                        + "; send its header first", null);
            }
            storable(batch.header().startedAt(), "the session header's started_at", null);
            p = new SessionProgress(batch.header(), batch.headerBytes(), batch.hostId(), -1, batch.headerHash(), 0,
                    false, null, null);
        } else {
            if (!p.hostId().equals(batch.hostId())) {
                throw foreign(id);
            }
            if (batch.header() != null && !Arrays.equals(batch.headerBytes(), p.headerBytes())) {
                throw new IngestException(INVALID, "the session header differs from the one stored for session "
                        + id, p.commitPoint());
            }
        }
        if (p.prunedAt() != null && (!batch.chunks().isEmpty() || batch.end() != null)) {
            // a session pruned without an end: its tombstone closed the chain, and a recorder that comes back must
            // stop (410, a permanent refusal) rather than add to content that is gone
            throw new IngestException(ENDED, PruneInfo.refusal(id, p.prunedAt()), p.commitPoint());
        }
        if (p.ended() && (!batch.chunks().isEmpty() || batch.end() != null)) {
            throw new IngestException(ENDED, "session " + id + " has ended; nothing more is accepted",
                    p.commitPoint());
        }
        for (IndexedChunk c : batch.chunks()) {
            Chunk chunk = c.chunk();
            if (chunk.chunkSeq() != p.committedSeq() + 1) {
                throw new IngestException(OUT_OF_ORDER, "chunk " + chunk.chunkSeq() + " is out of order: the commit"
                        + " point of session " + id + " is chunk " + p.committedSeq() + ", so the next is "
                        + (p.committedSeq() + 1), p.commitPoint());
            }
            if (!Arrays.equals(chunk.prevHash(), p.lastHash())) {
                throw new IngestException(INVALID, "chunk " + chunk.chunkSeq() + ": its prev_hash "
                        + Sha256.hex(chunk.prevHash()) + " does not continue the chain (expected "
                        + Sha256.hex(p.lastHash()) + ")", p.commitPoint());
            }
            if (chunk.firstEventSeq() != p.eventCount()) {
                throw new IngestException(INVALID, "chunk " + chunk.chunkSeq() + ": its first event seq "
                        + chunk.firstEventSeq() + " does not continue the session's " + p.eventCount()
                        + " events", p.commitPoint());
            }
            storable(eventTime(p.header().startedAt(), chunk.lastOffsetMicros()), "chunk " + chunk.chunkSeq()
                    + ": the time of its last event", p.commitPoint());
            p = p.afterChunk(chunk.chunkSeq(), chunk.hash(), chunk.eventCount());
        }
        if (batch.end() != null) {
            var end = batch.end();
            if (end.chunkCount() != p.committedSeq() + 1 || end.eventCount() != p.eventCount()
                    || !Arrays.equals(end.finalHash(), p.lastHash())) {
                throw new IngestException(INVALID, "the session end record does not match the session: it counts "
                        + end.chunkCount() + " chunks and " + end.eventCount() + " events ending in "
                        + Sha256.hex(end.finalHash()) + "; the server holds " + (p.committedSeq() + 1)
                        + " chunks and " + p.eventCount() + " events ending in " + Sha256.hex(p.lastHash()),
                        p.commitPoint());
            }
            storable(end.end().endedAt(), "the session end record's ended_at", p.commitPoint());
            p = p.afterEnd();
        }
        return p;
    }

    /**
     * Refuses a time the store cannot keep as invalid, so that it never reaches the store as a write error (which
     * would answer "unavailable" and have the recorder retry for ever).
     */
    private static void storable(Instant time, String what, CommitPoint point) {
        if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
            throw new IngestException(INVALID, what + ", " + time + ", is outside the times the server keeps ("
                    + EARLIEST.atZone(ZoneOffset.UTC).getYear() + " to "
                    + LATEST.atZone(ZoneOffset.UTC).getYear() + ")", point);
        }
    }

    /** The time of an event {@code offsetMicros} after the session's start (no overflow: Instant's range is vast). */
    private static Instant eventTime(Instant startedAt, long offsetMicros) {
        return startedAt.plus(offsetMicros, ChronoUnit.MICROS);
    }

    /**
     * Writes a checked batch. {@code newSession}: the group's check found the session neither stored nor started
     * by an earlier request of the group, so this batch's header starts it. (Passing what the check saw, rather
     * than reading the session again, saves two session reads per request on the single commit path.)
     */
    private void apply(WriteTransaction tx, ReceivedBatch batch, Instant now, boolean newSession,
                       Instant startedAt) {
        UUID id = batch.sessionId();
        if (newSession) {
            long index = ledger.append(tx, new LedgerEntry(LedgerEntry.Kind.SESSION_START, id, 0,
                    batch.headerHash()));
            tx.insertSession(new NewSession(batch.header(), batch.headerBytes(), batch.headerHash(), batch.hostId(),
                    index, now));
        }
        for (IndexedChunk c : batch.chunks()) {
            applyChunk(tx, id, c, startedAt, now);
        }
        if (batch.end() != null) {
            var end = batch.end();
            long index = ledger.append(tx, new LedgerEntry(LedgerEntry.Kind.SESSION_END, id, 0, end.hash()));
            tx.endSession(new SessionEndInfo(id, end.end(), end.chunkCount(), end.eventCount(), end.finalHash(),
                    end.hash(), end.toBytes(), index));
        }
        metrics.accepted(batch.chunks().size(), batch.bytes());
    }

    private void applyChunk(WriteTransaction tx, UUID id, IndexedChunk c, Instant startedAt, Instant now) {
        Chunk chunk = c.chunk();
        long index = ledger.append(tx, new LedgerEntry(LedgerEntry.Kind.CHUNK, id, chunk.chunkSeq(), chunk.hash()));
        tx.insertChunk(new ChunkRecord(id, chunk.chunkSeq(), chunk.firstEventSeq(), chunk.eventCount(),
                chunk.firstOffsetMicros(), chunk.lastOffsetMicros(), chunk.prevHash(), chunk.hash(),
                blobKey(id, chunk.chunkSeq()), c.bytes().length, index, chunk.uncompressedLength()), now);
        List<CommandRecord> started = new ArrayList<>();
        // A command id the session already has keeps its first command in the index (the recording keeps both):
        // the index must never stop a valid recording from being stored.
        Set<Long> ids = c.commandStarts().isEmpty() ? new HashSet<>()
                : new HashSet<>(tx.storedCommandIds(id, c.commandStarts().stream().map(CommandStartEvent::commandId)
                        .toList()));
        for (CommandStartEvent s : c.commandStarts()) {
            if (ids.add(s.commandId())) {
                started.add(new CommandRecord(id, s.commandId(), s.commandLine(), s.cwd(), s.source().jsonName(),
                        eventTime(startedAt, s.offsetMicros()), s.offsetMicros(), null, null, null));
            }
        }
        if (!started.isEmpty()) {
            tx.insertCommands(started);
        }
        for (CommandEndEvent e : c.commandEnds()) {
            tx.completeCommand(id, e.commandId(), eventTime(startedAt, e.offsetMicros()), e.offsetMicros(),
                    e.exitCode());
        }
        if (!c.events().isEmpty()) {
            tx.insertSessionEvents(c.events());
        }
        // output text is indexed by OutputTextIndexer after the commit (FTS5 is too slow for the commit path)
    }

    private static IngestException foreign(UUID sessionId) {
        return new IngestException(FOREIGN_HOST, "session " + sessionId + " was started by another host", null);
    }

    /** A request's place in its group: the session's progress after it, and whether it starts the session. */
    private record Plan(SessionProgress after, boolean newSession) {
    }

    /** Queued by {@link #close()} behind the requests to commit before stopping. */
    private static final Pending STOP = new Pending(null);

    private static final class Pending {
        final ReceivedBatch batch;
        final CompletableFuture<CommitPoint> result = new CompletableFuture<>();
        /** Why the committer refused the request; set (on the committer thread) before it is answered. */
        IngestException refusal;

        Pending(ReceivedBatch batch) {
            this.batch = batch;
        }
    }
}
