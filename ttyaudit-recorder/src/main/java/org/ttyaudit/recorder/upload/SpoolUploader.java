package org.ttyaudit.recorder.upload;

import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.format.FormatException;
import org.ttyaudit.core.format.FrameReader;
import org.ttyaudit.core.format.SessionEndRecord;
import org.ttyaudit.core.format.SessionHeaderCodec;
import org.ttyaudit.core.model.SessionId;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Ships one session from its record file to the audit server (docs/INGEST.md), while the recorder writes it and
 * after: store-and-forward with the server's commit point.
 *
 * <p>It asks the commit point first (on start and after every failure) and skips what the server holds, checking
 * that the server's last hash is the file's. Then it sends the header at once (when the server does not know the
 * session), and the frames that are durable in the file as they appear, batching what is pending into one
 * request of at most {@link Settings#maxBatchBytes()} (a larger single frame goes alone), the end record last. A
 * 409 resumes from the commit point in the answer; other 4xx answers stop the upload ({@link UploadOutcome.Refused});
 * no answer or a 5xx is retried with {@link Backoff}, except that when the client has moved to another server
 * ({@link IngestException#retryAtOnce()}) the retry, which asks that server's commit point first, goes at once.
 * While the session is live and nothing is pending it asks the commit point every {@link Settings#heartbeat()}, which is how the server's {@code terminate} arrives:
 * {@link Listener#terminateRequested} is called once.
 *
 * <p>Frames come from the file through {@link FrameReader} and go on the wire unchanged; the uploader reads only
 * below what {@link RecordProgress} says is fsync'd. It never writes the file or the spool: the caller acts on the
 * {@link UploadOutcome}.
 *
 * <p>One uploader per session, run by one thread ({@link #run()}); interrupting that thread stops it.
 */
public final class SpoolUploader {
    public static final Duration HEARTBEAT = Duration.ofSeconds(2);
    public static final int MAX_BATCH_BYTES = 8 * 1024 * 1024;

    /**
     * @param maxAttempts   consecutive transient failures after which {@link #run()} gives up with
     *                      {@link UploadOutcome.Unreachable}; {@link Integer#MAX_VALUE} retries for ever
     * @param heartbeat     how often a live session with nothing pending asks the commit point
     * @param maxBatchBytes how many bytes of frames one request carries at most (unless one frame is larger)
     */
    public record Settings(int maxAttempts, Duration heartbeat, int maxBatchBytes) {
        public Settings {
            if (maxAttempts < 1 || maxBatchBytes < 1) {
                throw new IllegalArgumentException("maxAttempts and maxBatchBytes must be positive");
            }
            Objects.requireNonNull(heartbeat, "heartbeat");
        }

        /** Retry for ever, heartbeat every 2 s, 8 MiB batches. */
        public static Settings persistent() {
            return new Settings(Integer.MAX_VALUE, HEARTBEAT, MAX_BATCH_BYTES);
        }

        /** Give up after {@code attempts} failures in a row. */
        public static Settings attempts(int attempts) {
            return new Settings(attempts, HEARTBEAT, MAX_BATCH_BYTES);
        }
    }

    /** What the uploader reports while it runs; called on its thread. No-op defaults. */
    public interface Listener {
        /** The server asked for the session to end (called at most once). */
        default void terminateRequested(String reason) {
        }

        /**
         * The server's latency request changed (docs/INGEST.md, "Live view"): the chunk latency it asks for while
         * the session is watched, or empty when it asks for nothing. Called on every change, first when a request
         * appears.
         */
        default void flushWithin(Optional<Duration> latency) {
        }

        /** A transient failure; the next attempt follows after {@code delay}. */
        default void retrying(IngestException failure, Duration delay) {
        }
    }

    private final Path file;
    private final RecordProgress progress;
    private final IngestClient client;
    private final Backoff backoff;
    private final Sleeper sleeper;
    private final Settings settings;
    private final Listener listener;

    private FrameReader reader;
    private SessionId id;
    private byte[] headerHash;
    private long afterHeader;
    /** File offset of each chunk frame, by seq, as far as the file has been read. */
    private final List<Long> chunkOffsets = new ArrayList<>();
    private long discovered;
    private SessionEndRecord end;
    private long endOffset = Long.MAX_VALUE;
    /** The server's latest commit point; null while it does not know the session. */
    private CommitPoint commit;
    /** The reader's position when everything before it was known to be committed; -1 when not known. */
    private long committedPosition = -1;
    private CommitPoint lastConflict;
    private boolean terminateReported;
    private Integer flushWithinMillis;
    private int failures;
    private int switchesWithoutBackoff;

    public SpoolUploader(Path file, RecordProgress progress, IngestClient client, Backoff backoff, Sleeper sleeper,
                         Settings settings, Listener listener) {
        this.file = file;
        this.progress = progress;
        this.client = client;
        this.backoff = backoff;
        this.sleeper = sleeper;
        this.settings = settings;
        this.listener = listener;
    }

    /** Ends the run with an outcome from deep inside. */
    private static final class Stop extends Exception {
        final transient UploadOutcome outcome;

        Stop(UploadOutcome outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }

    /**
     * Uploads until the server holds everything the file will ever hold, or the upload cannot go on.
     *
     * @throws InterruptedException when the thread is interrupted (the upload stops; nothing is lost, the spool
     *                              keeps the file)
     */
    public UploadOutcome run() throws InterruptedException {
        try {
            openAndReadHeader();
            return upload();
        } catch (Stop s) {
            return s.outcome;
        } catch (NoSuchFileException e) {
            return new UploadOutcome.Unreadable(id, file + " no longer exists");
        } catch (IOException e) {
            return new UploadOutcome.Unreadable(id, file + ": " + e.getMessage());
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (IOException ignored) {
                    // read-only
                }
            }
        }
    }

    private void openAndReadHeader() throws IOException, InterruptedException, Stop {
        RecordProgress.Snapshot seen = progress.snapshot();
        while (seen.durableLength() == 0) {
            if (seen.closed()) {
                throw new Stop(new UploadOutcome.NotARecord(null, "nothing of the record was ever written"));
            }
            sleeper.awaitProgress(progress, seen, settings.heartbeat());
            seen = progress.snapshot();
        }
        try {
            reader = FrameReader.open(file);
        } catch (FormatException e) {
            throw new Stop(new UploadOutcome.NotARecord(null, e.getMessage()));
        }
        while (true) {
            FrameReader.Result r = reader.next(seen.durableLength());
            if (r instanceof FrameReader.Frame f && f.kind() == FrameReader.Kind.SESSION_HEADER) {
                try {
                    id = SessionHeaderCodec.fromBytes(f.body()).sessionId();
                } catch (FormatException e) {
                    throw new Stop(new UploadOutcome.NotARecord(null, "the session header does not parse: "
                            + e.getMessage()));
                }
                headerHash = sha256(f.body());
                afterHeader = f.endOffset();
                discovered = afterHeader;
                return;
            }
            if (r instanceof FrameReader.Frame f) {
                throw new Stop(new UploadOutcome.NotARecord(null, "the first frame is a " + f.kind()
                        + ", not the session header"));
            }
            if (r instanceof FrameReader.Damaged d) {
                throw new Stop(new UploadOutcome.NotARecord(null, "the session header frame is damaged: " + d.what()));
            }
            if (seen.closed()) {
                throw new Stop(new UploadOutcome.NotARecord(null, "the file ends before its session header is "
                        + "complete"));
            }
            sleeper.awaitProgress(progress, seen, settings.heartbeat());
            seen = progress.snapshot();
        }
    }

    private UploadOutcome upload() throws IOException, InterruptedException, Stop {
        boolean needSync = true;
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (needSync) {
                Optional<CommitPoint> cp;
                try {
                    cp = client.commitPoint(id);
                } catch (IngestException e) {
                    failed(e);
                    continue;
                }
                resumeFrom(cp.orElse(null));
                needSync = false;
            }
            RecordProgress.Snapshot seen = progress.snapshot();
            Batch batch = gather(seen.durableLength());
            if (batch.isEmpty()) {
                committedPosition = commit == null ? -1 : reader.position();
                succeeded(); // the server answered and nothing is pending: the next failure starts afresh
                Optional<UploadOutcome> done = finished(seen);
                if (done.isPresent()) {
                    return done.get();
                }
                // Live and idle: wait for the recorder, and ask the commit point now and then (terminate).
                sleeper.awaitProgress(progress, seen, settings.heartbeat());
                if (progress.snapshot().equals(seen)) {
                    needSync = true;
                }
                continue;
            }
            IngestClient.PostOutcome answer;
            try {
                answer = client.post(id, batch.bytes());
            } catch (IngestException e) {
                failed(e);
                needSync = true;
                continue;
            }
            succeeded();
            if (answer instanceof IngestClient.Committed c) {
                lastConflict = null;
                CommitPoint cp = c.commit();
                actOnServerRequests(cp);
                boolean asSent = cp.committedSeq() == batch.lastChunkSeq() && (cp.ended() || !batch.hasEnd());
                if (asSent) {
                    commit = cp; // the reader is already past the batch
                    committedPosition = reader.position();
                } else {
                    resumeFrom(cp); // a 200 that does not cover the request: believe the server, resume there
                }
            } else {
                IngestClient.Conflict c = (IngestClient.Conflict) answer;
                if (lastConflict != null && lastConflict.committedSeq() == c.commit().committedSeq()) {
                    throw new Stop(new UploadOutcome.Refused(id, "the server keeps refusing chunk "
                            + (c.commit().committedSeq() + 1) + " as out of order: " + c.error(), false));
                }
                lastConflict = c.commit();
                resumeFrom(c.commit());
            }
        }
    }

    /** Whether the upload is complete, or cannot become so; empty while a live session may write more. */
    private Optional<UploadOutcome> finished(RecordProgress.Snapshot seen) throws Stop {
        long lastChunk = chunkOffsets.size() - 1;
        if (commit != null && commit.ended()) {
            if (end != null && commit.committedSeq() == end.chunkCount() - 1) {
                return Optional.of(new UploadOutcome.Uploaded(id, true, end.chunkCount()));
            }
            if (seen.closed()) {
                throw new Stop(new UploadOutcome.Refused(id, "the server has ended the session after chunk "
                        + commit.committedSeq() + ", but the record " + (end == null ? "has no end record and "
                        : "ends differently and ") + "holds chunks up to " + lastChunk, false));
            }
            return Optional.empty();
        }
        if (!seen.closed()) {
            return Optional.empty();
        }
        // Nobody writes the file any more and all of it that is intact was read.
        if (commit != null && end == null) {
            if (commit.committedSeq() == lastChunk) {
                return Optional.of(new UploadOutcome.Uploaded(id, false, lastChunk + 1));
            }
            if (commit.committedSeq() > lastChunk) {
                throw new Stop(new UploadOutcome.Refused(id, "the server holds chunk " + commit.committedSeq()
                        + ", but the record ends at chunk " + lastChunk + " (a different or shortened file?)",
                        false));
            }
        }
        throw new Stop(new UploadOutcome.Refused(id, "nothing left to send, but the server's commit point ("
                + (commit == null ? "none" : "chunk " + commit.committedSeq() + (commit.ended() ? ", ended" : ""))
                + ") does not cover the record", false));
    }

    /** Positions the reader after what {@code cp} says is stored (null: the server has nothing, start over). */
    private void resumeFrom(CommitPoint cp) throws Stop {
        if (cp != null && commit != null && committedPosition >= 0 && reader.position() == committedPosition
                && cp.committedSeq() == commit.committedSeq() && cp.ended() == commit.ended()
                && Objects.equals(cp.lastHash(), commit.lastHash())) {
            commit = cp; // a heartbeat that changes nothing: the reader stays where it is
            actOnServerRequests(cp);
            return;
        }
        commit = cp;
        committedPosition = -1;
        if (cp == null) {
            reader.seek(FrameReader.FIRST_FRAME_OFFSET);
            return;
        }
        actOnServerRequests(cp);
        long c = cp.committedSeq();
        if (c == -1) {
            if (!cp.lastHashIs(headerHash)) {
                throw new Stop(new UploadOutcome.Refused(id, "the server holds a different session header (its "
                        + "last hash " + cp.lastHash() + " is not this record's header hash)", false));
            }
            reader.seek(afterHeader);
        } else if (c < chunkOffsets.size()) {
            reader.seek(chunkOffsets.get((int) c)); // re-read chunk c to compare its hash with the server's
        } else {
            reader.seek(discovered); // the server is ahead of what was read: skip forward while reading
        }
    }

    /** Acts on what the server asks in a commit point: ending the session, a latency while it is watched. */
    private void actOnServerRequests(CommitPoint cp) {
        if (!Objects.equals(cp.flushWithinMillis(), flushWithinMillis)) {
            flushWithinMillis = cp.flushWithinMillis();
            listener.flushWithin(Optional.ofNullable(flushWithinMillis).map(Duration::ofMillis));
        }
        if (cp.terminate() && !terminateReported) {
            terminateReported = true;
            listener.terminateRequested(cp.terminateReason() == null ? "no reason given" : cp.terminateReason());
        }
    }

    /** The frames to send next, read from the reader's position below {@code limit}. */
    private Batch gather(long limit) throws IOException, Stop {
        Batch batch = new Batch(commit == null ? -1 : commit.committedSeq());
        while (!batch.hasEnd()) {
            long at = reader.position();
            FrameReader.Result r = reader.next(limit);
            if (r instanceof FrameReader.Pending) {
                break;
            }
            if (r instanceof FrameReader.Damaged d) {
                if (!batch.isEmpty()) {
                    break; // the intact frames before the damage go up first, as a reader keeps them too
                }
                throw new Stop(new UploadOutcome.NotARecord(id, "frame at byte " + d.offset() + " is damaged ("
                        + d.what() + ")"));
            }
            FrameReader.Frame f = (FrameReader.Frame) r;
            discovered = Math.max(discovered, f.endOffset());
            boolean send = switch (f.kind()) {
                case SESSION_HEADER -> {
                    if (f.offset() != FrameReader.FIRST_FRAME_OFFSET) {
                        throw new Stop(new UploadOutcome.NotARecord(id, "a second session header at byte "
                                + f.offset()));
                    }
                    yield commit == null;
                }
                case CHUNK -> sendChunk(f);
                case SESSION_END -> {
                    end = parseEnd(f);
                    endOffset = f.offset();
                    yield commit == null || !commit.ended();
                }
                case UNKNOWN -> false; // not covered by the chain, and the server would refuse it
            };
            if (!send) {
                continue;
            }
            if (!batch.isEmpty() && batch.size() + f.size() > settings.maxBatchBytes()) {
                reader.seek(at); // it goes first in the next request
                break;
            }
            batch.add(f);
        }
        return batch;
    }

    /** Notes where the chunk is; whether it still has to be sent (not yet committed). */
    private boolean sendChunk(FrameReader.Frame f) throws Stop {
        Chunk chunk;
        try {
            chunk = Chunk.fromBytes(f.body());
        } catch (FormatException e) {
            throw new Stop(new UploadOutcome.NotARecord(id, "chunk frame at byte " + f.offset()
                    + " does not parse: " + e.getMessage()));
        }
        long seq = chunk.chunkSeq();
        if (!chunk.sessionId().equals(id)) {
            throw new Stop(new UploadOutcome.NotARecord(id, "chunk " + seq + " at byte " + f.offset()
                    + " belongs to session " + chunk.sessionId()));
        }
        if (seq == chunkOffsets.size()) {
            chunkOffsets.add(f.offset());
        } else if (seq > chunkOffsets.size() || chunkOffsets.get((int) seq) != f.offset()) {
            throw new Stop(new UploadOutcome.NotARecord(id, "chunk " + seq + " at byte " + f.offset()
                    + " is out of order (chunk " + chunkOffsets.size() + " was expected)"));
        }
        if (f.offset() > endOffset) {
            throw new Stop(new UploadOutcome.NotARecord(id, "chunk " + seq + " at byte " + f.offset()
                    + " follows the session end record"));
        }
        if (commit != null && seq <= commit.committedSeq()) {
            if (seq == commit.committedSeq() && !commit.lastHashIs(chunk.hash())) {
                throw new Stop(new UploadOutcome.Refused(id, "the server's chunk " + seq + " is not this "
                        + "record's (last hash " + commit.lastHash() + ")", false));
            }
            return false;
        }
        return true;
    }

    private SessionEndRecord parseEnd(FrameReader.Frame f) throws Stop {
        try {
            return SessionEndRecord.fromBytes(f.body());
        } catch (FormatException e) {
            throw new Stop(new UploadOutcome.NotARecord(id, "the session end frame at byte " + f.offset()
                    + " does not parse: " + e.getMessage()));
        }
    }

    private void failed(IngestException e) throws InterruptedException, Stop {
        if (e.permanent()) {
            throw new Stop(new UploadOutcome.Refused(id, e.getMessage(), e.credentialRefused()));
        }
        // The client moved to another server: ask it the commit point at once. At most one such retry per other
        // server between two backoffs, so that servers which each answer the commit point but fail the POST
        // cannot make it spin without pause.
        if (e.retryAtOnce() && switchesWithoutBackoff < client.servers().size() - 1) {
            switchesWithoutBackoff++;
            listener.retrying(e, Duration.ZERO);
            return;
        }
        switchesWithoutBackoff = 0;
        failures++;
        if (failures >= settings.maxAttempts()) {
            throw new Stop(new UploadOutcome.Unreachable(id, e.getMessage()));
        }
        Duration delay = backoff.next();
        listener.retrying(e, delay);
        sleeper.sleep(delay);
    }

    /** Progress was made: the consecutive failures and the backoff start over. */
    private void succeeded() {
        failures = 0;
        switchesWithoutBackoff = 0;
        backoff.reset();
    }

    /** Frames for one request. */
    private static final class Batch {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private long lastChunkSeq;
        private boolean hasEnd;
        private int frames;

        Batch(long committedSeq) {
            this.lastChunkSeq = committedSeq;
        }

        void add(FrameReader.Frame f) {
            bytes.writeBytes(f.bytes());
            frames++;
            if (f.kind() == FrameReader.Kind.CHUNK) {
                lastChunkSeq++;
            } else if (f.kind() == FrameReader.Kind.SESSION_END) {
                hasEnd = true;
            }
        }

        boolean isEmpty() {
            return frames == 0;
        }

        int size() {
            return bytes.size();
        }

        long lastChunkSeq() {
            return lastChunkSeq;
        }

        boolean hasEnd() {
            return hasEnd;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
