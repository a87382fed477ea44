package org.ttyaudit.core.player;

import java.time.Duration;
import java.util.Objects;

/**
 * How to play a recording; the flags of {@code ttyaudit play}.
 *
 * @param speed      the initial speed factor ({@code --speed}), 2 plays twice as fast; from 1/1000 to 1000
 * @param idleLimit  the longest pause between two events ({@code --idle-limit}), or null for the recorded pauses
 * @param from       start here ({@code --from}): output recorded before this time is written at once
 * @param emitResize write {@code ESC[8;ROWS;COLSt} (a request to resize the window) at the start and for each
 *                   recorded resize; off by default as it changes the user's window
 */
public record PlaybackOptions(double speed, Duration idleLimit, Duration from, boolean emitResize) {
    public PlaybackOptions {
        if (!(speed >= 0.001 && speed <= 1000)) {
            throw new IllegalArgumentException("speed must be between 0.001 and 1000, got " + speed);
        }
        if (idleLimit != null && (idleLimit.isNegative() || idleLimit.isZero())) {
            throw new IllegalArgumentException("idle limit must be positive, got " + seconds(idleLimit) + " s");
        }
        Objects.requireNonNull(from, "from");
        if (from.isNegative()) {
            throw new IllegalArgumentException("from must not be negative, got " + seconds(from) + " s");
        }
    }

    /** Speed 1, recorded pauses, from the start, no resize requests. */
    public static PlaybackOptions defaults() {
        return new PlaybackOptions(1.0, null, Duration.ZERO, false);
    }

    public PlaybackOptions withSpeed(double value) {
        return new PlaybackOptions(value, idleLimit, from, emitResize);
    }

    public PlaybackOptions withIdleLimit(Duration value) {
        return new PlaybackOptions(speed, value, from, emitResize);
    }

    public PlaybackOptions withFrom(Duration value) {
        return new PlaybackOptions(speed, idleLimit, value, emitResize);
    }

    public PlaybackOptions withEmitResize(boolean value) {
        return new PlaybackOptions(speed, idleLimit, from, value);
    }

    private static String seconds(Duration d) {
        return Double.toString(d.getSeconds() + d.getNano() / 1e9);
    }
}
