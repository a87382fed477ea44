package org.ttyaudit.recorder.upload;

import java.time.Duration;

/**
 * How the uploader waits: between retries, and while a live session has nothing new (until the recorder makes
 * more durable, or the heartbeat is due). Injected so tests run without waiting for real time and can check
 * every delay exactly.
 */
public interface Sleeper {
    /** Real time. */
    Sleeper SYSTEM = new Sleeper() {
        @Override
        public void sleep(Duration d) throws InterruptedException {
            Thread.sleep(Math.max(0, d.toMillis()));
        }

        @Override
        public void awaitProgress(RecordProgress progress, RecordProgress.Snapshot seen, Duration timeout)
                throws InterruptedException {
            progress.awaitChange(seen, timeout);
        }
    };

    /** Waits {@code d} (a backoff). */
    void sleep(Duration d) throws InterruptedException;

    /** Waits until {@code progress} differs from {@code seen}, or at most {@code timeout}. */
    void awaitProgress(RecordProgress progress, RecordProgress.Snapshot seen, Duration timeout)
            throws InterruptedException;
}
