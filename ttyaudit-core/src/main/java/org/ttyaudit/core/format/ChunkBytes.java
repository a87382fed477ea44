package org.ttyaudit.core.format;

import java.util.UUID;
import org.ttyaudit.core.model.SessionId;

/**
 * The byte encoding of a {@link Chunk} (docs/FORMAT.md, "Chunk"): a 62-byte canonical header, the previous hash,
 * the hash, then the payload. The canonical header is exactly what the hash covers besides prev hash and payload.
 */
final class ChunkBytes {
    /** version u8, session id 16, chunk seq u64, first event seq u64, event count u32, first/last offset u64, codec u8,
     *  uncompressed length u32, payload length u32. */
    static final int HEADER_LENGTH = 1 + 16 + 8 + 8 + 4 + 8 + 8 + 1 + 4 + 4;
    static final int FIXED_LENGTH = HEADER_LENGTH + 2 * Sha256.LENGTH;

    private ChunkBytes() {
    }

    static int encodedLength(Chunk c) {
        return FIXED_LENGTH + c.payload().length;
    }

    static void writeHeader(Chunk c, ByteSink b) {
        b.writeByte(Chunk.ENCODING_VERSION);
        b.writeLong(c.sessionId().uuid().getMostSignificantBits());
        b.writeLong(c.sessionId().uuid().getLeastSignificantBits());
        b.writeLong(c.chunkSeq());
        b.writeLong(c.firstEventSeq());
        b.writeInt(c.eventCount());
        b.writeLong(c.firstOffsetMicros());
        b.writeLong(c.lastOffsetMicros());
        b.writeByte(c.codec().code());
        b.writeInt(c.uncompressedLength());
        b.writeInt(c.payload().length);
    }

    static void write(Chunk c, ByteSink b) {
        writeHeader(c, b);
        b.writeBytes(c.prevHash());
        b.writeBytes(c.hash());
        b.writeBytes(c.payload());
    }

    static Chunk read(byte[] data, int off, int len) {
        ByteCursor in = new ByteCursor(data, off, len);
        int version = in.readU8("chunk encoding version");
        if (version != Chunk.ENCODING_VERSION) {
            throw new FormatException("unsupported chunk encoding version " + version);
        }
        SessionId id = new SessionId(new UUID(in.readLong("session id"), in.readLong("session id")));
        long chunkSeq = in.readLong("chunk seq");
        long firstEventSeq = in.readLong("first event seq");
        int eventCount = in.readInt("event count");
        long firstOffset = in.readLong("first offset");
        long lastOffset = in.readLong("last offset");
        PayloadCodec codec = PayloadCodec.fromCode(in.readU8("payload codec"));
        int uncompressedLength = in.readInt("uncompressed length");
        int payloadLength = in.readInt("payload length");
        byte[] prevHash = in.readBytes(Sha256.LENGTH, "prev hash");
        byte[] hash = in.readBytes(Sha256.LENGTH, "hash");
        if (payloadLength != in.remaining()) {
            throw new FormatException("chunk " + chunkSeq + " says its payload has "
                    + Integer.toUnsignedString(payloadLength) + " bytes but " + in.remaining() + " follow");
        }
        byte[] payload = in.readBytes(payloadLength, "payload");
        try {
            return new Chunk(id, chunkSeq, firstEventSeq, eventCount, firstOffset, lastOffset, codec,
                    uncompressedLength, prevHash, payload, hash);
        } catch (IllegalArgumentException e) {
            throw new FormatException("chunk " + chunkSeq + " is malformed: " + e.getMessage(), e);
        }
    }
}
