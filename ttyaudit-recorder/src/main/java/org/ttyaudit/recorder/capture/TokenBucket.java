package org.ttyaudit.recorder.capture;

import java.util.function.LongSupplier;

/**
 * A token bucket over bytes: it holds up to {@code burst} tokens and gains {@code rate} a second; taking bytes
 * spends tokens. {@link #take} grants as many of the bytes asked for as there are tokens, never more, so a caller
 * can store a prefix of a piece and drop the rest.
 *
 * <p>Time comes from an injected nanosecond clock, so tests are exact and instant. Tokens are counted in
 * byte-nanoseconds-per-second fractions carried over between calls, so no rounding loses or creates bytes over
 * time. Not thread-safe: one output thread owns it.
 */
public final class TokenBucket {
    private static final long NANOS = 1_000_000_000L;

    private final long rate;
    private final long burst;
    private final LongSupplier nanoClock;
    private long tokens;
    /** Fractions of a token earned but not yet whole, in units of 1/NANOS token. */
    private long fraction;
    private long lastNanos;

    /** A full bucket. */
    public TokenBucket(long bytesPerSecond, long burstBytes, LongSupplier nanoClock) {
        if (bytesPerSecond < 1 || burstBytes < 1) {
            throw new IllegalArgumentException("rate and burst must be at least 1");
        }
        this.rate = bytesPerSecond;
        this.burst = burstBytes;
        this.nanoClock = nanoClock;
        this.tokens = burstBytes;
        this.lastNanos = nanoClock.getAsLong();
    }

    /** Takes up to {@code bytes} tokens; returns how many were granted (0..bytes). */
    public long take(long bytes) {
        refill();
        long granted = Math.min(bytes, tokens);
        tokens -= granted;
        return granted;
    }

    /** The tokens available now. */
    public long available() {
        refill();
        return tokens;
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        long elapsed = now - lastNanos;
        if (elapsed <= 0) {
            return;
        }
        lastNanos = now;
        if (tokens >= burst) {
            fraction = 0;
            return;
        }
        // Whole seconds first, so rate * elapsed cannot overflow for long pauses.
        long seconds = elapsed / NANOS;
        long rest = elapsed % NANOS;
        long gained = seconds > burst / rate ? burst : seconds * rate;   // at most burst + rate: no overflow
        long frac = fraction + rest * rate;                        // rate <= 2^40, rest < 2^30: no overflow
        gained += frac / NANOS;
        fraction = frac % NANOS;
        tokens = gained >= burst - tokens ? burst : tokens + gained;
        if (tokens == burst) {
            fraction = 0;
        }
    }
}
