package org.ttyaudit.gateway.files;

import java.nio.charset.StandardCharsets;

/** Reads the fields of one SFTP packet; a field that runs past the packet's end is a {@link MalformedStream}. */
final class SftpReader {
    private final byte[] b;
    private final int end;
    private final String what;
    private int pos;

    SftpReader(byte[] b, int off, int len, String what) {
        this.b = b;
        this.pos = off;
        this.end = off + len;
        this.what = what;
    }

    boolean more() {
        return pos < end;
    }

    int u8() throws MalformedStream {
        need(1, "a byte");
        return b[pos++] & 0xff;
    }

    long u32() throws MalformedStream {
        need(4, "a uint32");
        long v = ((b[pos] & 0xffL) << 24) | ((b[pos + 1] & 0xff) << 16) | ((b[pos + 2] & 0xff) << 8)
                | (b[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    int id() throws MalformedStream {
        return (int) u32();
    }

    long u64() throws MalformedStream {
        long high = u32();
        return (high << 32) | u32();
    }

    /** Skips a string's bytes and returns where they start in the array; {@link #lastLength()} is its length. */
    int string() throws MalformedStream {
        long len = u32();
        need(len, "a string of " + len + " bytes");
        int start = pos;
        lastLength = (int) len;
        pos += (int) len;
        return start;
    }

    private int lastLength;

    int lastLength() {
        return lastLength;
    }

    byte[] array() {
        return b;
    }

    String utf8() throws MalformedStream {
        int start = string();
        return new String(b, start, lastLength, StandardCharsets.UTF_8);
    }

    /** A string kept as a map key: its bytes as Latin-1 chars, one char a byte, so any bytes compare exactly. */
    String opaque() throws MalformedStream {
        int start = string();
        return new String(b, start, lastLength, StandardCharsets.ISO_8859_1);
    }

    private void need(long n, String field) throws MalformedStream {
        if (end - pos < n) {
            throw new MalformedStream(what + " ends before " + field + " (" + (end - pos) + " bytes left)");
        }
    }
}
