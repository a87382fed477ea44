package org.ttyaudit.core.format;

import java.util.Arrays;

/**
 * A growable byte buffer for building records, reused across chunks so that encoding does not allocate per byte
 * or per event. Big-endian for fixed-width fields; unsigned LEB128 for varints (see docs/FORMAT.md).
 *
 * <p>Not thread-safe. The array returned by {@link #array()} is live: valid only until the next write or reset.
 */
final class ByteSink {
    private byte[] buf;
    private int size;

    ByteSink(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    void reset() {
        size = 0;
    }

    /** Empties the buffer and gives back an array grown beyond {@code capacity} (it grows again when needed). */
    void release(int capacity) {
        size = 0;
        if (buf.length > capacity) {
            buf = new byte[Math.max(16, capacity)];
        }
    }

    /** The bytes this buffer holds on to, whatever its size. */
    int capacity() {
        return buf.length;
    }

    int size() {
        return size;
    }

    byte[] array() {
        return buf;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int extra) {
        int needed = size + extra;
        if (needed < 0) {
            throw new IllegalArgumentException("record too large");
        }
        if (needed > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
        }
    }

    void writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    void writeBytes(byte[] src) {
        writeBytes(src, 0, src.length);
    }

    void writeBytes(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, buf, size, len);
        size += len;
    }

    void writeShort(int v) {
        ensure(2);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    void writeInt(int v) {
        ensure(4);
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    void writeLong(long v) {
        writeInt((int) (v >>> 32));
        writeInt((int) v);
    }

    /** Unsigned LEB128: 7 bits per byte, low bits first, high bit set on every byte but the last. */
    void writeVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    /** Zigzag-encoded signed int as a varint, so small negative numbers stay short. */
    void writeZigzagInt(int v) {
        writeVarLong(Integer.toUnsignedLong((v << 1) ^ (v >> 31)));
    }

    static int varLongSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }
}
