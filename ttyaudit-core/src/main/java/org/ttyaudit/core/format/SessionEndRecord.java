package org.ttyaudit.core.format;

import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionId;

/**
 * The last record of a session: how it ended, how many chunks and events it holds, the hash of its last chunk
 * ({@code finalHash}, or the session header's hash when there is no chunk), and its own {@code hash} over all of
 * that, which closes the chain so the end fields cannot be altered unnoticed either (docs/FORMAT.md, "Session end").
 *
 * <p>Immutable by contract: the hash arrays are not copied and must not be modified. Equality compares contents.
 */
public record SessionEndRecord(SessionId sessionId, SessionEnd end, long chunkCount, long eventCount,
                               byte[] finalHash, byte[] hash) {

    public static final int ENCODING_VERSION = 1;

    public SessionEndRecord {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(end, "end");
        Sha256.checkLength(finalHash, "finalHash");
        Sha256.checkLength(hash, "hash");
        if (chunkCount < 0 || eventCount < 0) {
            throw new IllegalArgumentException("counts must not be negative: " + chunkCount + ", " + eventCount);
        }
        if (Utf8.encode(end.reason()).length > 0xFFFF) {
            throw new IllegalArgumentException("end reason longer than 65535 bytes");
        }
    }

    /** A record whose {@code hash} is computed from the other fields. */
    public static SessionEndRecord create(SessionId sessionId, SessionEnd end, long chunkCount, long eventCount,
                                          byte[] finalHash) {
        byte[] placeholder = new byte[Sha256.LENGTH];
        SessionEndRecord draft = new SessionEndRecord(sessionId, end, chunkCount, eventCount, finalHash,
                placeholder);
        return new SessionEndRecord(sessionId, end, chunkCount, eventCount, finalHash, draft.computeHash());
    }

    /** SHA-256 of every encoded field before the hash (finalHash included). */
    public byte[] computeHash() {
        ByteSink b = new ByteSink(128);
        writeHashed(b);
        return Sha256.of(b.array(), 0, b.size());
    }

    public boolean hashMatches() {
        return MessageDigest.isEqual(hash, computeHash());
    }

    private void writeHashed(ByteSink b) {
        b.writeByte(ENCODING_VERSION);
        b.writeLong(sessionId.uuid().getMostSignificantBits());
        b.writeLong(sessionId.uuid().getLeastSignificantBits());
        b.writeLong(end.endedAt().getEpochSecond());
        b.writeInt(end.endedAt().getNano());
        b.writeInt(end.exitStatus());
        b.writeByte(end.signal() == null ? 0 : 1);
        b.writeInt(end.signal() == null ? 0 : end.signal());
        byte[] reason = Utf8.encode(end.reason());
        b.writeShort(reason.length);
        b.writeBytes(reason);
        b.writeLong(chunkCount);
        b.writeLong(eventCount);
        b.writeBytes(finalHash);
    }

    public byte[] toBytes() {
        ByteSink b = new ByteSink(160);
        writeHashed(b);
        b.writeBytes(hash);
        return b.toByteArray();
    }

    /**
     * Parses the encoding written by {@link #toBytes()}; does not check the hash.
     *
     * @throws FormatException if the bytes are not a well-formed end record
     */
    public static SessionEndRecord fromBytes(byte[] bytes) {
        ByteCursor in = new ByteCursor(bytes);
        int version = in.readU8("end record version");
        if (version != ENCODING_VERSION) {
            throw new FormatException("unsupported end record version " + version);
        }
        SessionId id = new SessionId(new UUID(in.readLong("session id"), in.readLong("session id")));
        long seconds = in.readLong("ended-at seconds");
        int nanos = in.readInt("ended-at nanoseconds");
        if (nanos < 0 || nanos > 999_999_999) {
            throw new FormatException("ended-at nanoseconds out of range: " + nanos);
        }
        int exitStatus = in.readInt("exit status");
        int hasSignal = in.readU8("signal flag");
        int signal = in.readInt("signal");
        if (hasSignal > 1 || (hasSignal == 0 && signal != 0)) {
            throw new FormatException("invalid signal field (flag " + hasSignal + ", value " + signal + ")");
        }
        String reason = in.readUtf8(in.readU16("reason length"), "reason");
        long chunkCount = in.readLong("chunk count");
        long eventCount = in.readLong("event count");
        byte[] finalHash = in.readBytes(Sha256.LENGTH, "final hash");
        byte[] hash = in.readBytes(Sha256.LENGTH, "hash");
        if (in.remaining() != 0) {
            throw new FormatException("end record has " + in.remaining() + " unexpected trailing bytes");
        }
        try {
            SessionEnd end = new SessionEnd(Instant.ofEpochSecond(seconds, nanos), exitStatus,
                    hasSignal == 1 ? signal : null, reason);
            return new SessionEndRecord(id, end, chunkCount, eventCount, finalHash, hash);
        } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
            throw new FormatException("end record is malformed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionEndRecord r && sessionId.equals(r.sessionId) && end.equals(r.end)
                && chunkCount == r.chunkCount && eventCount == r.eventCount
                && Arrays.equals(finalHash, r.finalHash) && Arrays.equals(hash, r.hash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sessionId, end, chunkCount, eventCount, Arrays.hashCode(hash));
    }

    @Override
    public String toString() {
        return "SessionEndRecord[" + sessionId + ", " + end + ", " + chunkCount + " chunks, " + eventCount
                + " events, final " + Sha256.hex(finalHash).substring(0, 16) + "…]";
    }
}
