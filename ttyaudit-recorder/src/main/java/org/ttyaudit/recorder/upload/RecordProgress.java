package org.ttyaudit.recorder.upload;

import org.ttyaudit.recorder.log.DurableProgress;

import java.time.Duration;

/**
 * How much of a record file may be shipped, and whether more will come: the recorder's {@link DurableProgress}
 * notifications, kept for the uploader thread. The recorder's side costs a lock and a notify per frame.
 *
 * <p>Thread-safe: the recorder's log writer updates it, the uploader reads and waits on it.
 */
public final class RecordProgress implements DurableProgress {
    /** What the uploader last saw. */
    public record Snapshot(long durableLength, boolean closed) {
    }

    private long durableLength;
    private boolean closed;

    /** A live record: nothing durable yet, more to come. */
    public RecordProgress() {
    }

    /** A record nobody writes any more (a spool entry left behind): {@code length} bytes, all of them final. */
    public static RecordProgress finished(long length) {
        RecordProgress p = new RecordProgress();
        p.durableLength = length;
        p.closed = true;
        return p;
    }

    @Override
    public synchronized void durable(long length) {
        if (length > durableLength) {
            durableLength = length;
            notifyAll();
        }
    }

    @Override
    public synchronized void closed() {
        if (!closed) {
            closed = true;
            notifyAll();
        }
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(durableLength, closed);
    }

    /** Waits until the progress differs from {@code seen} or {@code timeout} passed; returns the progress then. */
    public synchronized Snapshot awaitChange(Snapshot seen, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (durableLength == seen.durableLength() && closed == seen.closed()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000), 0);
        }
        return new Snapshot(durableLength, closed);
    }
}
