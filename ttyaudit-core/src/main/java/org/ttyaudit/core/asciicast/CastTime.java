package org.ttyaudit.core.asciicast;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Event times as asciicast writes them: seconds with exactly six decimals, so microseconds survive exactly. */
final class CastTime {
    /** Longest text for a non-negative long of microseconds: 13 integer digits, the point, 6 decimals, slack. */
    static final int MAX_CHARS = 32;

    private CastTime() {
    }

    /** Writes {@code micros} as {@code S.ffffff} into {@code buf} (at least {@link #MAX_CHARS} long); returns the length. */
    static int format(long micros, char[] buf) {
        if (micros < 0) {
            throw new IllegalArgumentException("time must not be negative: " + micros);
        }
        long seconds = micros / 1_000_000;
        int fraction = (int) (micros % 1_000_000);
        // Fill from the right to avoid building a String per event.
        int p = MAX_CHARS;
        for (int i = 0; i < 6; i++) {
            buf[--p] = (char) ('0' + fraction % 10);
            fraction /= 10;
        }
        buf[--p] = '.';
        do {
            buf[--p] = (char) ('0' + seconds % 10);
            seconds /= 10;
        } while (seconds > 0);
        int len = MAX_CHARS - p;
        System.arraycopy(buf, p, buf, 0, len);
        return len;
    }

    /** Largest time accepted when reading, in seconds (about 31,700 years): keeps microseconds in a long. */
    static final double MAX_SECONDS = 1e12;

    /**
     * Converts a JSON number of seconds into microseconds, rounded half up. {@code approx} is the same number as a
     * double; it guards the exact path against absurd exponents that would make BigDecimal arithmetic explode.
     *
     * @return the microseconds, or -1 when the number is negative, not finite or larger than {@link #MAX_SECONDS}
     */
    static long toMicros(double approx, BigDecimal exact) {
        if (!(approx >= 0) || approx > MAX_SECONDS || exact.signum() < 0) {
            return -1;
        }
        if (exact.scale() > 30) {
            return Math.round(approx * 1e6); // far below a microsecond of difference: exactness is moot
        }
        return exact.movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }
}
