package org.ttyaudit.server.forwarding;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.ttyaudit.server.blob.BlobStore;
import org.ttyaudit.server.cluster.Leadership;
import org.ttyaudit.server.store.RejectedDocument;
import org.ttyaudit.server.store.SignedHeadRecord;
import org.ttyaudit.server.store.Store;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The server's forwarders: one {@link ForwarderWorker} per configured forwarder, each with its own thread, feed
 * reader and durable cursor, so a receiver that is down holds up only its own forwarder. Call {@link #start()}
 * once the store is open, {@link #wake()} after commits (so documents go at once, not at the next poll), and
 * {@link #close()} before the store closes. Thread-safe.
 */
public final class Forwarding implements AutoCloseable {
    /** How often an idle forwarder looks at the feed when nothing woke it (audit events, after a backoff). */
    static final Duration IDLE_POLL = Duration.ofSeconds(1);

    private final Store store;
    private final List<ForwarderWorker> workers = new ArrayList<>();

    public Forwarding(ForwardingSettings settings, Store store, BlobStore blobs, PrometheusRegistry registry,
                      Clock clock) {
        this(settings, store, blobs, registry, clock, IDLE_POLL, () -> ThreadLocalRandom.current().nextDouble());
    }

    Forwarding(ForwardingSettings settings, Store store, BlobStore blobs, PrometheusRegistry registry, Clock clock,
               Duration idlePoll, DoubleSupplier random) {
        this.store = store;
        ForwardingMetrics metrics = new ForwardingMetrics(registry, this::statuses);
        for (ForwarderTarget t : settings.forwarders()) {
            workers.add(new ForwarderWorker(t, t.open(clock), new ForwardFeed(store, blobs, t.settings().name()),
                    store.forwarding(), settings.retry(), metrics, clock, random, idlePoll));
        }
    }

    /** Loads (or creates) each forwarder's cursor and starts its thread. */
    public Forwarding start() {
        return start(Leadership.ALONE);
    }

    /** As {@link #start()}; the forwarders work only while this instance leads the fleet. */
    public Forwarding start(Leadership leadership) {
        long size = store.ledger().size();
        long head = store.ledger().latestSignedHead().map(SignedHeadRecord::treeSize).orElse(-1L);
        workers.forEach(w -> w.start(size, head, leadership));
        return this;
    }

    /** Tells every forwarder that the feed grew. Never blocks. */
    public void wake() {
        workers.forEach(ForwarderWorker::wake);
    }

    /** Each forwarder's state, in the order of the settings. */
    public List<ForwarderStatus> statuses() {
        List<ForwarderStatus> out = new ArrayList<>();
        workers.forEach(w -> out.add(w.status()));
        return out;
    }

    /** The documents the receiver of forwarder {@code name} refused for good, newest first, at most {@code limit}. */
    public List<RejectedDocument> rejected(String name, int limit) {
        return store.forwarding().rejected(name, limit);
    }

    /**
     * Waits until every forwarder has forwarded the whole feed (tests).
     *
     * @return false when one did not within {@code timeout}
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ForwarderWorker w : workers) {
            if (!w.awaitCaughtUp(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                return false;
            }
        }
        return true;
    }

    /** Stops every forwarder after its current batch. */
    @Override
    public void close() {
        workers.forEach(ForwarderWorker::close);
    }
}
