package org.ttyaudit.core.format;

import com.github.luben.zstd.Zstd;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionHeader;

/**
 * Turns one session's event stream into hash-chained {@link Chunk}s and finally a {@link SessionEndRecord}.
 * It owns the chain state: the next chunk seq, the next event seq, the last hash, and the last time offset.
 * It does no I/O, so the spool writer and a network sender can share it.
 *
 * <p>Not thread-safe: one per session, used by one thread at a time. The encoding buffers are reused across
 * chunks, so sealing does not allocate per event beyond the resulting chunk.
 *
 * <p>Failure modes: {@link IllegalArgumentException} for events that break the stream's contract (empty list,
 * time going backwards, a chunk above the size limit) — nothing is advanced then; {@link IllegalStateException}
 * once {@link #end} was called.
 */
public final class ChunkEncoder {
    /** zstd level 3 (its default): fast enough to sit on the output path, and terminal output compresses well. */
    private static final int ZSTD_LEVEL = 3;
    private static final int INITIAL_PAYLOAD_BYTES = 4 * 1024;
    private static final int INITIAL_SCRATCH_BYTES = 256;

    private final SessionHeader header;
    private final byte[] headerBytes;
    private final byte[] headerHash;
    /** Starts small and grows with the chunks: a gateway holds hundreds of idle sessions' encoders. */
    private final ByteSink payload = new ByteSink(INITIAL_PAYLOAD_BYTES);
    private final ByteSink scratch = new ByteSink(INITIAL_SCRATCH_BYTES);
    private byte[] compressBuffer = new byte[0];
    private byte[] lastHash;
    private long nextChunkSeq;
    private long nextEventSeq;
    private long lastOffsetMicros;
    private boolean ended;

    public ChunkEncoder(SessionHeader header) {
        this.header = Objects.requireNonNull(header, "header");
        this.headerBytes = SessionHeaderCodec.toBytes(header);
        this.headerHash = Sha256.of(headerBytes, 0, headerBytes.length);
        this.lastHash = headerHash;
    }

    public SessionHeader header() {
        return header;
    }

    /** The session-header record (canonical JSON). A copy: the chain depends on these bytes staying as they are. */
    public byte[] headerRecordBytes() {
        return headerBytes.clone();
    }

    /** SHA-256 of {@link #headerRecordBytes()}: the prev hash of chunk 0. */
    public byte[] headerHash() {
        return headerHash.clone();
    }

    /** The hash the next chunk will link to (the last chunk's, or the header's). */
    public byte[] lastHash() {
        return lastHash.clone();
    }

    public long chunkCount() {
        return nextChunkSeq;
    }

    public long eventCount() {
        return nextEventSeq;
    }

    /**
     * Encodes {@code events} as the next chunk and advances the chain.
     *
     * @param events the next events of the session, at least one, offsets never decreasing (also not from the
     *               previous chunk's last event)
     */
    public Chunk seal(List<Event> events) {
        if (ended) {
            throw new IllegalStateException("session already ended; no more chunks");
        }
        Objects.requireNonNull(events, "events");
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a chunk needs at least one event");
        }
        long first = events.get(0).offsetMicros();
        if (first < lastOffsetMicros) {
            throw new IllegalArgumentException("first event (" + events.get(0).kind() + ") goes back in time: "
                    + first + " µs after " + lastOffsetMicros + " µs in the previous chunk");
        }
        long last = events.get(events.size() - 1).offsetMicros();
        payload.reset();
        EventPayload.encode(events, payload, scratch);
        int rawLength = payload.size();
        if (rawLength > Limits.MAX_PAYLOAD) {
            throw new IllegalArgumentException("chunk of " + rawLength + " bytes exceeds the limit of "
                    + Limits.MAX_PAYLOAD + "; seal smaller chunks");
        }
        PayloadCodec codec;
        byte[] stored;
        byte[] compressed = compress(payload.array(), rawLength);
        if (compressed != null) {
            codec = PayloadCodec.ZSTD;
            stored = compressed;
        } else {
            codec = PayloadCodec.STORED;
            stored = Arrays.copyOf(payload.array(), rawLength);
        }
        Chunk draft = new Chunk(header.sessionId(), nextChunkSeq, nextEventSeq, events.size(), first, last, codec,
                rawLength, lastHash, stored, lastHash);
        Chunk chunk = new Chunk(draft.sessionId(), draft.chunkSeq(), draft.firstEventSeq(), draft.eventCount(),
                first, last, codec, rawLength, lastHash, stored, draft.computeHash());
        lastHash = chunk.hash();
        nextChunkSeq++;
        nextEventSeq += events.size();
        lastOffsetMicros = last;
        return chunk;
    }

    /**
     * Gives back the buffers that grew for large chunks (a burst of output makes them about twice the chunk size;
     * kept, hundreds of sessions that once printed a lot would each hold megabytes). The next large chunk grows
     * them again. Call between chunks, e.g. when the session has gone quiet.
     */
    public void releaseBuffers() {
        payload.release(INITIAL_PAYLOAD_BYTES);
        scratch.release(INITIAL_SCRATCH_BYTES);
        if (compressBuffer.length > INITIAL_PAYLOAD_BYTES * 2) {
            compressBuffer = new byte[0];
        }
    }

    /** The bytes of buffers this encoder holds between chunks. */
    public long bufferedBytes() {
        return (long) payload.capacity() + scratch.capacity() + compressBuffer.length;
    }

    /** The zstd frame of {@code src}, or null when it would not be smaller than the raw bytes. */
    private byte[] compress(byte[] src, int length) {
        int bound = (int) Math.min(Integer.MAX_VALUE, Zstd.compressBound(length));
        if (compressBuffer.length < bound) {
            compressBuffer = new byte[bound];
        }
        long n = Zstd.compressByteArray(compressBuffer, 0, bound, src, 0, length, ZSTD_LEVEL);
        if (Zstd.isError(n)) {
            throw new IllegalStateException("zstd compression failed: " + Zstd.getErrorName(n));
        }
        return n < length ? Arrays.copyOf(compressBuffer, (int) n) : null;
    }

    /** Closes the chain: the end record with the counts and the final hash. No chunk can follow. */
    public SessionEndRecord end(SessionEnd end) {
        Objects.requireNonNull(end, "end");
        if (ended) {
            throw new IllegalStateException("session already ended");
        }
        SessionEndRecord record = SessionEndRecord.create(header.sessionId(), end, nextChunkSeq, nextEventSeq,
                lastHash);
        ended = true;
        return record;
    }
}
