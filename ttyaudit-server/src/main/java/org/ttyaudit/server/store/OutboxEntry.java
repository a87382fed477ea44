package org.ttyaudit.server.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One queued notification of the {@link NotificationOutbox}: which target it goes to, the document it carries
 * (JSON, opaque to the store), when it was queued, and how delivery went so far.
 *
 * @param id            the outbox's own id; ids grow in queueing order, so they give the delivery order per target
 * @param attempts      failed delivery attempts so far (0 for a new entry)
 * @param nextAttemptAt not before this instant (the queueing time for a new entry)
 * @param lastError     why the last attempt failed; null before the first failure
 * @param failedAt      when delivery was given up ({@link State#FAILED}); null while pending
 */
public record OutboxEntry(long id, String target, String noticeJson, Instant queuedAt, int attempts,
                          Instant nextAttemptAt, String lastError, State state, Instant failedAt) {

    /** Where an entry is: waiting for (another) delivery attempt, or given up (kept, never retried by itself). */
    public enum State { PENDING, FAILED }

    public OutboxEntry {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(noticeJson, "noticeJson");
        Objects.requireNonNull(queuedAt, "queuedAt");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(state, "state");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative: " + attempts);
        }
    }
}
