package org.ttyaudit.server.live;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.server.playback.StoredEvents;
import org.ttyaudit.server.store.ChunkRecord;
import org.ttyaudit.server.store.SessionRecord;

import java.util.ArrayDeque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One viewer of a live session: a bounded queue filled by the hub (on the ingest committer thread, never
 * blocking it) and a sender thread of its own that first replays what is stored, then streams each queued update,
 * and closes with 1000 when the session ends.
 *
 * <p><b>Never blocks ingest, never buffers without bound:</b> when the queue would pass
 * {@link LiveHub.Limits#maxQueuedUpdates()} or {@link LiveHub.Limits#maxQueuedBytes()} the viewer is marked as
 * fallen behind; its sender closes it with 1008 and a reason (the browser's player reconnects and replays). A
 * frame the network does not take within {@link LiveHub.Limits#sendTimeoutMillis()} drops the connection.
 *
 * <p>Replay and live updates meet without gap or repeat: the viewer is registered before the stored session is
 * read, so every commit after that read is queued, and queued chunks at or below the last replayed seq are skipped.
 */
public final class LiveViewer {
    /** RFC 6455 close codes used here. */
    static final int NORMAL = 1000;
    static final int GOING_AWAY = 1001;
    static final int POLICY = 1008;
    static final int SERVER_ERROR = 1011;

    private static final Logger log = LoggerFactory.getLogger(LiveViewer.class);
    /** How long a quiet session's socket goes without a frame before the viewer pings. */
    private static final long PING_NANOS = TimeUnit.SECONDS.toNanos(15);
    /** Stored chunks read at a time (replay, and updates another instance committed). */
    private static final int STORED_PAGE = 256;

    private final UUID sessionId;
    private final ViewerSocket socket;
    private final LiveHub hub;
    private final LiveHub.Limits limits;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Update> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean behind;
    private boolean stopped;
    private boolean shuttingDown;
    private Thread sender;

    LiveViewer(UUID sessionId, ViewerSocket socket, LiveHub hub, LiveHub.Limits limits) {
        this.sessionId = sessionId;
        this.socket = socket;
        this.hub = hub;
        this.limits = limits;
    }

    public UUID sessionId() {
        return sessionId;
    }

    void start() {
        sender = new Thread(this::run, "ttyaudit-live-" + sessionId);
        sender.setDaemon(true);
        sender.start();
    }

    /** Queues an update; never blocks. A viewer that has fallen behind takes nothing more. */
    void offer(Update update) {
        lock.lock();
        try {
            if (stopped || behind) {
                return;
            }
            if (update.fromStore() && Update.FROM_STORE.equals(queue.peekLast())) {
                return;   // one read of the store will take in both
            }
            if (queue.size() + 1 > limits.maxQueuedUpdates() || queuedBytes + update.bytes() > limits.maxQueuedBytes()) {
                behind = true;
                queue.clear();
                queuedBytes = 0;
            } else {
                queue.add(update);
                queuedBytes += update.bytes();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The viewer went away (its socket closed): the sender stops. */
    public void stop() {
        lock.lock();
        try {
            stopped = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The server is stopping: the viewer is told so (1001) and stops. */
    void shutDown() {
        lock.lock();
        try {
            shuttingDown = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the sender thread to end (tests, shutdown). */
    boolean awaitEnd(long millis) throws InterruptedException {
        sender.join(millis);
        return !sender.isAlive();
    }

    private void run() {
        try {
            stream();
        } catch (Stop s) {
            if (s.code > 0) {
                socket.close(s.code, s.reason);
            } else if (s.code == DISCONNECT) {
                socket.disconnect();
            }
        } catch (RuntimeException e) {
            log.warn("live view of session {} failed: {}", sessionId, e.toString());
            socket.close(SERVER_ERROR, truncate("the server cannot stream this session: " + e.getMessage()));
        } finally {
            hub.detach(this);
        }
    }

    private void stream() throws Stop {
        SessionRecord s = hub.store().sessions().get(sessionId).orElseThrow(() -> new Stop(SERVER_ERROR,
                "no session " + sessionId));
        CastFrames frames = new CastFrames();
        send(frames.header(s.header()));
        // Replay what is stored, so a viewer joining mid-session sees the screen as it is.
        long lastSeq = sendStored(frames, -1);
        if (s.ended()) {
            end(frames);
        }
        while (true) {
            Update u = take();
            if (u == null) {
                socket.ping();   // a quiet session: keep the connection open (proxies, idle timeouts)
                continue;
            }
            if (u.fromStore()) {
                lastSeq = sendStored(frames, lastSeq);
                if (hub.store().sessions().get(sessionId).map(SessionRecord::ended).orElse(true)) {
                    end(frames);
                }
                continue;
            }
            for (Chunk c : u.chunks()) {
                if (c.chunkSeq() <= lastSeq) {
                    continue;   // already replayed from the store
                }
                for (Event e : c.decodeEvents()) {
                    sendAll(frames.event(e));
                }
                lastSeq = c.chunkSeq();
            }
            if (u.ends()) {
                end(frames);
            }
        }
    }

    /** Sends the stored chunks after {@code afterSeq}, a page at a time; returns the last seq sent. */
    private long sendStored(CastFrames frames, long afterSeq) throws Stop {
        long lastSeq = afterSeq;
        while (true) {
            List<ChunkRecord> page = hub.store().sessions().chunks(sessionId, lastSeq + 1, STORED_PAGE);
            for (Event e : new StoredEvents(page, hub.blobs())) {
                sendAll(frames.event(e));
            }
            if (!page.isEmpty()) {
                lastSeq = page.get(page.size() - 1).seq();
            }
            if (page.size() < STORED_PAGE) {
                return lastSeq;
            }
        }
    }

    private void end(CastFrames frames) throws Stop {
        sendAll(frames.finish());
        throw new Stop(NORMAL, "the session has ended");
    }

    /** The next update, or null when none came for {@link #PING_NANOS}. */
    private Update take() throws Stop {
        lock.lock();
        try {
            long wait = PING_NANOS;
            while (true) {
                checkState();
                Update u = queue.poll();
                if (u != null) {
                    queuedBytes -= u.bytes();
                    return u;
                }
                if (wait <= 0) {
                    return null;
                }
                try {
                    wait = changed.awaitNanos(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Stop(DISCONNECT, null);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Throws when the viewer must stop: gone, fallen behind, or the server is stopping. */
    private void checkState() throws Stop {
        lock.lock();
        try {
            if (stopped) {
                throw new Stop(0, null);
            }
            if (behind) {
                throw new Stop(POLICY, "this viewer fell behind the live session; reconnect to catch up");
            }
            if (shuttingDown) {
                throw new Stop(GOING_AWAY, "the server is stopping");
            }
        } finally {
            lock.unlock();
        }
    }

    private void sendAll(List<String> texts) throws Stop {
        for (String t : texts) {
            send(t);
        }
    }

    /** Sends one frame and waits until it is written, watching for a stop meanwhile. */
    private void send(String text) throws Stop {
        checkState();
        CompletableFuture<Void> sent = socket.send(text);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limits.sendTimeoutMillis());
        while (true) {
            try {
                sent.get(100, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new Stop(DISCONNECT, null);
                }
                checkState();
            } catch (ExecutionException e) {
                throw new Stop(0, null);   // the connection is gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Stop(DISCONNECT, null);
            }
        }
    }

    private static String truncate(String reason) {
        // a close frame's reason has at most 123 bytes
        return reason.length() > 100 ? reason.substring(0, 100) : reason;
    }

    private static final int DISCONNECT = -1;

    /** Ends the sender: code > 0 closes with it, {@link #DISCONNECT} drops the connection, 0 does nothing. */
    private static final class Stop extends Exception {
        final int code;
        final String reason;

        Stop(int code, String reason) {
            super(reason, null, false, false);
            this.code = code;
            this.reason = reason;
        }
    }
}
