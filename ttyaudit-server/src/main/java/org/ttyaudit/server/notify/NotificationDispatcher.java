package org.ttyaudit.server.notify;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttyaudit.server.cluster.Leadership;
import org.ttyaudit.server.store.NotificationOutbox;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Delivers the notifications queued in the store's outbox to their targets, in the background: one thread per
 * target ({@link TargetWorker}), so a receiver that is down or slow delays only its own notifications. An entry
 * leaves the outbox only once delivered; after a restart, even after kill -9, the pending entries are delivered
 * by the next dispatcher (at least once: an entry delivered just before a crash, but not yet marked, is sent
 * again; receivers dedupe by {@code alert_id}).
 *
 * <p>Call {@link #start()} once the store is open, {@link #wake()} after each transaction that queued
 * notifications (so they are sent at once, not at the next poll), and {@link #close()} before the store closes.
 * Entries of a target that the settings no longer name stay pending (counted in the metrics, logged at start)
 * until the target is configured again.
 *
 * <p>Thread-safe.
 */
public final class NotificationDispatcher implements AutoCloseable {
    /** How often an idle target looks at the outbox when nothing woke it (entries queued without a wake). */
    public static final Duration DEFAULT_IDLE_POLL = Duration.ofSeconds(2);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(NotificationDispatcher.class);

    private final NotificationOutbox outbox;
    private final NotifyTargets targets;
    private final Map<String, TargetWorker> workers = new LinkedHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Duration longestTimeout;
    private boolean started;
    private boolean closed;

    /**
     * A dispatcher for {@code targets}, registering its metrics in {@code registry}; {@link #start()} starts it.
     *
     * @param clock for queueing ages, backoff and {@code Retry-After} dates
     */
    public NotificationDispatcher(NotificationOutbox outbox, NotifyTargets targets, PrometheusRegistry registry,
                                  Clock clock) {
        this(outbox, targets, registry, clock, DEFAULT_IDLE_POLL, () -> ThreadLocalRandom.current().nextDouble());
    }

    NotificationDispatcher(NotificationOutbox outbox, NotifyTargets targets, PrometheusRegistry registry,
                           Clock clock, Duration idlePoll, DoubleSupplier random) {
        this.outbox = outbox;
        this.targets = targets;
        NotifyMetrics metrics = new NotifyMetrics(registry, outbox);
        Duration longest = Duration.ZERO;
        for (NotifyTarget t : targets.all()) {
            workers.put(t.name(), new TargetWorker(t.name(), notifier(t, clock), outbox, targets.retry(), metrics,
                    clock, random, idlePoll));
            longest = t.timeout().compareTo(longest) > 0 ? t.timeout() : longest;
        }
        this.longestTimeout = longest;
    }

    private static Notifier notifier(NotifyTarget t, Clock clock) {
        if (t instanceof WebhookTarget w) {
            return new WebhookNotifier(w, clock);
        }
        return new SyslogNotifier((SyslogTarget) t);
    }

    /** Starts one delivery thread per target; they first take up what the outbox holds from before. */
    public NotificationDispatcher start() {
        return start(Leadership.ALONE);
    }

    /** As {@link #start()}; the targets are delivered to only while this instance leads the fleet. */
    public synchronized NotificationDispatcher start(Leadership leadership) {
        if (started) {
            throw new IllegalStateException("the dispatcher is already started");
        }
        started = true;
        try {
            for (String orphan : outbox.pendingCounts().keySet()) {
                if (!workers.containsKey(orphan)) {
                    log.warn("the outbox holds notifications for target '{}', which the settings do not name; they"
                            + " wait until it is configured again", orphan);
                }
            }
        } catch (RuntimeException e) {
            log.warn("cannot list the outbox's targets: {}", e.toString());
        }
        workers.forEach((name, worker) -> {
            worker.leadBy(leadership);
            Thread t = new Thread(worker, "ttyaudit-notify-" + name);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        });
        return this;
    }

    /** Tells every target to look at the outbox now (notifications were queued). Never blocks. */
    public void wake() {
        workers.values().forEach(TargetWorker::wake);
    }

    /** The targets this dispatcher delivers to. */
    public NotifyTargets targets() {
        return targets;
    }

    /**
     * Stops delivering: each target finishes or abandons its current attempt (an abandoned one stays pending and
     * is not counted as failed). Waits for the threads up to the longest target timeout plus a few seconds.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        workers.values().forEach(TargetWorker::stop);
        long deadline = System.nanoTime() + longestTimeout.plus(CLOSE_GRACE).toNanos();
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toMillis()));
                if (t.isAlive()) {
                    t.interrupt();   // an HTTP request in flight: the JDK client ends it on interrupt
                    t.join(CLOSE_GRACE.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
