package org.ttyaudit.server.store.jdbc;

import org.ttyaudit.server.store.StoreException;

import java.time.Instant;

/**
 * How the database keeps instants: INTEGER nanoseconds since 1970-01-01T00:00:00Z, so every {@link Instant} the
 * model produces round-trips exactly and compares as a number. That covers the years 1677 to 2262; an instant
 * outside is refused rather than silently clamped.
 */
public final class EpochNanos {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private EpochNanos() {
    }

    public static long of(Instant instant) {
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
        } catch (ArithmeticException e) {
            throw new StoreException("the instant " + instant + " is outside what the store keeps (1677 to 2262)");
        }
    }

    public static Long ofNullable(Instant instant) {
        return instant == null ? null : of(instant);
    }

    public static Instant toInstant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
    }

    public static Instant toInstantOrNull(Long nanos) {
        return nanos == null ? null : toInstant(nanos);
    }
}
