package org.ttyaudit.gateway.record;

import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.core.redact.SecretMasker;
import org.ttyaudit.recorder.log.ChunkSink;
import org.ttyaudit.recorder.log.DurableProgress;
import org.ttyaudit.recorder.log.MaskingChunkSink;
import org.ttyaudit.recorder.log.RecordFileSink;
import org.ttyaudit.recorder.log.SessionLog;
import org.ttyaudit.recorder.spool.Spool;
import org.ttyaudit.recorder.upload.IngestClient;
import org.ttyaudit.recorder.upload.LiveUpload;
import org.ttyaudit.recorder.upload.UploadOutcome;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts the record of each relayed channel, the way {@code ttyaudit record --upload} does for a terminal:
 * a record file in the gateway's spool ({@code DATA/spool/<session id>.tta}, held live while the channel runs)
 * shipped to the audit server as it grows by a {@link LiveUpload}; after the channel ends, the upload finishes in
 * the background and the spool entry is removed once the server holds the whole session. Without a server (a
 * standalone gateway) records are kept in {@code DATA/sessions/}.
 *
 * <p>Records left in the spool by a gateway that died are uploaded by the spool drainer at the next start (see
 * {@code Gateway}).
 *
 * <p>Thread-safe.
 */
public final class Recordings implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Recordings.class.getName());
    /** How long {@link #close} waits for uploads still going before it leaves them to the next start's drainer. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final Spool spool;
    private final Path localDir;
    private final IngestClient server;
    private final SecretMasker masker;
    private final String version;
    private final String gatewayHost;
    private final Clock clock;
    private final AtomicInteger open = new AtomicInteger();
    private final ExecutorService finishers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ttyaudit-gw-upload-finish");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param server null for a standalone gateway (records stay in {@code localDir})
     */
    public Recordings(Spool spool, Path localDir, IngestClient server, SecretMasker masker, String version,
                      String gatewayHost, Clock clock) {
        this.spool = spool;
        this.localDir = localDir;
        this.server = server;
        this.masker = masker;
        this.version = version;
        this.gatewayHost = gatewayHost;
        this.clock = clock;
    }

    /** Sessions being recorded now. */
    public int open() {
        return open.get();
    }

    /** Starts the record of a channel; its header is written (and fsync'd) before this returns. */
    public ChannelRecording start(ChannelFacts facts) throws IOException {
        SessionId id = SessionId.newId(clock);
        long startNanos = System.nanoTime();
        SessionHeader header = new SessionHeader(id, "gateway", facts.user(), -1, facts.route().target(), null,
                facts.clientAddress(), facts.term(), facts.cols(), facts.rows(), clock.instant(), command(facts),
                facts.capture().mode().configName(), version, tags(facts));
        Spool.Held live = null;
        Spool.Entry entry = null;
        Path file;
        LiveUpload upload = null;
        if (server != null) {
            live = spool.holdLive(id.toString());
            entry = spool.entry(id.toString());
            file = entry.path();
            upload = new LiveUpload(file, server);
        } else {
            Files.createDirectories(localDir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            file = localDir.resolve(id + Spool.ENTRY_SUFFIX);
        }
        ChunkSink sink;
        try {
            sink = MaskingChunkSink.interactive(RecordFileSink.create(file, header,
                    upload == null ? DurableProgress.NONE : upload), masker);
        } catch (IOException e) {
            if (live != null) {
                live.close();
            }
            throw e;
        }
        SessionLog log = SessionLog.withDefaults(sink, startNanos);
        LiveUpload shipping = upload;
        Spool.Held held = live;
        Spool.Entry spooled = entry;
        open.incrementAndGet();
        ChannelRecording recording = new ChannelRecording(id, log, facts, masker, clock, () -> {
            open.decrementAndGet();
            if (shipping != null) {
                finishers.execute(() -> finishUpload(shipping, spooled, held));
            }
        });
        if (upload != null) {
            upload.start(recording::terminate, log::maxLatency);
        }
        return recording;
    }

    private void finishUpload(LiveUpload upload, Spool.Entry entry, Spool.Held live) {
        upload.closed();
        try {
            Optional<UploadOutcome> outcome = upload.await(Duration.ofDays(3650));
            if (outcome.isEmpty()) {
                return; // stopped (the gateway is shutting down): the drainer at the next start takes it
            }
            UploadOutcome o = outcome.get();
            if (o instanceof UploadOutcome.Uploaded) {
                spool.remove(entry);
            } else {
                if (o instanceof UploadOutcome.Refused f && !f.hostRefused()) {
                    spool.markFailed(entry, f.reason());
                }
                LOG.warning("session " + entry.name() + " was not uploaded: " + o.describe() + "; it stays in "
                        + entry.path());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot update the spool " + spool.dir() + ": " + e.getMessage());
        } finally {
            live.close();
        }
    }

    /** Waits a little for uploads still going; what is not done stays in the spool for the next start. */
    @Override
    public void close() {
        finishers.shutdown();
        try {
            finishers.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finishers.shutdownNow();
    }

    /** exec: the masked command line; shell: none; others: the channel kind and what it names (a forward's destination). */
    private java.util.List<String> command(ChannelFacts facts) {
        if ("exec".equals(facts.kind())) {
            return java.util.List.of(masker.mask(facts.commandLine()));
        }
        if ("shell".equals(facts.kind())) {
            return java.util.List.of();
        }
        return facts.commandLine() == null ? java.util.List.of(facts.kind())
                : java.util.List.of(facts.kind(), facts.commandLine());
    }

    private Map<String, String> tags(ChannelFacts facts) {
        Map<String, String> tags = new HashMap<>();
        tags.put("gateway", gatewayHost);
        tags.put("target_user", facts.route().remoteUser());
        tags.put("target_address", facts.route().address() + ":" + facts.route().port());
        tags.put("channel", facts.kind());
        if (!facts.groups().isEmpty()) {
            tags.put("groups", String.join(",", facts.groups()));
        }
        return tags;
    }
}
