package org.ttyaudit.recorder.upload;

import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.recorder.spool.Spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Uploads every session left in the spool, one after the other ({@code ttyaudit upload}): entries whose recorder
 * exited before the server had them, or that were recorded without a server in reach.
 *
 * <p>Per entry: a live one (its recorder holds its lock) is left to that recorder; one the server refused for
 * good earlier is reported, not retried; one that is not a valid record is moved to quarantine; the rest are
 * uploaded with a {@link SpoolUploader} and removed once the server holds them. Without {@code wait}, the first
 * entry the server cannot be reached for ends the attempts: the rest are reported with the same reason. With
 * {@code wait}, transient failures are retried with backoff until they pass.
 *
 * <p>The caller holds the spool's drain lock ({@link Spool#tryDrainLock()}), so one drainer runs at a time.
 * Runs on the calling thread; interrupting it stops the drain (nothing is lost).
 */
public final class SpoolDrainer {
    /** Attempts per entry without {@code wait}: a server that is down is reported within about 1.5 s. */
    static final int ATTEMPTS_WITHOUT_WAIT = 3;

    public enum Status { UPLOADED, REFUSED, REFUSED_EARLIER, UNREACHABLE, QUARANTINED, UNREADABLE }

    /** What happened to one entry; {@code detail} is one line for the user. */
    public record EntryReport(String entry, SessionId sessionId, Status status, String detail) {
        public String line() {
            return entry + ": " + detail;
        }
    }

    /** What happens while draining; called on the draining thread. No-op defaults. */
    public interface Listener {
        default void retrying(Spool.Entry entry, IngestException failure, Duration delay) {
        }

        default void finished(EntryReport report) {
        }
    }

    private final Spool spool;
    private final IngestClient client;
    private final Supplier<Backoff> backoffs;
    private final Sleeper sleeper;
    private final boolean wait;
    private final Listener listener;

    public SpoolDrainer(Spool spool, IngestClient client, Supplier<Backoff> backoffs, Sleeper sleeper, boolean wait,
                        Listener listener) {
        this.spool = spool;
        this.client = client;
        this.backoffs = backoffs;
        this.sleeper = sleeper;
        this.wait = wait;
        this.listener = listener;
    }

    /**
     * Drains the spool; one report per entry that is not live. The spool is listed again after each pass, so a
     * session whose recorder exited meanwhile (and found this drainer running) is not left behind.
     */
    public List<EntryReport> drain() throws IOException, InterruptedException {
        List<EntryReport> reports = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String giveUp = null; // why the remaining entries are not tried
        boolean more = true;
        while (more) {
            more = false;
            for (Spool.Entry entry : spool.entries()) {
                if (!seen.contains(entry.name())) {
                    String reason = drainOne(entry, giveUp, reports, seen);
                    more |= seen.contains(entry.name());
                    giveUp = reason;
                }
            }
        }
        return reports;
    }

    /** Handles one entry (marked seen unless it is live); returns why the rest should not be tried, if so. */
    private String drainOne(Spool.Entry entry, String giveUp, List<EntryReport> reports, Set<String> seen)
            throws IOException, InterruptedException {
        Optional<String> refused = spool.failure(entry);
        if (refused.isPresent()) {
            seen.add(entry.name());
            reports.add(report(entry, null, Status.REFUSED_EARLIER, "not retried: the server refused it "
                    + "earlier: " + refused.get() + " (delete " + spool.failureMarker(entry) + " to retry)"));
            return giveUp;
        }
        Optional<Spool.Held> held = spool.tryHoldLive(entry);
        if (held.isEmpty()) {
            return giveUp; // live: its own recorder uploads it
        }
        seen.add(entry.name());
        try (Spool.Held ignored = held.get()) {
            if (entry.isLink() && !Files.exists(entry.path())) {
                Path where = spool.quarantine(entry, "the record it links to, " + Files.readSymbolicLink(
                        entry.path()) + ", no longer exists");
                reports.add(report(entry, null, Status.QUARANTINED, "the record it links to no longer "
                        + "exists; moved to " + where));
                return giveUp;
            }
            if (giveUp != null) {
                reports.add(report(entry, null, Status.UNREACHABLE, "not uploaded: " + giveUp));
                return giveUp;
            }
            UploadOutcome outcome = upload(entry);
            reports.add(settle(entry, outcome));
            if (outcome instanceof UploadOutcome.Unreachable u && !wait) {
                return u.reason();
            }
            if (outcome instanceof UploadOutcome.Refused f && f.hostRefused()) {
                return f.reason();
            }
            return giveUp;
        }
    }

    private UploadOutcome upload(Spool.Entry entry) throws InterruptedException {
        SpoolUploader.Settings settings = wait ? SpoolUploader.Settings.persistent()
                : SpoolUploader.Settings.attempts(ATTEMPTS_WITHOUT_WAIT);
        SpoolUploader uploader = new SpoolUploader(entry.path(), RecordProgress.finished(Long.MAX_VALUE), client,
                backoffs.get(), sleeper, settings, new SpoolUploader.Listener() {
                    @Override
                    public void retrying(IngestException failure, Duration delay) {
                        listener.retrying(entry, failure, delay);
                    }
                });
        return uploader.run();
    }

    /** Acts on the outcome in the spool and says what happened. */
    private EntryReport settle(Spool.Entry entry, UploadOutcome outcome) throws IOException {
        SessionId id = outcome.sessionId();
        if (outcome instanceof UploadOutcome.Uploaded) {
            spool.remove(entry);
            return report(entry, id, Status.UPLOADED, outcome.describe());
        }
        if (outcome instanceof UploadOutcome.Refused f) {
            if (!f.hostRefused()) {
                spool.markFailed(entry, f.reason());
            }
            return report(entry, id, Status.REFUSED, outcome.describe() + "; the record stays in "
                    + entry.path());
        }
        if (outcome instanceof UploadOutcome.NotARecord) {
            Path where = spool.quarantine(entry, outcome.describe());
            return report(entry, id, Status.QUARANTINED, outcome.describe() + "; moved to " + where);
        }
        if (outcome instanceof UploadOutcome.Unreachable) {
            return report(entry, id, Status.UNREACHABLE, outcome.describe());
        }
        return report(entry, id, Status.UNREADABLE, outcome.describe());
    }

    private EntryReport report(Spool.Entry entry, SessionId id, Status status, String detail) {
        EntryReport r = new EntryReport(entry.name(), id, status, detail);
        listener.finished(r);
        return r;
    }
}
