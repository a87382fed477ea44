package org.ttyaudit.server.forwarding;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttyaudit.server.background.RoundWorker;
import org.ttyaudit.server.cluster.Leadership;
import org.ttyaudit.server.notify.RetryPolicy;
import org.ttyaudit.server.store.ForwardCursor;
import org.ttyaudit.server.store.ForwardingStore;
import org.ttyaudit.server.store.RejectedDocument;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Delivers the feed to one forwarder, batch after batch, on a thread of its own ({@link RoundWorker}): reads the
 * documents after the durable cursor, sends them, and only then moves the cursor in the store (with the documents
 * the receiver refused for good). A failed send leaves the cursor where it is and waits with exponential backoff
 * (with jitter, up to the retry policy's {@code maxDelay}, or what the receiver asked for) before the same
 * position is read and sent again, for as long as the receiver is away: nothing is skipped, and a restarted
 * server resumes from the cursor (at least once: a batch delivered just before a crash is sent again).
 *
 * <p>Threading: rounds on the worker's thread; {@link #wake()}, {@link #status()} and {@link #close()} from any.
 */
final class ForwarderWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ForwarderWorker.class);
    /**
     * How stale the stored caught-up time may get while the forwarder idles with nothing pending: it is written
     * again after this long, so that after a restart the lag in seconds is not overstated by more.
     */
    static final Duration CAUGHT_UP_REFRESH = Duration.ofMinutes(1);

    private final ForwarderTarget target;
    private final String name;
    private final Forwarder forwarder;
    private final ForwardFeed feed;
    private final ForwardingStore cursors;
    private final RetryPolicy retry;
    private final ForwardingMetrics metrics;
    private final Clock clock;
    private final DoubleSupplier random;
    private final RoundWorker worker;
    private volatile ForwardCursor cursor;
    private volatile int failures;
    private volatile String lastError;
    private volatile Instant nextAttemptAt;
    private volatile boolean closing;
    /** When a round last found nothing pending (null: not since the start); finer than the stored time. */
    private volatile Instant lastIdle;

    ForwarderWorker(ForwarderTarget target, Forwarder forwarder, ForwardFeed feed, ForwardingStore cursors,
                    RetryPolicy retry, ForwardingMetrics metrics, Clock clock, DoubleSupplier random,
                    Duration idlePoll) {
        this.target = target;
        this.name = target.settings().name();
        this.forwarder = forwarder;
        this.feed = feed;
        this.cursors = cursors;
        this.retry = retry;
        this.metrics = metrics;
        this.clock = clock;
        this.random = random;
        this.worker = new RoundWorker("ttyaudit-forward-" + name, "forwarding to " + name, this::round, idlePoll);
    }

    /**
     * Loads the cursor (creating it where the settings say a new one starts) and starts the thread.
     *
     * @param ledgerSize   the ledger's size now, where a {@code start: latest} cursor starts
     * @param latestHead   the tree size of the latest signed head now (−1: none)
     * @param leadership   it forwards only while this instance leads the fleet
     */
    void start(long ledgerSize, long latestHead, Leadership leadership) {
        load(ledgerSize, latestHead);
        worker.start(leadership);
    }

    /** Loads the cursor, creating it where the settings say a new one starts (without starting the thread). */
    void load(long ledgerSize, long latestHead) {
        ForwardCursor c = cursors.cursor(name).orElse(null);
        if (c == null) {
            boolean oldest = target.settings().startAtOldest();
            cursors.advance(name, oldest ? 0 : ledgerSize, oldest ? -1 : latestHead, 0, List.of(), true,
                    clock.instant());
            c = cursors.cursor(name).orElseThrow();
            log.info("forwarder {} starts at {} (ledger leaf {})", name, oldest ? "the oldest record" : "the latest",
                    c.nextLeaf());
        } else {
            log.info("forwarder {} resumes at ledger leaf {}, signed head {}", name, c.nextLeaf(), c.headSize());
        }
        cursor = c;
    }

    void wake() {
        worker.wake();
    }

    /** One batch; returns how much of the feed it covered (0: nothing pending, or waiting after a failure). */
    int round() {
        if (closing) {
            return 0;
        }
        Instant due = nextAttemptAt;
        if (due != null && clock.instant().isBefore(due)) {
            return 0;
        }
        ForwardCursor c = cursor;
        FeedBatch batch = feed.read(c.nextLeaf(), c.headSize(), target.settings().batchSize());
        if (batch.nextLeaf() == c.nextLeaf() && batch.headSize() == c.headSize()) {
            if (batch.caughtUp()) {
                stillCaughtUp(c);
            }
            return 0;
        }
        Forwarder.Delivery delivery = Forwarder.Delivery.ALL;
        if (!batch.events().isEmpty()) {
            try {
                delivery = forwarder.send(batch.events());
            } catch (ForwardException e) {
                if (!closing) {
                    failed(e);
                }
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        List<RejectedDocument> rejected = new ArrayList<>();
        for (Forwarder.Rejection r : delivery.rejected()) {
            rejected.add(new RejectedDocument(r.event().id(), r.event().json(), r.reason()));
            log.error("forwarder {}: the receiver refused document {} for good ({}); it is kept in the store's"
                    + " rejected list and not sent again", name, r.event().id(), r.reason());
        }
        int delivered = batch.events().size() - rejected.size();
        Instant now = clock.instant();
        cursors.advance(name, batch.nextLeaf(), batch.headSize(), delivered, rejected, batch.caughtUp(), now);
        cursor = new ForwardCursor(batch.nextLeaf(), batch.headSize(), c.forwarded() + delivered,
                c.rejected() + rejected.size(), batch.caughtUp() ? now : c.caughtUpAt());
        metrics.delivered(name, delivered, rejected.size());
        if (failures > 0) {
            log.info("forwarder {} delivers again after {} failed attempts", name, failures);
        }
        failures = 0;
        lastError = null;
        nextAttemptAt = null;
        return Math.max(1, batch.events().size());
    }

    /** Nothing is pending: the caught-up time moves on (in the store at most every {@link #CAUGHT_UP_REFRESH}). */
    private void stillCaughtUp(ForwardCursor c) {
        Instant now = clock.instant();
        if (Duration.between(c.caughtUpAt(), now).compareTo(CAUGHT_UP_REFRESH) >= 0) {
            cursors.advance(name, c.nextLeaf(), c.headSize(), 0, List.of(), true, now);
            cursor = new ForwardCursor(c.nextLeaf(), c.headSize(), c.forwarded(), c.rejected(), now);
        }
        lastIdle = now;
    }

    private void failed(ForwardException e) {
        int n = failures + 1;
        failures = n;
        lastError = e.getMessage();
        Duration delay = retry.delay(n, e.retryAfter(), random);
        nextAttemptAt = clock.instant().plus(delay);
        metrics.attemptFailed(name);
        // the first failure and then every tenth: an outage of a day must not flood the log
        if (n == 1 || n % 10 == 0) {
            log.warn("forwarder {}: not delivered (attempt {}), trying again in {} ms: {}", name, n,
                    delay.toMillis(), e.getMessage());
        }
    }

    /** The forwarder's state now (reads the feed's size from the store). */
    ForwarderStatus status() {
        ForwardCursor c = cursor;
        ForwarderSettings s = target.settings();
        if (c == null) {
            return new ForwarderStatus(s.name(), s.type(), s.address(), 0, -1, 0, 0, 0, 0, failures, lastError,
                    nextAttemptAt);
        }
        long pending = feed.pending(c.nextLeaf(), c.headSize());
        Instant idle = lastIdle;
        Instant caughtUp = idle != null && idle.isAfter(c.caughtUpAt()) ? idle : c.caughtUpAt();
        double lag = pending == 0 ? 0 : Math.max(0, Duration.between(caughtUp, clock.instant()).toMillis()
                / 1000.0);
        return new ForwarderStatus(s.name(), s.type(), s.address(), c.nextLeaf(), c.headSize(), pending, lag,
                c.forwarded(), c.rejected(), failures, lastError, nextAttemptAt);
    }

    /** Stops after the current batch; a send that hangs is ended by closing the forwarder. */
    @Override
    public void close() {
        closing = true;
        forwarder.close();
        worker.close();
    }

    /** Waits until the forwarder has nothing pending (tests). */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return worker.awaitUntil(() -> {
            ForwardCursor c = cursor;
            return c != null && feed.pending(c.nextLeaf(), c.headSize()) == 0;
        }, timeout);
    }
}
