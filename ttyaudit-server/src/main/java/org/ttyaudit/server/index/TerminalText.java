package org.ttyaudit.server.index;

import java.nio.charset.StandardCharsets;

/**
 * Turns terminal output into text for full-text search: escape sequences (CSI, OSC, DCS and the two-byte ones)
 * and control characters other than newline and tab are removed, carriage returns become nothing, and the rest
 * is decoded as UTF-8 (malformed bytes become U+FFFD). What a person would read on the screen is searchable;
 * colours and cursor movement are not. A sequence split across two chunks leaves at most its tail in the text.
 *
 * <p>Runs of bytes that are kept are copied at once, and output with nothing to remove is decoded in place (no
 * copy): log-like bulk output is mostly such runs (docs/PERFORMANCE.md, "Server").
 *
 * <p>Stateless.
 */
public final class TerminalText {

    private static final int ESC = 0x1B;
    private static final int BEL = 0x07;

    private TerminalText() {
    }

    public static String strip(byte[] data) {
        return strip(data, data.length);
    }

    /** The text of {@code data[0, length)}. */
    public static String strip(byte[] data, int length) {
        if (length < 0 || length > data.length) {
            throw new IllegalArgumentException("length " + length + " is outside the " + data.length + " bytes");
        }
        int i = keptRun(data, 0, length);
        if (i == length) {
            return new String(data, 0, length, StandardCharsets.UTF_8);
        }
        byte[] out = new byte[length];
        System.arraycopy(data, 0, out, 0, i);
        int n = i;
        while (i < length) {
            if ((data[i] & 0xFF) == ESC) {
                i = skipEscape(data, i + 1, length);
            } else {
                i++;   // a control character that is not kept
            }
            int end = keptRun(data, i, length);
            System.arraycopy(data, i, out, n, end - i);
            n += end - i;
            i = end;
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /** The end of the run of kept bytes (printable, UTF-8, newline, tab) that starts at {@code i}. */
    private static int keptRun(byte[] data, int i, int length) {
        while (i < length) {
            int b = data[i] & 0xFF;
            if (b >= 0x20 ? b == 0x7F : b != '\n' && b != '\t') {
                return i;
            }
            i++;
        }
        return i;
    }

    /** Returns the index after the escape sequence whose ESC was just before {@code i}. */
    private static int skipEscape(byte[] data, int i, int length) {
        if (i >= length) {
            return i;
        }
        int kind = data[i] & 0xFF;
        if (kind == '[') {
            // CSI: parameters and intermediates (0x20-0x3F), then one final byte (0x40-0x7E)
            int j = i + 1;
            while (j < length && (data[j] & 0xFF) >= 0x20 && (data[j] & 0xFF) <= 0x3F) {
                j++;
            }
            return Math.min(length, j + 1);
        }
        if (kind == ']' || kind == 'P' || kind == '_' || kind == '^' || kind == 'X') {
            // OSC, DCS, APC, PM, SOS: a string ended by BEL or ST (ESC \)
            int j = i + 1;
            while (j < length) {
                int c = data[j] & 0xFF;
                if (c == BEL) {
                    return j + 1;
                }
                if (c == ESC && j + 1 < length && data[j + 1] == '\\') {
                    return j + 2;
                }
                j++;
            }
            return j;
        }
        if (kind >= 0x20 && kind <= 0x2F) {
            // ESC with intermediates (character set selection like ESC ( B): skip them and the final byte
            int j = i;
            while (j < length && (data[j] & 0xFF) >= 0x20 && (data[j] & 0xFF) <= 0x2F) {
                j++;
            }
            return Math.min(length, j + 1);
        }
        return i + 1;
    }
}
