package org.ttyaudit.core.format;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.SessionHeader;

/**
 * A record file as read by {@link RecordFileReader}: the session header, the chunks of the intact prefix of the
 * file, and the end record if the file has one. Events are decoded only when asked for, one chunk at a time.
 *
 * <p>Reading is structural: frames and their CRCs, and that each record parses. Hashes, the chain and sequence
 * continuity are the {@link RecordVerifier}'s job. Reading stops at the first damage; {@link #problems()} says
 * what and where, and {@link #tornTailBytes()} how much of an incomplete last frame was cut.
 *
 * <p>Immutable and safe to share between threads (chunks are immutable by contract).
 *
 * @param intactLength the length of the file prefix that was read as valid frames (where an appender would
 *                     continue after cutting a torn tail)
 */
public record Recording(SessionHeader header, byte[] headerRecordBytes, List<Chunk> chunks,
                        Optional<SessionEndRecord> end, long tornTailBytes, long intactLength,
                        List<String> problems) {

    public Recording {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(headerRecordBytes, "headerRecordBytes");
        chunks = List.copyOf(chunks);
        Objects.requireNonNull(end, "end");
        problems = List.copyOf(problems);
        if (tornTailBytes < 0 || intactLength < 0) {
            throw new IllegalArgumentException("negative length");
        }
    }

    /** SHA-256 of the session-header record bytes as stored: chunk 0's expected prev hash. */
    public byte[] headerHash() {
        return Sha256.of(headerRecordBytes, 0, headerRecordBytes.length);
    }

    /** Whether the file has its session end record (the recorder finished normally). */
    public boolean complete() {
        return end.isPresent();
    }

    /** The number of events in the chunks read. */
    public long eventCount() {
        long n = 0;
        for (Chunk c : chunks) {
            n += c.eventCount();
        }
        return n;
    }

    /**
     * Hands every event to {@code visitor} in file order with its sequence number, decoding one chunk at a time so
     * memory stays bounded by one chunk's events.
     *
     * @throws FormatException at the first chunk whose payload does not decode (events before it were visited)
     */
    public void forEachEvent(EventVisitor visitor) {
        for (Chunk c : chunks) {
            c.forEachEvent(visitor, null);
        }
    }

    /**
     * The events as an {@link Iterable} (for exporters and players), decoding one chunk at a time so a session of
     * gigabytes needs only one chunk's events in memory.
     *
     * @throws FormatException from the iterator, at the first chunk whose payload does not decode
     */
    public Iterable<Event> events() {
        return new ChunkEvents(chunks);
    }

}
