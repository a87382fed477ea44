package org.ttyaudit.recorder.session;

import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.RedactedInputEvent;
import org.ttyaudit.core.redact.SecretMasker;
import org.ttyaudit.core.redact.StreamMasker;
import org.ttyaudit.recorder.log.SessionLog;

import java.io.IOException;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;

/**
 * One direction of the terminal stream on its way into the log, through a {@link StreamMasker}: a secret typed or
 * pasted on the command line (an access key, {@code --password=…}), and its echo, are stored as {@code *}s of the
 * same length, also when they arrive one key at a time.
 *
 * <p>The masker holds back only bytes that could still be the start of a secret. They are released as soon as
 * that is decided, before a redaction marker (to keep the order), when they have waited longer than
 * {@code maxHoldNanos} (checked by the log's writer before each chunk), and at the end of the session.
 *
 * <p>Masking costs about 8 MB/s of one core (see docs/PERFORMANCE-JMH.md), so it has a budget: pieces larger than
 * {@code bulkThreshold}, and everything beyond {@code budgetBytesPerSecond} in a second, bypass the masker (after
 * it is flushed, to keep the order). Bulk output such as a {@code cat} of a large file is therefore not masked;
 * interactive echo, which comes in small pieces at typing speed, always is.
 *
 * <p>Thread-safe: the pump thread writes, the log's writer thread releases stale bytes. The writer never waits
 * for the pump: while the pump holds the lock it may itself be waiting for the writer to make room in the log.
 */
final class MaskedStream {
    private final SessionLog log;
    private final StreamMasker masker;
    private final long maxHoldNanos;
    private final int bulkThreshold;
    private final BiFunction<Long, byte[], Event> eventFactory;
    private final long budgetBytesPerSecond;
    private final ReentrantLock lock = new ReentrantLock();
    private long budgetWindowStartNanos;
    private long maskedInWindow;
    private IOException failure;

    MaskedStream(SecretMasker rules, SessionLog log, long maxHoldNanos, int bulkThreshold,
                 long budgetBytesPerSecond, BiFunction<Long, byte[], Event> eventFactory) {
        this.log = log;
        this.budgetBytesPerSecond = budgetBytesPerSecond;
        this.maxHoldNanos = maxHoldNanos;
        this.bulkThreshold = bulkThreshold;
        this.eventFactory = eventFactory;
        this.masker = new StreamMasker(rules, (tag, data) -> append(data));
    }

    /** Logs {@code data} (masked); the caller must not change the array afterwards. */
    void write(byte[] data) throws IOException {
        lock.lock();
        try {
            long now = System.nanoTime();
            if (data.length > bulkThreshold || overBudget(now, data.length)) {
                masker.flush();
                append(data);
            } else {
                masker.write(now, data);
            }
            rethrow();
        } finally {
            lock.unlock();
        }
    }

    private boolean overBudget(long now, int bytes) {
        if (now - budgetWindowStartNanos >= 1_000_000_000L) {
            budgetWindowStartNanos = now;
            maskedInWindow = 0;
        }
        maskedInWindow += bytes;
        return maskedInWindow > budgetBytesPerSecond;
    }

    /** Logs that {@code byteCount} bytes typed at a no-echo prompt were not stored. */
    void redacted(int byteCount) throws IOException {
        lock.lock();
        try {
            masker.flush();
            rethrow();
            log.append(t -> new RedactedInputEvent(t, byteCount));
        } finally {
            lock.unlock();
        }
    }

    /** Releases what has been held back longer than the limit (called before a chunk is sealed). */
    void releaseStale() {
        if (!lock.tryLock()) {
            return;
        }
        try {
            OptionalLong oldest = masker.oldestPendingTag();
            if (oldest.isPresent() && System.nanoTime() - oldest.getAsLong() >= maxHoldNanos) {
                masker.flush();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Releases everything held back (the end of the session). */
    void flush() throws IOException {
        lock.lock();
        try {
            masker.flush();
            rethrow();
        } finally {
            lock.unlock();
        }
    }

    private void append(byte[] data) {
        try {
            log.append(t -> eventFactory.apply(t, data));
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
    }

    private void rethrow() throws IOException {
        if (failure != null) {
            IOException f = failure;
            failure = null;
            throw f;
        }
    }
}
