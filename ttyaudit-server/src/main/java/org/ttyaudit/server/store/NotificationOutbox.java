package org.ttyaudit.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The durable queue of alert notifications (a transactional outbox). Entries are added only inside a
 * {@link Store#write} transaction ({@link WriteTransaction#enqueueNotification}), together with the alert they
 * announce, so an alert is stored exactly when its notifications are queued. The dispatcher then reads the
 * pending entries of a target in queueing order, and records each attempt's outcome here, each call its own
 * durable transaction: a delivered entry leaves the outbox, a failed attempt is rescheduled with its error, and an
 * entry whose delivery was given up stays, {@link OutboxEntry.State#FAILED}, for people to see.
 *
 * <p>Thread-safe. Reads see only committed writes. Changing an entry that is not pending (unknown, delivered,
 * given up) is a {@link StoreException}: two dispatchers on one store would otherwise deliver twice unnoticed.
 */
public interface NotificationOutbox {

    /**
     * The pending entries of {@code target} with an id above {@code afterId}, oldest first, at most {@code limit};
     * whether or not they are due yet (the caller keeps the target's order, so it waits for the first).
     */
    List<OutboxEntry> pending(String target, long afterId, int limit);

    /** The targets that have pending entries, with how many each has. */
    Map<String, Long> pendingCounts();

    /** Entries whose delivery was given up, most recent first, at most {@code limit}. */
    List<OutboxEntry> failed(int limit);

    /** The number of entries whose delivery was given up. */
    long failedCount();

    /** The entry was delivered: it leaves the outbox. @throws StoreException when it is not pending */
    void delivered(long id);

    /**
     * An attempt failed: counts it and sets when to try next and why it failed.
     *
     * @throws StoreException when the entry is not pending
     */
    void retryLater(long id, Instant nextAttemptAt, String error);

    /**
     * Gives up delivering the entry after a last failed attempt (counted, with its error): it stays in the outbox
     * as failed and is not tried again.
     *
     * @throws StoreException when the entry is not pending
     */
    void giveUp(long id, Instant at, String error);
}
