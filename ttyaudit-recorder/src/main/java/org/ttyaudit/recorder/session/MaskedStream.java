package org.ttyaudit.recorder.session;

import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.RedactedInputEvent;
import org.ttyaudit.core.redact.SecretMasker;
import org.ttyaudit.core.redact.StreamMasker;
import org.ttyaudit.recorder.log.SessionLog;

import java.io.IOException;
import java.util.OptionalLong;
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
 * <p>Pieces larger than {@code bulkThreshold} bypass the masker (after it is flushed, to keep the order): masking
 * runs at about 10 MB/s and must not throttle bulk output such as a {@code cat} of a large file. Interactive
 * echo comes in small pieces and is masked.
 *
 * <p>Thread-safe: the pump thread writes, the log's writer thread releases stale bytes.
 */
final class MaskedStream {
    private final SessionLog log;
    private final StreamMasker masker;
    private final long maxHoldNanos;
    private final int bulkThreshold;
    private final BiFunction<Long, byte[], Event> eventFactory;
    private IOException failure;

    MaskedStream(SecretMasker rules, SessionLog log, long maxHoldNanos, int bulkThreshold,
                 BiFunction<Long, byte[], Event> eventFactory) {
        this.log = log;
        this.maxHoldNanos = maxHoldNanos;
        this.bulkThreshold = bulkThreshold;
        this.eventFactory = eventFactory;
        this.masker = new StreamMasker(rules, (tag, data) -> append(data));
    }

    /** Logs {@code data} (masked); the caller must not change the array afterwards. */
    synchronized void write(byte[] data) throws IOException {
        if (data.length > bulkThreshold) {
            masker.flush();
            append(data);
        } else {
            masker.write(System.nanoTime(), data);
        }
        rethrow();
    }

    /** Logs that {@code byteCount} bytes typed at a no-echo prompt were not stored. */
    synchronized void redacted(int byteCount) throws IOException {
        masker.flush();
        rethrow();
        log.append(t -> new RedactedInputEvent(t, byteCount));
    }

    /** Releases what has been held back longer than the limit (called before a chunk is sealed). */
    synchronized void releaseStale() {
        OptionalLong oldest = masker.oldestPendingTag();
        if (oldest.isPresent() && System.nanoTime() - oldest.getAsLong() >= maxHoldNanos) {
            masker.flush();
        }
    }

    /** Releases everything held back (the end of the session). */
    synchronized void flush() throws IOException {
        masker.flush();
        rethrow();
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
