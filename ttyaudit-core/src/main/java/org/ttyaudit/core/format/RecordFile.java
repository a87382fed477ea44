package org.ttyaudit.core.format;

import java.util.zip.CRC32C;

/**
 * Constants and framing of the record file (docs/FORMAT.md, "File" and "Frames"): a 12-byte file header (magic,
 * version), then frames of {@code length u32 | type u8 | body | crc32c u32}, the CRC covering length, type and
 * body. Stateless.
 */
final class RecordFile {
    /** "\x89TTYAUD\n": the high byte catches 7-bit transfers, the newline catches line-ending conversion. */
    static final byte[] MAGIC = {(byte) 0x89, 'T', 'T', 'Y', 'A', 'U', 'D', '\n'};
    static final int VERSION = 1;
    static final int FILE_HEADER_LENGTH = MAGIC.length + 4;

    static final int TYPE_SESSION_HEADER = 1;
    static final int TYPE_CHUNK = 2;
    static final int TYPE_SESSION_END = 3;

    /** length + type before the body, CRC after it. */
    static final int FRAME_OVERHEAD = 4 + 1 + 4;

    private RecordFile() {
    }

    static byte[] fileHeader() {
        ByteSink b = new ByteSink(FILE_HEADER_LENGTH);
        b.writeBytes(MAGIC);
        b.writeInt(VERSION);
        return b.toByteArray();
    }

    static String typeName(int type) {
        return switch (type) {
            case TYPE_SESSION_HEADER -> "session header";
            case TYPE_CHUNK -> "chunk";
            case TYPE_SESSION_END -> "session end";
            default -> "type " + type;
        };
    }

    /** Smallest body a frame of a known type can have; used to reject implausible frames when resynchronising. */
    static int minBodyLength(int type) {
        return switch (type) {
            case TYPE_SESSION_HEADER -> 2;
            case TYPE_CHUNK -> ChunkBytes.FIXED_LENGTH;
            case TYPE_SESSION_END -> 1 + 16 + 8 + 4 + 4 + 1 + 4 + 2 + 8 + 8 + 2 * Sha256.LENGTH;
            default -> Integer.MAX_VALUE;
        };
    }

    /** Appends a whole frame to {@code out}; the body is {@code out}'s content from {@code bodyStart} on. */
    static void closeFrame(ByteSink out, int frameStart, int type) {
        // callers reserve 5 bytes at frameStart for length and type, then write the body after them
        int bodyLength = out.size() - frameStart - 5;
        byte[] a = out.array();
        a[frameStart] = (byte) (bodyLength >>> 24);
        a[frameStart + 1] = (byte) (bodyLength >>> 16);
        a[frameStart + 2] = (byte) (bodyLength >>> 8);
        a[frameStart + 3] = (byte) bodyLength;
        a[frameStart + 4] = (byte) type;
        CRC32C crc = new CRC32C();
        crc.update(a, frameStart, 5 + bodyLength);
        out.writeInt((int) crc.getValue());
    }

    static void openFrame(ByteSink out) {
        out.writeInt(0);
        out.writeByte(0);
    }
}
