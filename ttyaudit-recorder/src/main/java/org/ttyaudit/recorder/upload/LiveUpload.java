package org.ttyaudit.recorder.upload;

import org.ttyaudit.recorder.log.DurableProgress;
import org.ttyaudit.recorder.log.SessionLog;
import org.ttyaudit.recorder.pty.BackgroundThreads;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Ships a session while it is recorded ({@code ttyaudit record --upload}): a {@link SpoolUploader} on a
 * low-priority background thread, fed by the recorder's {@link DurableProgress} notifications (pass this object
 * to the {@code Recorder}). The server's {@code terminate} goes to the handler given to {@link #start}.
 *
 * <p>At the end of the session, {@link #await} gives the outcome if the upload finished in time; otherwise
 * {@link #stop()} ends the thread and the spool entry is left for a background drainer.
 *
 * <p>Thread-safe: the recorder's writer thread notifies, the session's thread starts, awaits and stops.
 */
public final class LiveUpload implements DurableProgress {
    private final RecordProgress progress = new RecordProgress();
    private final Path recordFile;
    private final IngestClient client;
    private final Backoff backoff;
    private final Sleeper sleeper;
    private final SpoolUploader.Settings settings;
    private final CompletableFuture<UploadOutcome> outcome = new CompletableFuture<>();
    private Thread thread;

    public LiveUpload(Path recordFile, IngestClient client) {
        this(recordFile, client, new Backoff(), Sleeper.SYSTEM, SpoolUploader.Settings.persistent());
    }

    public LiveUpload(Path recordFile, IngestClient client, Backoff backoff, Sleeper sleeper,
                      SpoolUploader.Settings settings) {
        this.recordFile = recordFile;
        this.client = client;
        this.backoff = backoff;
        this.sleeper = sleeper;
        this.settings = settings;
    }

    /** The shortest chunk latency a server may ask for: a faulty server must not cause an fsync storm. */
    public static final Duration MIN_FLUSH_LATENCY = Duration.ofMillis(100);

    /**
     * Starts the uploader thread; it waits for the record's header to be durable. {@code onLatency} gets the
     * chunk latency to use now: shorter while the server says the session is watched live (at least
     * {@link #MIN_FLUSH_LATENCY}, at most the default), the default ({@link SessionLog#DEFAULT_MAX_LATENCY}) again
     * when it no longer says so.
     */
    public synchronized void start(Consumer<String> onTerminate, Consumer<Duration> onLatency) {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        SpoolUploader uploader = new SpoolUploader(recordFile, progress, client, backoff, sleeper, settings,
                new SpoolUploader.Listener() {
                    @Override
                    public void terminateRequested(String reason) {
                        onTerminate.accept(reason);
                    }

                    @Override
                    public void flushWithin(Optional<Duration> latency) {
                        onLatency.accept(latency.map(LiveUpload::bounded).orElse(SessionLog.DEFAULT_MAX_LATENCY));
                    }
                });
        thread = BackgroundThreads.named("ttyaudit-upload").newThread(() -> {
            try {
                outcome.complete(uploader.run());
            } catch (InterruptedException e) {
                outcome.cancel(false);
            } catch (RuntimeException | Error e) {
                outcome.completeExceptionally(e);
            }
        });
        thread.start();
    }

    private static Duration bounded(Duration asked) {
        if (asked.compareTo(MIN_FLUSH_LATENCY) < 0) {
            return MIN_FLUSH_LATENCY;
        }
        return asked.compareTo(SessionLog.DEFAULT_MAX_LATENCY) > 0 ? SessionLog.DEFAULT_MAX_LATENCY : asked;
    }

    @Override
    public void durable(long length) {
        progress.durable(length);
    }

    @Override
    public void closed() {
        progress.closed();
    }

    /** The outcome if the upload finished within {@code timeout}; empty if it is still going. */
    public Optional<UploadOutcome> await(Duration timeout) throws InterruptedException {
        try {
            return Optional.of(outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException | java.util.concurrent.CancellationException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.of(new UploadOutcome.Unreadable(null, "the uploader failed: " + e.getCause()));
        }
    }

    /** Stops the uploader (if still running) and waits for its thread to end. */
    public void stop() throws InterruptedException {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            t.join(TimeUnit.SECONDS.toMillis(5));
        }
    }
}
