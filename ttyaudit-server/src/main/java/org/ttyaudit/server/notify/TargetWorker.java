package org.ttyaudit.server.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttyaudit.server.cluster.Leadership;
import org.ttyaudit.server.store.NotificationOutbox;
import org.ttyaudit.server.store.OutboxEntry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Delivers the pending outbox entries of one target, oldest first, on a thread of its own (so a target that hangs
 * or fails holds up only itself). The oldest pending entry goes first, and the ones after it wait while it is
 * being retried: a receiver gets a target's notifications in the order they were queued, except for one given up.
 * Each outcome is written to the outbox before the next entry is taken: delivered (it leaves), retried later
 * (attempts, next attempt, last error), or given up when an attempt fails and the entry is older than the retry
 * policy's {@code giveUpAfter}.
 *
 * <p>Threading: {@link #run()} on the worker's thread; {@link #wake()} and {@link #stop()} from any thread.
 */
final class TargetWorker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(TargetWorker.class);
    /** Entries read from the outbox at a time. */
    static final int BATCH = 32;

    private final String target;
    private final Notifier notifier;
    private final NotificationOutbox outbox;
    private final RetryPolicy retry;
    private final NotifyMetrics metrics;
    private final Clock clock;
    private final DoubleSupplier random;
    private final Duration idlePoll;
    private final Object signal = new Object();
    private boolean wakeRequested;
    private volatile boolean stopping;
    private volatile Leadership leadership = Leadership.ALONE;

    TargetWorker(String target, Notifier notifier, NotificationOutbox outbox, RetryPolicy retry,
                 NotifyMetrics metrics, Clock clock, DoubleSupplier random, Duration idlePoll) {
        this.target = target;
        this.notifier = notifier;
        this.outbox = outbox;
        this.retry = retry;
        this.metrics = metrics;
        this.clock = clock;
        this.random = random;
        this.idlePoll = idlePoll;
    }

    /** Delivers only while this instance leads the fleet (set before the thread starts). */
    void leadBy(Leadership leadership) {
        this.leadership = leadership;
        leadership.whenGained(this::wake);
    }

    /** Look at the outbox now: something was queued. Never blocks. */
    void wake() {
        synchronized (signal) {
            wakeRequested = true;
            signal.notifyAll();
        }
    }

    /** Ends the loop after the current attempt, and ends a send that hangs by closing the notifier. */
    void stop() {
        stopping = true;
        wake();
        notifier.close();
    }

    @Override
    public void run() {
        while (!stopping) {
            Duration wait;
            try {
                wait = leadership.leading() ? deliverDue() : idlePoll;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the store failed or is closing: say so, and look again after the idle poll
                if (!stopping) {
                    log.warn("notifications of target {}: cannot read or update the outbox: {}", target,
                            e.toString());
                }
                wait = idlePoll;
            }
            if (!await(wait)) {
                return;
            }
        }
    }

    /**
     * Delivers the due entries from the oldest on, until none is left or the oldest is not due.
     *
     * @return how long to wait before looking again (the idle poll, or until the oldest entry is due)
     */
    Duration deliverDue() throws InterruptedException {
        while (!stopping) {
            List<OutboxEntry> batch = outbox.pending(target, 0, BATCH);
            if (batch.isEmpty()) {
                return idlePoll;
            }
            for (OutboxEntry e : batch) {
                if (stopping) {
                    return Duration.ZERO;
                }
                Instant now = clock.instant();
                if (e.nextAttemptAt().isAfter(now)) {
                    Duration untilDue = Duration.between(now, e.nextAttemptAt());
                    return untilDue.compareTo(idlePoll) < 0 ? untilDue : idlePoll;
                }
                if (!attempt(e)) {
                    break;   // it stays first: read again, and wait for its next attempt
                }
            }
        }
        return Duration.ZERO;
    }

    /** One delivery attempt and its outcome in the outbox; true when it was delivered or given up. */
    private boolean attempt(OutboxEntry e) throws InterruptedException {
        AlertNotice notice;
        try {
            notice = AlertNotice.fromJson(e.noticeJson());
        } catch (IllegalArgumentException bad) {
            // nothing will make it deliverable: keep it, visibly, rather than retry it for a day
            outbox.giveUp(e.id(), clock.instant(), "the queued notice cannot be read: " + bad.getMessage());
            metrics.gaveUp(target);
            log.error("notification {} of target {} cannot be read, given up: {}", e.id(), target, bad.getMessage());
            return true;
        }
        try {
            notifier.deliver(notice);
        } catch (DeliveryException | RuntimeException failure) {
            if (stopping) {
                throw new InterruptedException("closing");   // not the receiver's fault: no attempt is counted
            }
            // a RuntimeException is a bug or a surprise of a library; counted as an attempt all the same, so that
            // it is retried, visible in the outbox, and given up in the end rather than looping unseen
            failed(e, failure instanceof DeliveryException d ? d
                    : new DeliveryException("unexpected " + failure, null, failure));
            return false;
        }
        outbox.delivered(e.id());
        Instant now = clock.instant();
        metrics.delivered(target, Duration.between(e.queuedAt(), now).toNanos() / 1e9);
        if (e.attempts() > 0) {
            log.info("notification {} (alert {}) delivered to target {} after {} failed attempts", e.id(),
                    notice.alertId(), target, e.attempts());
        }
        return true;
    }

    private void failed(OutboxEntry e, DeliveryException failure) {
        Instant now = clock.instant();
        metrics.attemptFailed(target);
        int attempts = e.attempts() + 1;
        if (Duration.between(e.queuedAt(), now).compareTo(retry.giveUpAfter()) >= 0) {
            outbox.giveUp(e.id(), now, failure.getMessage());
            metrics.gaveUp(target);
            log.error("notification {} of target {} given up after {} attempts over {}: {}", e.id(), target,
                    attempts, Duration.between(e.queuedAt(), now), failure.getMessage());
            return;
        }
        Duration delay = retry.delay(attempts, failure.retryAfter(), random);
        outbox.retryLater(e.id(), now.plus(delay), failure.getMessage());
        // the first failure and then every tenth: an outage of a day must not flood the log
        if (attempts == 1 || attempts % 10 == 0) {
            log.warn("notification {} of target {} not delivered (attempt {}), trying again in {} ms: {}", e.id(),
                    target, attempts, delay.toMillis(), failure.getMessage());
        }
    }

    /** Waits up to {@code d} or until woken; false when the thread was interrupted. */
    private boolean await(Duration d) {
        synchronized (signal) {
            if (!wakeRequested && !stopping && !d.isZero()) {
                try {
                    signal.wait(Math.max(1, d.toMillis()));
                } catch (InterruptedException e) {
                    return false;
                }
            }
            wakeRequested = false;
        }
        return true;
    }
}
