package org.ttyaudit.core.rules;

import java.nio.charset.StandardCharsets;

/**
 * Turns a session's output stream into the text output rules search: escape sequences (CSI, OSC, DCS and the
 * short ones) and control characters other than newline and tab are removed, and the rest is decoded as UTF-8.
 * It keeps its place across events, so a sequence or a character split between two output events is handled as
 * a whole. Not thread-safe: one per session.
 */
final class OutputText {
    private static final int TEXT = 0;
    private static final int ESC = 1;
    private static final int CSI = 2;
    private static final int STRING = 3;
    private static final int STRING_ESC = 4;
    private static final int INTERMEDIATE = 5;

    private int state = TEXT;
    /** Bytes of a UTF-8 character that the previous event cut. */
    private final byte[] pending = new byte[4];
    private int pendingLength;
    private byte[] buffer = new byte[256];

    /** The text of the next piece of output. */
    String next(byte[] data) {
        if (buffer.length < data.length + pendingLength) {
            buffer = new byte[Math.max(data.length + pendingLength, buffer.length * 2)];
        }
        System.arraycopy(pending, 0, buffer, 0, pendingLength);
        int n = pendingLength;
        for (byte value : data) {
            int b = value & 0xFF;
            switch (state) {
                case TEXT -> {
                    if (b == 0x1B) {
                        state = ESC;
                    } else if (b >= 0x20 ? b != 0x7F : b == '\n' || b == '\t') {
                        buffer[n++] = value;
                    }
                }
                case ESC -> state = b == '[' ? CSI : b == ']' || b == 'P' || b == '_' || b == '^' || b == 'X' ? STRING
                        : b >= 0x20 && b <= 0x2F ? INTERMEDIATE : TEXT;
                case CSI -> {
                    if (b < 0x20 || b > 0x3F) {
                        state = TEXT;   // the final byte
                    }
                }
                case STRING -> state = b == 0x07 ? TEXT : b == 0x1B ? STRING_ESC : STRING;
                case STRING_ESC -> state = b == '\\' ? TEXT : b == 0x1B ? STRING_ESC : STRING;
                case INTERMEDIATE -> {
                    if (b < 0x20 || b > 0x2F) {
                        state = TEXT;
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
        int complete = completeUtf8(buffer, n);
        pendingLength = n - complete;
        System.arraycopy(buffer, complete, pending, 0, pendingLength);
        return new String(buffer, 0, complete, StandardCharsets.UTF_8);
    }

    /** The length of {@code b[0, n)} without a UTF-8 character cut at its end (at most 3 bytes held back). */
    private static int completeUtf8(byte[] b, int n) {
        for (int back = 1; back <= 3 && back <= n; back++) {
            int c = b[n - back] & 0xFF;
            if (c < 0x80) {
                return n;
            }
            if (c >= 0xC0) {
                int need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
                return need > back ? n - back : n;
            }
        }
        return n;
    }
}
