package org.ttyaudit.server.ingest;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the request bytes the server holds at once for ingest (bodies read but not yet committed), so memory
 * stays bounded however many recorders send at the same moment: a request waits for room, and is turned away
 * (to retry later, as recorders do) when none frees up in time. A single request larger than the whole budget
 * may still run, alone.
 *
 * <p>Thread-safe.
 */
public final class InflightBytes {
    private static final int UNIT = 1024;

    private final Semaphore permits;
    private final int capacityUnits;

    public InflightBytes(long capacityBytes) {
        this.capacityUnits = (int) Math.max(1, capacityBytes / UNIT);
        this.permits = new Semaphore(capacityUnits, true);
    }

    /**
     * Reserves room for {@code bytes}; returns a handle that gives it back, or null when no room was free within
     * {@code waitMillis}.
     */
    public Reservation reserve(long bytes, long waitMillis) throws InterruptedException {
        int units = (int) Math.min(capacityUnits, Math.max(1, (bytes + UNIT - 1) / UNIT));
        if (!permits.tryAcquire(units, waitMillis, TimeUnit.MILLISECONDS)) {
            return null;
        }
        return () -> permits.release(units);
    }

    /** Room taken for one request; {@link #close()} gives it back. */
    public interface Reservation extends AutoCloseable {
        @Override
        void close();
    }
}
