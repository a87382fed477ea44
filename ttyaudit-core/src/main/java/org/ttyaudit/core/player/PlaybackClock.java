package org.ttyaudit.core.player;

import java.util.concurrent.TimeUnit;

/**
 * Time as the {@link Player} sees it. Injected so that tests run exactly and instantly on a fake clock whose
 * {@link #sleepNanos} just moves time forward.
 */
public interface PlaybackClock {
    /** A monotonic time in nanoseconds; only differences matter. */
    long nanoTime();

    /** Waits about {@code nanos} (positive) nanoseconds. */
    void sleepNanos(long nanos) throws InterruptedException;

    /** The real clock: {@link System#nanoTime()} and a thread sleep. */
    static PlaybackClock system() {
        return new PlaybackClock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleepNanos(long nanos) throws InterruptedException {
                TimeUnit.NANOSECONDS.sleep(nanos);
            }
        };
    }
}
