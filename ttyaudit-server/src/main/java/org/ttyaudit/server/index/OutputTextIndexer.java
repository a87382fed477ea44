package org.ttyaudit.server.index;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttyaudit.server.background.CommittedChunk;
import org.ttyaudit.server.background.RoundWorker;
import org.ttyaudit.server.blob.BlobStore;
import org.ttyaudit.server.cluster.Leadership;
import org.ttyaudit.server.store.ChunkRecord;
import org.ttyaudit.server.store.OutputText;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.store.ChunkBacklog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Indexes the output text of committed chunks for search, in the background: ingest commits chunk rows, blobs,
 * commands and ledger leaves, and this thread then reads the chunks from the blob store, strips their output
 * ({@link TerminalText}) and writes the {@code output_text} rows in transactions of its own. Full-text indexing
 * of output is the slowest part of ingest (FTS5 takes about 26 MB/s of text per core), so it no longer bounds
 * how fast the server takes data; search of output lags behind ingest instead (by about a second under normal
 * load, more while bulk output arrives faster than it is indexed).
 *
 * <p><b>Durable cursor:</b> per session, the store keeps the last chunk whose text is indexed
 * ({@link org.ttyaudit.server.store.SessionQueries#outputTextIndexedSeq}), advanced in the same transaction as
 * the rows. After a crash or kill -9 the indexer resumes from the store's backlog: no chunk is skipped and none
 * is indexed twice.
 *
 * <p><b>Bounded work:</b> each round takes at most {@link #MAX_SESSIONS_PER_ROUND} sessions (in id order,
 * continuing after the last session of the previous round, so every session gets its turn) and at most
 * {@link #MAX_TEXT_CHARS_PER_ROUND} characters of text: memory stays bounded however far behind it is, and the
 * store's single writer is held for a short transaction (the budget, or one chunk when a chunk is larger: tens of
 * ms of FTS5 work), not for the whole backlog. <b>Ingest first:</b> while ingest commits, the indexer pauses after
 * each round so that it takes at most {@link #BUSY_SHARE} of the time (CPU and writer); under bulk load it falls
 * behind and catches up afterwards; 500 live sessions it keeps up with, 1000 (3 MB/s of output) it does not: it
 * lagged by about 70 s of ingest after 90 s and caught up in 20 s once the load stopped (docs/PERFORMANCE.md). A chunk whose blob is missing or does not decode is skipped (logged; the verifier reports the damage);
 * a blob that cannot be read right now is retried in a later round.
 *
 * <p>Thread-safe. {@link #close()} stops the thread ({@link RoundWorker}) after its current round.
 */
public final class OutputTextIndexer implements AutoCloseable {

    static final int MAX_SESSIONS_PER_ROUND = 64;
    static final int MAX_CHUNKS_PER_SESSION = 64;
    static final long MAX_TEXT_CHARS_PER_ROUND = 512L * 1024;
    /**
     * While ingest commits, the indexer takes at most this share of the time (it pauses after each round), so it
     * does not take the CPU and the store's writer from ingest: under bulk load it falls behind and catches up
     * when ingest calms down; at live-session rates (a few MB/s of output) the share is ample.
     */
    static final double BUSY_SHARE = 0.25;
    /** Ingest counts as busy for this long after a commit. */
    private static final long BUSY_NANOS = Duration.ofMillis(250).toNanos();
    private static final Logger log = LoggerFactory.getLogger(OutputTextIndexer.class);

    private final Store store;
    private final BlobStore blobs;
    private final ChunkIndexer indexer;
    private final RoundWorker worker;
    private UUID after;
    private volatile long indexedChunks;
    private volatile long indexedChars;
    private volatile long lastCommit = System.nanoTime() - BUSY_NANOS;

    /**
     * An indexer; {@link #start()} starts its thread.
     *
     * @param idlePoll how long an idle indexer waits before looking at the store again, when nothing woke it
     */
    public OutputTextIndexer(Store store, BlobStore blobs, ChunkIndexer indexer, Duration idlePoll) {
        this.store = store;
        this.blobs = blobs;
        this.indexer = indexer;
        this.worker = new RoundWorker("ttyaudit-output-indexer", "indexing output text", this::roundYieldingToIngest,
                idlePoll);
    }

    /** Starts the thread, which first takes up the backlog the store holds (from before a crash, say). */
    public OutputTextIndexer start() {
        return start(Leadership.ALONE);
    }

    /** Starts the thread; it works only while this instance leads the fleet. */
    public OutputTextIndexer start(Leadership leadership) {
        worker.start(leadership);
        return this;
    }

    /**
     * Tells the indexer that ingest committed chunks: it does not wait for its idle poll, and it yields to ingest
     * for a while ({@link #BUSY_SHARE}). Never blocks.
     */
    public void committed() {
        lastCommit = System.nanoTime();
        worker.wake();
    }

    /** Tells the indexer to look at the store now (so it does not wait for its idle poll). Never blocks. */
    public void wake() {
        worker.wake();
    }

    /**
     * Waits until the output text of every chunk committed so far is indexed (for tests and tools that search
     * right after ingest).
     *
     * @return false when that did not happen within {@code timeout}
     */
    public boolean awaitIndexed(Duration timeout) throws InterruptedException {
        return worker.awaitUntil(() -> store.sessions().outputTextBacklog(null, 1).isEmpty(), timeout);
    }

    /** Chunks indexed (including chunks without output) and characters of text written since the start. */
    public long indexedChunks() {
        return indexedChunks;
    }

    public long indexedChars() {
        return indexedChars;
    }

    @Override
    public void close() {
        worker.close();
    }

    /** A round, then a pause while ingest is busy ({@link #BUSY_SHARE}). */
    private int roundYieldingToIngest() {
        long started = System.nanoTime();
        int done = round();
        if (done > 0 && started - lastCommit < BUSY_NANOS) {
            yieldToIngest(System.nanoTime() - started);
        }
        return done;
    }

    /** Pauses so that a round of {@code roundNanos} was {@link #BUSY_SHARE} of the time. */
    private void yieldToIngest(long roundNanos) {
        long pause = (long) (roundNanos * (1 - BUSY_SHARE) / BUSY_SHARE);
        try {
            Thread.sleep(Math.min(Duration.ofNanos(pause).toMillis(), 2000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Indexes one bounded batch; returns how many chunks it covered (0: nothing was pending). */
    int round() {
        List<ChunkBacklog> backlog = store.sessions().outputTextBacklog(after, MAX_SESSIONS_PER_ROUND);
        if (backlog.isEmpty() && after != null) {
            after = null;
            backlog = store.sessions().outputTextBacklog(null, MAX_SESSIONS_PER_ROUND);
        }
        if (backlog.isEmpty()) {
            return 0;
        }
        List<OutputText> texts = new ArrayList<>();
        Map<UUID, Long> through = new LinkedHashMap<>();
        long chars = 0;
        int chunks = 0;
        for (ChunkBacklog b : backlog) {
            if (chars >= MAX_TEXT_CHARS_PER_ROUND) {
                break;
            }
            after = b.sessionId();
            int count = (int) Math.min(MAX_CHUNKS_PER_SESSION, b.committedSeq() - b.doneSeq());
            for (ChunkRecord row : store.sessions().chunks(b.sessionId(), b.doneSeq() + 1, count)) {
                if (row.seq() > b.committedSeq()) {
                    break;
                }
                Optional<String> text;
                try {
                    text = CommittedChunk.decode(blobs, row, "output search",
                            (chunk, bytes) -> indexer.index(chunk, bytes).outputText());
                } catch (RuntimeException e) {
                    log.warn("cannot read chunk {} of session {} to index its output; trying again later: {}",
                            row.seq(), row.sessionId(), e.toString());
                    break;
                }
                if (text.isPresent() && !text.get().isBlank()) {
                    texts.add(new OutputText(row.sessionId(), row.seq(), row.firstOffsetMicros(), text.get()));
                    chars += text.get().length();
                }
                through.put(b.sessionId(), row.seq());
                chunks++;
                if (chars >= MAX_TEXT_CHARS_PER_ROUND) {
                    break;
                }
            }
        }
        if (through.isEmpty()) {
            return 0;
        }
        store.write(tx -> {
            texts.forEach(tx::insertOutputText);
            through.forEach(tx::outputTextIndexed);
            return null;
        });
        indexedChunks += chunks;
        indexedChars += chars;
        return chunks;
    }
}
