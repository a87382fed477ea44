package org.ttyaudit.recorder.upload;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff between retries: 0.5 s, doubling up to 30 s (docs/INGEST.md), each delay drawn uniformly
 * from its upper half ("equal jitter"), so many hosts that lost the same server do not come back in step, while
 * no retry comes much sooner than planned.
 *
 * <p>Not thread-safe: one per uploader.
 */
public final class Backoff {
    public static final Duration FIRST = Duration.ofMillis(500);
    public static final Duration MAX = Duration.ofSeconds(30);

    private final DoubleSupplier random;
    private int failures;

    /** Jitter from {@link ThreadLocalRandom}. */
    public Backoff() {
        this(() -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param random values in [0, 1]: 1 gives the full delay, 0 half of it (tests pass a constant) */
    public Backoff(DoubleSupplier random) {
        this.random = random;
    }

    /** The delay before the next attempt after one more failure. */
    public Duration next() {
        long ceiling = FIRST.toNanos() << Math.min(failures, 16);
        ceiling = Math.min(ceiling, MAX.toNanos());
        failures++;
        double r = Math.max(0, Math.min(1, random.getAsDouble()));
        return Duration.ofNanos(ceiling / 2 + (long) (ceiling / 2 * r));
    }

    /** After a success: the next failure waits {@link #FIRST} again. */
    public void reset() {
        failures = 0;
    }

    /** Failures since the last success. */
    public int failures() {
        return failures;
    }
}
