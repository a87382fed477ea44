package org.ttyaudit.recorder.log;

import java.time.Duration;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.SessionEnd;

import org.ttyaudit.recorder.pty.BackgroundThreads;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * The recorder's log: the one ordered stream of a session's events, buffered in memory and handed to a
 * {@link ChunkSink} in chunks by a writer thread of its own, so compression, hashing and fsync never sit on the
 * path that delivers bytes to the user's terminal.
 *
 * <p><b>Log before deliver:</b> callers append an event before they pass its bytes on; once {@link #append}
 * returned, the event is part of the session. A chunk is sealed when it holds {@code chunkBytes} of event data or
 * when its oldest event is {@code maxLatencyNanos} old, whichever comes first — or {@link #PROMPT_SEAL} after an
 * event the server's rules act on at once (a command starting, a recorder marker), so that an alert does not
 * wait for the latency bound: the budget from Enter to the alert is one second in all.
 *
 * <p><b>Never drops:</b> when the sink falls behind by more than {@code maxPendingBytes}, {@link #append} blocks
 * (which slows the session down) instead of discarding events. When the sink fails, the failure is kept and
 * reported by {@link #failure()} and every later append throws, so the recorder can end the session (fail closed).
 *
 * <p>Thread-safe: any number of threads may append; event times are taken under the lock, so offsets never
 * decrease along the stream.
 */
public final class SessionLog {
    /** How old a chunk's oldest event gets at most before the chunk is sealed, unless changed. */
    public static final Duration DEFAULT_MAX_LATENCY = Duration.ofSeconds(1);
    /**
     * How soon a chunk is sealed after a command starts or a marker is logged: short enough for the rules to see it
     * promptly, long enough to take the command's first output along in the same chunk.
     */
    public static final Duration PROMPT_SEAL = Duration.ofMillis(50);

    private final ChunkSink sink;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private final int chunkBytes;
    /** Guarded by {@link #lock}: {@link #maxLatency} changes it while the session runs. */
    private long maxLatencyNanos;
    private final long maxPendingBytes;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeWriter = lock.newCondition();
    private final Condition spaceFreed = lock.newCondition();
    private final Thread writer;

    private List<Event> pending = new ArrayList<>();
    private long pendingBytes;
    private long inFlightBytes;
    private long oldestPendingNanos;
    /** When the pending events must be sealed because one of them is urgent ({@link #PROMPT_SEAL}); MAX: none. */
    private long promptSealNanos = Long.MAX_VALUE;
    private long lastOffsetMicros;
    private boolean closing;
    private SessionEnd endRecord;
    private IOException failure;
    private Consumer<IOException> failureListener;

    public SessionLog(ChunkSink sink, LongSupplier nanoClock, long startNanos, int chunkBytes,
                      long maxLatencyNanos, long maxPendingBytes) {
        this(sink, nanoClock, startNanos, chunkBytes, maxLatencyNanos, maxPendingBytes,
                body -> new Thread(body, "ttyaudit-log-writer"));
    }

    /** @param writerThreads makes the writer thread (e.g. one of lower priority) */
    public SessionLog(ChunkSink sink, LongSupplier nanoClock, long startNanos, int chunkBytes,
                      long maxLatencyNanos, long maxPendingBytes, java.util.concurrent.ThreadFactory writerThreads) {
        this.sink = sink;
        this.nanoClock = nanoClock;
        this.startNanos = startNanos;
        this.chunkBytes = chunkBytes;
        this.maxLatencyNanos = maxLatencyNanos;
        this.maxPendingBytes = maxPendingBytes;
        this.writer = writerThreads.newThread(this::writeLoop);
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * A log with the default chunking: a chunk is sealed at 1 MiB of event data or when its oldest event is 1 s
     * old, and at most 4 MiB may wait for the sink. Interactive sessions produce small chunks (the time bound);
     * bulk output produces large ones, which compress far better and need far fewer fsyncs than 64 KiB chunks
     * (measured: 200 MB of text makes a 0.10 MB record instead of 0.94 MB).
     */
    public static SessionLog withDefaults(ChunkSink sink, long startNanos) {
        return new SessionLog(sink, System::nanoTime, startNanos, 1024 * 1024, DEFAULT_MAX_LATENCY.toNanos(),
                4L * 1024 * 1024, BackgroundThreads.named("ttyaudit-log-writer"));
    }

    /**
     * Changes how old a chunk's oldest event may get before the chunk is sealed, at once (also for the chunk being
     * filled): shorter while the session is watched live, the default again after.
     */
    public void maxLatency(Duration latency) {
        lock.lock();
        try {
            maxLatencyNanos = latency.toNanos();
            wakeWriter.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends the event that {@code factory} makes for the current time (µs since the session start).
     *
     * @throws IOException when the sink has failed; the event is not recorded then
     */
    public void append(LongFunction<? extends Event> factory) throws IOException {
        lock.lock();
        try {
            while (failure == null && !closing && pendingBytes + inFlightBytes > maxPendingBytes) {
                spaceFreed.awaitUninterruptibly();
            }
            if (failure != null) {
                throw new IOException("the session record cannot be written: " + failure.getMessage(), failure);
            }
            if (closing) {
                throw new IOException("the session log is closed");
            }
            long now = nanoClock.getAsLong();
            long offset = Math.max(lastOffsetMicros, (now - startNanos) / 1000);
            lastOffsetMicros = offset;
            Event event = factory.apply(offset);
            if (pending.isEmpty()) {
                oldestPendingNanos = now;
            }
            pending.add(event);
            pendingBytes += EventSize.of(event);
            boolean urgent = event instanceof CommandStartEvent || event instanceof MarkerEvent;
            if (urgent && promptSealNanos == Long.MAX_VALUE) {
                promptSealNanos = now + PROMPT_SEAL.toNanos();
            }
            if (pendingBytes >= chunkBytes || pending.size() == 1 || urgent) {
                wakeWriter.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Microseconds since the session started, by this log's clock. */
    public long offsetMicros() {
        return Math.max(0, (nanoClock.getAsLong() - startNanos) / 1000);
    }

    /**
     * Calls {@code listener} once, on the writer thread, when the sink fails (at once if it already has), so the
     * owner can end the session instead of watching for the failure.
     */
    public void onFailure(Consumer<IOException> listener) {
        IOException already;
        lock.lock();
        try {
            failureListener = listener;
            already = failure;
        } finally {
            lock.unlock();
        }
        if (already != null) {
            listener.accept(already);
        }
    }

    /** The sink's failure, or null while it works. */
    public IOException failure() {
        lock.lock();
        try {
            return failure;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes everything still buffered and then the end record; waits for the writer to finish.
     *
     * @throws IOException when anything could not be written
     */
    public void finish(SessionEnd end) throws IOException {
        stop(end);
    }

    /** Writes everything still buffered and closes the sink without an end record. */
    public void close() throws IOException {
        stop(null);
    }

    private void stop(SessionEnd end) throws IOException {
        lock.lock();
        try {
            if (!closing) {
                closing = true;
                endRecord = end;
                wakeWriter.signal();
                spaceFreed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while finishing the session record", e);
        }
        IOException f = failure();
        if (f != null) {
            throw f;
        }
    }

    private void writeLoop() {
        try {
            sink.start();
        } catch (IOException | RuntimeException | LinkageError e) {
            abandon(e);
            return;
        }
        while (true) {
            List<Event> batch;
            boolean last;
            lock.lock();
            try {
                while (!closing && !chunkDue()) {
                    if (pending.isEmpty()) {
                        wakeWriter.awaitUninterruptibly();
                    } else {
                        long wait = Math.min(oldestPendingNanos + maxLatencyNanos, promptSealNanos)
                                - nanoClock.getAsLong();
                        if (wait > 0) {
                            try {
                                wakeWriter.awaitNanos(wait);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    }
                }
                batch = pending;
                inFlightBytes = pendingBytes;
                pending = new ArrayList<>();
                pendingBytes = 0;
                promptSealNanos = Long.MAX_VALUE;
                last = closing;
            } finally {
                lock.unlock();
            }
            try {
                writeInChunks(batch);
                if (last) {
                    if (endRecord != null) {
                        sink.finish(endRecord);
                    } else {
                        sink.close();
                    }
                }
            } catch (IOException | RuntimeException | LinkageError e) {
                // A LinkageError too: zstd-jni's native library fails to load where the temporary directory is
                // mounted noexec, and a writer thread that dies of it unnoticed lets the session run unrecorded.
                abandon(e);
                return;
            } finally {
                lock.lock();
                try {
                    inFlightBytes = 0;
                    spaceFreed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
            if (last) {
                return;
            }
            if (nothingPending()) {
                sink.idle();
            }
        }
    }

    private boolean nothingPending() {
        lock.lock();
        try {
            return pending.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Hands the batch to the sink in chunks of about {@code chunkBytes} (a batch grows while the sink is slow). */
    private void writeInChunks(List<Event> batch) throws IOException {
        int from = 0;
        long size = 0;
        for (int i = 0; i < batch.size(); i++) {
            size += EventSize.of(batch.get(i));
            if (size >= chunkBytes) {
                sink.writeChunk(batch.subList(from, i + 1));
                from = i + 1;
                size = 0;
            }
        }
        if (from < batch.size()) {
            sink.writeChunk(batch.subList(from, batch.size()));
        }
    }

    private boolean chunkDue() {
        if (pendingBytes >= chunkBytes) {
            return true;
        }
        long now = nanoClock.getAsLong();
        return !pending.isEmpty() && (now - oldestPendingNanos >= maxLatencyNanos || now - promptSealNanos >= 0);
    }

    /** The sink failed: reports it (later appends fail with it) and closes the sink; the writer thread then ends. */
    private void abandon(Throwable e) {
        if (e instanceof IOException io) {
            fail(io);
        } else if (e instanceof LinkageError) {
            fail(new IOException("a library cannot be loaded: " + e.getMessage(), e));
        } else {
            fail(new IOException(e.toString(), e));
        }
        closeQuietly();
    }

    private void fail(IOException e) {
        Consumer<IOException> listener;
        lock.lock();
        try {
            failure = e;
            spaceFreed.signalAll();
            listener = failureListener;
        } finally {
            lock.unlock();
        }
        if (listener != null) {
            listener.accept(e);
        }
    }

    private void closeQuietly() {
        try {
            sink.close();
        } catch (IOException | RuntimeException ignored) {
            // The first failure is the one reported.
        }
    }
}
