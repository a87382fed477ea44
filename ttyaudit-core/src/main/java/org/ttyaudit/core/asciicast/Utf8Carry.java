package org.ttyaudit.core.asciicast;

/**
 * A streaming UTF-8 decoder for terminal bytes that arrive in pieces.
 *
 * <p>Terminal output is a byte stream cut at arbitrary points into events, while asciicast needs text. A character
 * whose bytes are split across two events is carried over and emitted whole by the later call. Bytes that are not
 * well-formed UTF-8 become U+FFFD, one per <em>maximal subpart</em> of an ill-formed sequence (the practice the
 * Unicode Standard recommends in chapter 3, and the one WHATWG and Python follow). Because the decision for each
 * byte depends only on the bytes before it, decoding a stream in pieces gives exactly the same text as decoding it
 * at once. An incomplete sequence left at the end is turned into one U+FFFD by {@link #flush}.
 *
 * <p>Never throws for any input bytes and never allocates per byte: callers pass a reusable {@code char[]}.
 * Not thread-safe: one instance per byte stream (output and input are separate streams and need separate
 * instances).
 */
public final class Utf8Carry {
    /** The replacement character written for ill-formed input. */
    public static final char REPLACEMENT = '\uFFFD';

    /** Continuation bytes still needed for the character being decoded; 0 when nothing is carried. */
    private int need;
    /** The code point bits collected so far. */
    private int codePoint;
    /** The range the next continuation byte must fall into (narrower right after some lead bytes). */
    private int low;
    private int high;
    /** How many bytes of the current sequence have been seen; only for {@link #pendingBytes()}. */
    private int seen;

    /**
     * The most chars that {@link #decode} can produce for {@code byteCount} bytes: one per byte plus one for a
     * sequence carried in from the previous call.
     */
    public static int maxChars(int byteCount) {
        if (byteCount < 0) {
            throw new IllegalArgumentException("byteCount must not be negative: " + byteCount);
        }
        return byteCount + 1;
    }

    /**
     * Decodes {@code len} bytes of {@code src} from {@code off}, together with any bytes carried from earlier calls,
     * into {@code dst} from {@code dstOff}. Bytes of a character that is not yet complete are kept for the next call.
     *
     * @return the number of chars written
     * @throws IllegalArgumentException when {@code dst} has less than {@link #maxChars maxChars(len)} chars of room
     */
    public int decode(byte[] src, int off, int len, char[] dst, int dstOff) {
        if (off < 0 || len < 0 || off > src.length - len) {
            throw new IndexOutOfBoundsException("bad range off=" + off + " len=" + len + " for " + src.length);
        }
        if (dstOff < 0 || dst.length - dstOff < maxChars(len)) {
            throw new IllegalArgumentException("destination needs room for " + maxChars(len) + " chars, has "
                    + (dst.length - dstOff));
        }
        int d = dstOff;
        int end = off + len;
        int i = off;
        // Fast path for the common case: plain ASCII with nothing carried.
        while (need == 0 && i < end) {
            int b = src[i];
            if (b < 0) {
                break;
            }
            dst[d++] = (char) b;
            i++;
        }
        for (; i < end; i++) {
            int b = src[i] & 0xFF;
            if (need > 0) {
                if (b >= low && b <= high) {
                    codePoint = (codePoint << 6) | (b & 0x3F);
                    low = 0x80;
                    high = 0xBF;
                    seen++;
                    if (--need == 0) {
                        d = emit(codePoint, dst, d);
                    }
                    continue;
                }
                // The sequence broke off: its bytes so far are one maximal subpart; b starts afresh.
                dst[d++] = REPLACEMENT;
                need = 0;
                seen = 0;
            }
            d = start(b, dst, d);
        }
        return d - dstOff;
    }

    /** Convenience for tests and small inputs: decodes {@code src} (carrying as {@link #decode} does). */
    public String decode(byte[] src) {
        char[] buf = new char[maxChars(src.length)];
        int n = decode(src, 0, src.length, buf, 0);
        return new String(buf, 0, n);
    }

    /**
     * Ends the stream: an incomplete sequence still carried becomes one U+FFFD.
     *
     * @return the number of chars written to {@code dst} at {@code dstOff} (0 or 1)
     */
    public int flush(char[] dst, int dstOff) {
        if (need == 0) {
            return 0;
        }
        need = 0;
        seen = 0;
        dst[dstOff] = REPLACEMENT;
        return 1;
    }

    /** Convenience: {@link #flush(char[], int)} as a string, empty when nothing was carried. */
    public String flush() {
        char[] one = new char[1];
        return new String(one, 0, flush(one, 0));
    }

    /** How many bytes of an incomplete character are carried to the next call (0 to 3). */
    public int pendingBytes() {
        return need == 0 ? 0 : seen;
    }

    private int start(int b, char[] dst, int d) {
        if (b < 0x80) {
            dst[d++] = (char) b;
            return d;
        }
        // Ranges from the Unicode Standard, table 3-7 (well-formed UTF-8 byte sequences).
        if (b >= 0xC2 && b <= 0xDF) {
            begin(1, b & 0x1F, 0x80, 0xBF);
        } else if (b == 0xE0) {
            begin(2, 0, 0xA0, 0xBF); // no overlong forms
        } else if (b == 0xED) {
            begin(2, 0x0D, 0x80, 0x9F); // no UTF-16 surrogates
        } else if (b >= 0xE1 && b <= 0xEF) {
            begin(2, b & 0x0F, 0x80, 0xBF);
        } else if (b == 0xF0) {
            begin(3, 0, 0x90, 0xBF); // no overlong forms
        } else if (b >= 0xF1 && b <= 0xF3) {
            begin(3, b & 0x07, 0x80, 0xBF);
        } else if (b == 0xF4) {
            begin(3, 4, 0x80, 0x8F); // nothing above U+10FFFF
        } else {
            dst[d++] = REPLACEMENT; // a stray continuation byte, C0, C1 or F5..FF
        }
        return d;
    }

    private void begin(int needed, int bits, int lo, int hi) {
        need = needed;
        codePoint = bits;
        low = lo;
        high = hi;
        seen = 1;
    }

    private static int emit(int cp, char[] dst, int d) {
        if (cp < 0x10000) {
            dst[d++] = (char) cp;
        } else {
            dst[d++] = Character.highSurrogate(cp);
            dst[d++] = Character.lowSurrogate(cp);
        }
        return d;
    }
}
