package org.ttyaudit.server.live;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.ttyaudit.server.blob.BlobStore;
import org.ttyaudit.server.cluster.Coordination;
import org.ttyaudit.server.ingest.CommitListener;
import org.ttyaudit.server.ingest.ReceivedBatch;
import org.ttyaudit.server.store.Store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fans committed ingest out to live viewers (docs/ARCHITECTURE.md, "Live view"). Ingest tells the hub what it
 * made durable ({@link CommitListener}); the hub queues it for each {@link LiveViewer} of that session, whose
 * own thread turns it into asciicast v2 frames. So viewers see only what the store holds (a live view never
 * shows what could still be lost), and a slow viewer costs ingest one non-blocking queue offer.
 *
 * <p>While a session has a viewer, {@link #flushWithinMillis} asks its recorder (through the ingest commit
 * point, docs/INGEST.md) to seal chunks within {@link #WATCHED_FLUSH_MILLIS} instead of the default second, so
 * that the view follows the keystrokes within a second.
 *
 * <p><b>Several instances</b> ({@link Coordination}): a session may be ingested by one instance and watched on
 * another. An instance that hears another committed to a watched session has its viewers read the new chunks
 * from the store ({@link Update#FROM_STORE}); an instance with viewers tells the others so every
 * {@link #ANNOUNCE_EVERY} (and at once when a view opens), so the instance ingesting the session asks its
 * recorder for the short flush bound too. A watch heard from elsewhere counts for {@link #REMOTE_WATCH_TTL}.
 *
 * <p>Thread-safe. Viewers are at most {@link Limits#maxViewers()}; each holds one thread and at most
 * {@link Limits#maxQueuedBytes()} of queued chunks (shared with ingest, not copied).
 */
public final class LiveHub implements CommitListener, AutoCloseable {
    /** The chunk latency bound asked of a recorder whose session is watched. */
    public static final int WATCHED_FLUSH_MILLIS = 200;
    /** How often an instance with viewers tells the others which sessions they watch. */
    static final Duration ANNOUNCE_EVERY = Duration.ofSeconds(5);
    /** How long a watch heard from another instance counts without being repeated. */
    static final Duration REMOTE_WATCH_TTL = ANNOUNCE_EVERY.multipliedBy(3);

    /**
     * Bounds per viewer and in all.
     *
     * @param maxViewers        viewers at once, over all sessions
     * @param maxQueuedUpdates  committed requests queued for one viewer before it counts as fallen behind
     * @param maxQueuedBytes    bytes of chunks queued for one viewer before it counts as fallen behind
     * @param sendTimeoutMillis how long one frame may wait for the network before the connection is dropped
     */
    public record Limits(int maxViewers, int maxQueuedUpdates, long maxQueuedBytes, long sendTimeoutMillis) {
        public Limits {
            if (maxViewers < 1 || maxQueuedUpdates < 1 || maxQueuedBytes < 1 || sendTimeoutMillis < 1) {
                throw new IllegalArgumentException("live view limits must be positive");
            }
        }

        /** 64 viewers; 512 requests or 8 MiB queued per viewer; 30 s per frame. */
        public static Limits defaults() {
            return new Limits(64, 512, 8L * 1024 * 1024, 30_000);
        }
    }

    private final Store store;
    private final BlobStore blobs;
    private final Limits limits;
    private final ConcurrentHashMap<UUID, Set<LiveViewer>> bySession = new ConcurrentHashMap<>();
    private final AtomicInteger viewers = new AtomicInteger();
    private final Counter dropped;
    private final Coordination coordination;
    /** Sessions that other instances' viewers watch, to when that expires ({@link System#nanoTime()}). */
    private final ConcurrentHashMap<UUID, Long> watchedElsewhere = new ConcurrentHashMap<>();
    private final ScheduledExecutorService announcer;

    public LiveHub(Store store, BlobStore blobs, Limits limits, PrometheusRegistry metrics) {
        this(store, blobs, limits, metrics, Coordination.single());
    }

    public LiveHub(Store store, BlobStore blobs, Limits limits, PrometheusRegistry metrics,
                   Coordination coordination) {
        this.store = store;
        this.blobs = blobs;
        this.limits = limits;
        this.coordination = coordination;
        if (coordination.shared()) {
            coordination.listen(new FleetListener());
            announcer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ttyaudit-live-announcer");
                t.setDaemon(true);
                return t;
            });
            announcer.scheduleWithFixedDelay(this::announceWatched, ANNOUNCE_EVERY.toMillis(),
                    ANNOUNCE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            announcer = null;
        }
        GaugeWithCallback.builder().name("ttyaudit_live_viewers").help("Live views open now")
                .callback(g -> g.call(viewers.get())).register(metrics);
        dropped = Counter.builder().name("ttyaudit_live_viewers_dropped_total")
                .help("Live views closed because the viewer fell behind or stopped reading").register(metrics);
    }

    /**
     * Starts streaming session {@code sessionId} to {@code socket}: the stored part first, then each commit.
     * The caller has checked that the session exists and may be seen. Empty when the hub is full.
     */
    public Optional<LiveViewer> watch(UUID sessionId, ViewerSocket socket) {
        if (viewers.incrementAndGet() > limits.maxViewers()) {
            viewers.decrementAndGet();
            return Optional.empty();
        }
        LiveViewer v = new LiveViewer(sessionId, counting(socket), this, limits);
        bySession.compute(sessionId, (id, set) -> {   // atomic with detach(), which removes empty sets
            Set<LiveViewer> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            s.add(v);
            return s;
        });
        v.start();   // after registering: see LiveViewer on replay and live updates meeting
        if (coordination.shared()) {
            coordination.announceWatched(Set.of(sessionId));
        }
        return Optional.of(v);
    }

    /** Whether another viewer may join now. */
    public boolean full() {
        return viewers.get() >= limits.maxViewers();
    }

    /** The chunk latency bound to ask of the session's recorder: set while it is watched, else empty. */
    public OptionalInt flushWithinMillis(UUID sessionId) {
        Set<LiveViewer> set = bySession.get(sessionId);
        boolean watched = set != null && !set.isEmpty() || watchedElsewhereNow(sessionId);
        return watched ? OptionalInt.of(WATCHED_FLUSH_MILLIS) : OptionalInt.empty();
    }

    private boolean watchedElsewhereNow(UUID sessionId) {
        Long until = watchedElsewhere.get(sessionId);
        if (until == null) {
            return false;
        }
        if (System.nanoTime() - until > 0) {
            watchedElsewhere.remove(sessionId, until);
            return false;
        }
        return true;
    }

    /** Live views open now. */
    public int viewers() {
        return viewers.get();
    }

    @Override
    public void committed(List<ReceivedBatch> batches) {
        for (ReceivedBatch b : batches) {
            Set<LiveViewer> set = bySession.get(b.sessionId());
            if (set == null || set.isEmpty() || (b.chunks().isEmpty() && b.end() == null)) {
                continue;
            }
            Update u = Update.of(b);
            for (LiveViewer v : set) {
                v.offer(u);
            }
        }
    }

    /** Tells the other instances which sessions this one's viewers watch (repeated while they do). */
    private void announceWatched() {
        Set<UUID> watched = Set.copyOf(bySession.keySet());
        if (!watched.isEmpty()) {
            coordination.announceWatched(watched);
        }
    }

    /** Has the viewers of {@code sessions} read what is new from the store. */
    private void refreshFromStore(Set<UUID> sessions) {
        for (UUID id : sessions) {
            Set<LiveViewer> set = bySession.get(id);
            if (set != null) {
                set.forEach(v -> v.offer(Update.FROM_STORE));
            }
        }
    }

    /** What this hub hears from the other instances. */
    private final class FleetListener implements Coordination.Listener {
        @Override
        public void committedElsewhere(Set<UUID> sessions) {
            refreshFromStore(sessions);
        }

        @Override
        public void watchedElsewhere(Set<UUID> sessions) {
            long until = System.nanoTime() + REMOTE_WATCH_TTL.toNanos();
            sessions.forEach(id -> watchedElsewhere.put(id, until));
        }

        @Override
        public void reconnected() {
            refreshFromStore(Set.copyOf(bySession.keySet()));   // what the break hid
        }
    }

    /** Tells every viewer that the server stops (close code 1001). */
    @Override
    public void close() {
        if (announcer != null) {
            announcer.shutdownNow();
        }
        bySession.values().forEach(set -> set.forEach(LiveViewer::shutDown));
    }

    void detach(LiveViewer v) {
        bySession.computeIfPresent(v.sessionId(), (id, set) -> {
            set.remove(v);
            return set.isEmpty() ? null : set;
        });
        viewers.decrementAndGet();
    }

    Store store() {
        return store;
    }

    BlobStore blobs() {
        return blobs;
    }

    /** Counts the viewers dropped for not keeping up (a policy close or a dropped connection). */
    private ViewerSocket counting(ViewerSocket socket) {
        return new ViewerSocket() {
            @Override
            public java.util.concurrent.CompletableFuture<Void> send(String text) {
                return socket.send(text);
            }

            @Override
            public void ping() {
                socket.ping();
            }

            @Override
            public void close(int code, String reason) {
                if (code == LiveViewer.POLICY) {
                    dropped.inc();
                }
                socket.close(code, reason);
            }

            @Override
            public void disconnect() {
                dropped.inc();
                socket.disconnect();
            }
        };
    }
}
