package org.ttyaudit.recorder.shell;

import java.nio.charset.StandardCharsets;

/**
 * The escaping of values (command line, cwd) inside a marker, as documented in docs/SHELL-INTEGRATION.md.
 *
 * <p>Every byte below 0x20, DEL (0x7f), {@code ;} and {@code \} is written as {@code \xHH} (two hex digits, either
 * case); every other byte, including bytes of invalid UTF-8, is carried as itself. So a value can never contain
 * the terminators BEL or ESC, the parameter separator, or a line break. {@code \\} is accepted as a backslash on
 * decoding, for compatibility with VS Code's OSC 633 E. Stateless and thread-safe.
 */
public final class MarkerEscaping {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private MarkerEscaping() {
    }

    /** Whether {@code b} must be written as {@code \xHH}. */
    static boolean mustEscape(byte b) {
        return (b >= 0 && b < 0x20) || b == 0x7f || b == ';' || b == '\\';
    }

    /** Escapes raw bytes; the result is what the shell hooks write after {@code cmd=} or {@code cwd=}. */
    public static byte[] encode(byte[] raw) {
        int n = 0;
        for (byte b : raw) {
            n += mustEscape(b) ? 4 : 1;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte b : raw) {
            if (mustEscape(b)) {
                out[o++] = '\\';
                out[o++] = 'x';
                out[o++] = HEX[(b >> 4) & 0xf];
                out[o++] = HEX[b & 0xf];
            } else {
                out[o++] = b;
            }
        }
        return out;
    }

    /**
     * Decodes {@code buf[from, to)} into a string (UTF-8; invalid sequences become U+FFFD).
     *
     * @throws IllegalArgumentException naming the offset when a backslash is not followed by {@code xHH} or
     *                                  {@code \}
     */
    public static String decode(byte[] buf, int from, int to) {
        byte[] out = new byte[to - from];
        int o = 0;
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b != '\\') {
                out[o++] = b;
            } else if (i + 1 < to && buf[i + 1] == '\\') {
                out[o++] = '\\';
                i++;
            } else if (i + 3 < to && (buf[i + 1] == 'x' || buf[i + 1] == 'X')
                    && hexValue(buf[i + 2]) >= 0 && hexValue(buf[i + 3]) >= 0) {
                out[o++] = (byte) (hexValue(buf[i + 2]) << 4 | hexValue(buf[i + 3]));
                i += 3;
            } else {
                throw new IllegalArgumentException("bad escape at byte " + (i - from) + " (expected \\xHH)");
            }
        }
        return new String(out, 0, o, StandardCharsets.UTF_8);
    }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
