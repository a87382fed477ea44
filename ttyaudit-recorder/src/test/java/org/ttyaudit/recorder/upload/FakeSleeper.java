package org.ttyaudit.recorder.upload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Sleeper} for tests: backoff sleeps return at once and are recorded exactly; waiting for progress
 * records the timeout asked for but waits at most a few real milliseconds, so heartbeats come quickly.
 * An optional action runs on each backoff sleep (e.g. bring a server back after the third).
 */
public final class FakeSleeper implements Sleeper {
    private final List<Duration> sleeps = new ArrayList<>();
    private final List<Duration> progressWaits = new ArrayList<>();
    private Runnable onSleep = () -> { };

    public synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    public synchronized List<Duration> progressWaits() {
        return List.copyOf(progressWaits);
    }

    /** Runs {@code action} after each backoff sleep is recorded (with the count so far available). */
    public synchronized void onSleep(Runnable action) {
        this.onSleep = action;
    }

    @Override
    public void sleep(Duration d) throws InterruptedException {
        Runnable action;
        synchronized (this) {
            sleeps.add(d);
            action = onSleep;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        action.run();
    }

    @Override
    public void awaitProgress(RecordProgress progress, RecordProgress.Snapshot seen, Duration timeout)
            throws InterruptedException {
        synchronized (this) {
            progressWaits.add(timeout);
        }
        progress.awaitChange(seen, Duration.ofMillis(5));
    }
}
