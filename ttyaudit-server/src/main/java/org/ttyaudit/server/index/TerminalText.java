package org.ttyaudit.server.index;

import java.nio.charset.StandardCharsets;

/**
 * Turns terminal output into text for full-text search: escape sequences (CSI, OSC, DCS and the two-byte ones)
 * and control characters other than newline and tab are removed, carriage returns become nothing, and the rest
 * is decoded as UTF-8 (malformed bytes become U+FFFD). What a person would read on the screen is searchable;
 * colours and cursor movement are not. A sequence split across two chunks leaves at most its tail in the text.
 *
 * <p>Stateless.
 */
public final class TerminalText {

    private static final int ESC = 0x1B;
    private static final int BEL = 0x07;

    private TerminalText() {
    }

    public static String strip(byte[] data) {
        byte[] out = new byte[data.length];
        int n = 0;
        int i = 0;
        while (i < data.length) {
            int b = data[i] & 0xFF;
            if (b == ESC) {
                i = skipEscape(data, i + 1);
                continue;
            }
            if (b == '\n' || b == '\t' || b >= 0x20 && b != 0x7F) {
                out[n++] = (byte) b;
            }
            i++;
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /** Returns the index after the escape sequence whose ESC was just before {@code i}. */
    private static int skipEscape(byte[] data, int i) {
        if (i >= data.length) {
            return i;
        }
        int kind = data[i] & 0xFF;
        if (kind == '[') {
            // CSI: parameters and intermediates (0x20-0x3F), then one final byte (0x40-0x7E)
            int j = i + 1;
            while (j < data.length && (data[j] & 0xFF) >= 0x20 && (data[j] & 0xFF) <= 0x3F) {
                j++;
            }
            return Math.min(data.length, j + 1);
        }
        if (kind == ']' || kind == 'P' || kind == '_' || kind == '^' || kind == 'X') {
            // OSC, DCS, APC, PM, SOS: a string ended by BEL or ST (ESC \)
            int j = i + 1;
            while (j < data.length) {
                int c = data[j] & 0xFF;
                if (c == BEL) {
                    return j + 1;
                }
                if (c == ESC && j + 1 < data.length && data[j + 1] == '\\') {
                    return j + 2;
                }
                j++;
            }
            return j;
        }
        if (kind >= 0x20 && kind <= 0x2F) {
            // ESC with intermediates (character set selection like ESC ( B): skip them and the final byte
            int j = i;
            while (j < data.length && (data[j] & 0xFF) >= 0x20 && (data[j] & 0xFF) <= 0x2F) {
                j++;
            }
            return Math.min(data.length, j + 1);
        }
        return i + 1;
    }
}
