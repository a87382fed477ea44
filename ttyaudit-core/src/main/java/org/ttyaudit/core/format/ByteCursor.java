package org.ttyaudit.core.format;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads fields from a slice of untrusted bytes. Every read checks bounds and throws {@link FormatException}
 * naming the field and the position, so that malformed input can never cause anything but a clear error.
 *
 * <p>Not thread-safe; one per decode.
 */
final class ByteCursor {
    private final byte[] data;
    private final int end;
    private final int start;
    private int pos;

    ByteCursor(byte[] data, int off, int len) {
        this.data = data;
        this.start = off;
        this.pos = off;
        this.end = off + len;
    }

    ByteCursor(byte[] data) {
        this(data, 0, data.length);
    }

    /** Position relative to the start of the slice. */
    int position() {
        return pos - start;
    }

    int remaining() {
        return end - pos;
    }

    private void need(int n, String what) {
        if (n < 0 || end - pos < n) {
            throw new FormatException(what + " at byte " + position() + " runs past the end (" + remaining()
                    + " bytes left, " + Integer.toUnsignedString(n) + " needed)");
        }
    }

    int readU8(String what) {
        need(1, what);
        return data[pos++] & 0xFF;
    }

    int readU16(String what) {
        need(2, what);
        int v = ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    int readInt(String what) {
        need(4, what);
        int v = ((data[pos] & 0xFF) << 24) | ((data[pos + 1] & 0xFF) << 16) | ((data[pos + 2] & 0xFF) << 8)
                | (data[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    long readLong(String what) {
        need(8, what);
        long hi = readInt(what) & 0xFFFFFFFFL;
        long lo = readInt(what) & 0xFFFFFFFFL;
        return (hi << 32) | lo;
    }

    long readVarLong(String what) {
        int at = position();
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new FormatException(what + " at byte " + at + " runs past the end");
            }
            int b = data[pos++] & 0xFF;
            if (shift == 63 && b > 1) {
                throw new FormatException(what + " at byte " + at + " is not a valid varint (overflows 64 bits)");
            }
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new FormatException(what + " at byte " + at + " is not a valid varint (longer than 10 bytes)");
    }

    /** A varint that must fit a non-negative int (lengths, counts). */
    int readVarInt(String what) {
        int at = position();
        long v = readVarLong(what);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new FormatException(what + " at byte " + at + " is out of range: " + Long.toUnsignedString(v));
        }
        return (int) v;
    }

    int readZigzagInt(String what) {
        int at = position();
        long v = readVarLong(what);
        if (v < 0 || v > 0xFFFFFFFFL) {
            throw new FormatException(what + " at byte " + at + " is out of range: " + Long.toUnsignedString(v));
        }
        int u = (int) v;
        return (u >>> 1) ^ -(u & 1);
    }

    byte[] readBytes(int n, String what) {
        need(n, what);
        byte[] out = new byte[n];
        System.arraycopy(data, pos, out, 0, n);
        pos += n;
        return out;
    }

    void skip(int n, String what) {
        need(n, what);
        pos += n;
    }

    /** {@code n} bytes of strict UTF-8 (malformed input is a {@link FormatException}, never replaced). */
    String readUtf8(int n, String what) {
        int at = position();
        need(n, what);
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, pos, n))
                    .toString();
            pos += n;
            return s;
        } catch (CharacterCodingException e) {
            throw new FormatException(what + " at byte " + at + " is not valid UTF-8");
        }
    }
}
