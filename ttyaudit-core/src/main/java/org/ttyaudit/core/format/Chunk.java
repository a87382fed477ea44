package org.ttyaudit.core.format;

import com.github.luben.zstd.Zstd;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.SessionId;

/**
 * One link of a session's hash chain: a run of consecutive events, compressed, with the fields that place it in
 * the session and {@code hash = SHA-256(prevHash || canonical header || payload)} (docs/FORMAT.md, "Chunk").
 *
 * <p>A chunk is the unit shared by the spool file, the wire and storage: {@link #toBytes()} and
 * {@link #fromBytes(byte[])} give its encoding independent of any file framing.
 *
 * <p>Immutable by contract: the arrays are not copied (a chunk's payload is up to 64 MiB and is passed along
 * several times), so neither the creator nor any caller may modify them. Equality compares array contents.
 *
 * @param codec              how {@code payload} holds the event bytes
 * @param uncompressedLength length of the event bytes once decompressed
 * @param prevHash           the previous chunk's hash, or the session header's hash for chunk 0 (32 bytes)
 * @param hash               the stored hash (32 bytes); {@link #computeHash()} recomputes it from the fields
 */
public record Chunk(SessionId sessionId, long chunkSeq, long firstEventSeq, int eventCount, long firstOffsetMicros,
                    long lastOffsetMicros, PayloadCodec codec, int uncompressedLength, byte[] prevHash,
                    byte[] payload, byte[] hash) {

    /** Version of the chunk encoding, the first byte of {@link #toBytes()} and of the hashed header. */
    public static final int ENCODING_VERSION = 1;

    public Chunk {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(payload, "payload");
        Sha256.checkLength(prevHash, "prevHash");
        Sha256.checkLength(hash, "hash");
        if (chunkSeq < 0 || firstEventSeq < 0) {
            throw new IllegalArgumentException("chunk seq and first event seq must not be negative: " + chunkSeq
                    + ", " + firstEventSeq);
        }
        if (eventCount <= 0) {
            throw new IllegalArgumentException("a chunk holds at least one event, not " + eventCount);
        }
        if (firstOffsetMicros < 0 || lastOffsetMicros < firstOffsetMicros) {
            throw new IllegalArgumentException("bad time range: " + firstOffsetMicros + ".." + lastOffsetMicros
                    + " µs");
        }
        if (uncompressedLength < 0 || uncompressedLength > Limits.MAX_PAYLOAD
                || payload.length > Limits.MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload larger than " + Limits.MAX_PAYLOAD + " bytes");
        }
        if (codec == PayloadCodec.STORED && payload.length != uncompressedLength) {
            throw new IllegalArgumentException("stored payload has " + payload.length + " bytes, header says "
                    + uncompressedLength);
        }
    }

    /** The events of this chunk, in order. */
    public List<Event> decodeEvents() {
        List<Event> events = new ArrayList<>(Math.min(eventCount, 1 << 16));
        forEachEvent((seq, e) -> events.add(e), null);
        return events;
    }

    /**
     * Hands each event to {@code visitor} with its sequence number. Events of unknown type are passed to
     * {@code unknown}, or are an error when it is null.
     *
     * @throws FormatException if the payload does not decompress or decode, or disagrees with this header
     *                         (event count, first/last offset); the message names the chunk seq
     */
    public void forEachEvent(EventVisitor visitor, UnknownEventHandler unknown) {
        try {
            decodeInto(visitor, unknown);
        } catch (FormatException e) {
            throw e.in("chunk " + chunkSeq);
        }
    }

    /** {@link #forEachEvent} without the chunk context in the message, for callers that add their own. */
    void decodeInto(EventVisitor visitor, UnknownEventHandler unknown) {
        byte[] raw = uncompressed();
        long[] offsets = {-1, -1};
        int count = EventPayload.decode(raw, raw.length, firstEventSeq, eventCount, (seq, e) -> {
            if (offsets[0] < 0) {
                offsets[0] = e.offsetMicros();
            }
            offsets[1] = e.offsetMicros();
            visitor.visit(seq, e);
        }, unknown == null ? null : (seq, type, offset, length) -> {
            if (offsets[0] < 0) {
                offsets[0] = offset;
            }
            offsets[1] = offset;
            unknown.skipped(seq, type, offset, length);
        });
        if (count != eventCount) {
            throw new FormatException("payload holds " + count + " events, header says " + eventCount);
        }
        if (offsets[0] != firstOffsetMicros || offsets[1] != lastOffsetMicros) {
            throw new FormatException("payload spans " + offsets[0] + ".." + offsets[1] + " µs, header says "
                    + firstOffsetMicros + ".." + lastOffsetMicros + " µs");
        }
    }

    private byte[] uncompressed() {
        if (codec == PayloadCodec.STORED) {
            return payload;
        }
        byte[] out = new byte[uncompressedLength];
        long n;
        try {
            n = Zstd.decompressByteArray(out, 0, out.length, payload, 0, payload.length);
        } catch (RuntimeException e) {
            // zstd-jni reports corrupt input as ZstdException; anything else from it is also about the bytes
            throw new FormatException("payload does not decompress: " + e.getMessage(), e);
        }
        if (n != uncompressedLength) {
            throw new FormatException("payload decompresses to " + n + " bytes, header says " + uncompressedLength);
        }
        return out;
    }

    /** {@code SHA-256(prevHash || canonical header || payload)}, from the fields as they are now. */
    public byte[] computeHash() {
        MessageDigest d = Sha256.newDigest();
        d.update(prevHash);
        d.update(canonicalHeader());
        d.update(payload);
        return d.digest();
    }

    /** Whether the stored hash equals the recomputed one. */
    public boolean hashMatches() {
        return MessageDigest.isEqual(hash, computeHash());
    }

    /** The fixed-size header fields that the hash covers, in their documented order. */
    byte[] canonicalHeader() {
        ByteSink b = new ByteSink(ChunkBytes.HEADER_LENGTH);
        ChunkBytes.writeHeader(this, b);
        return b.toByteArray();
    }

    /** This chunk's encoding: canonical header, prev hash, hash, payload (docs/FORMAT.md, "Chunk"). */
    public byte[] toBytes() {
        ByteSink b = new ByteSink(ChunkBytes.encodedLength(this));
        ChunkBytes.write(this, b);
        return b.array().length == b.size() ? b.array() : b.toByteArray();
    }

    /**
     * Parses the encoding written by {@link #toBytes()}. Does not check the hash ({@link #hashMatches()} does).
     *
     * @throws FormatException if the bytes are not a well-formed chunk
     */
    public static Chunk fromBytes(byte[] bytes) {
        return ChunkBytes.read(bytes, 0, bytes.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Chunk c && sessionId.equals(c.sessionId) && chunkSeq == c.chunkSeq
                && firstEventSeq == c.firstEventSeq && eventCount == c.eventCount
                && firstOffsetMicros == c.firstOffsetMicros && lastOffsetMicros == c.lastOffsetMicros
                && codec == c.codec && uncompressedLength == c.uncompressedLength
                && Arrays.equals(prevHash, c.prevHash) && Arrays.equals(payload, c.payload)
                && Arrays.equals(hash, c.hash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sessionId, chunkSeq, Arrays.hashCode(hash));
    }

    @Override
    public String toString() {
        return "Chunk[" + sessionId + " #" + chunkSeq + ", events " + firstEventSeq + "+" + eventCount + ", "
                + firstOffsetMicros + ".." + lastOffsetMicros + " µs, " + codec + " " + payload.length + "/"
                + uncompressedLength + " bytes, hash " + Sha256.hex(hash).substring(0, 16) + "…]";
    }
}
