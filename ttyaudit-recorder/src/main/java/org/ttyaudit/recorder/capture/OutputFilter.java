package org.ttyaudit.recorder.capture;

import org.ttyaudit.core.policy.BulkRule;
import org.ttyaudit.core.policy.CapturePolicy;
import org.ttyaudit.core.policy.OutputRate;

import java.io.IOException;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Decides, per piece of output, what of it the record keeps under a {@link CapturePolicy}; the user's terminal
 * always gets everything (the filter never delays it, it only stores less). In order:
 * <ol>
 *   <li>{@code commands} mode stores no output at all;</li>
 *   <li>the {@linkplain BulkRule bulk rule}: while a bulk program leads the terminal's foreground process group,
 *       only the head of its output (then samples, or nothing) is stored;</li>
 *   <li>the {@linkplain OutputRate rate limit}: a {@link TokenBucket} over the bytes still to be stored.</li>
 * </ol>
 * Whatever is not stored is accounted for in {@value #MARKER} markers (docs/FORMAT.md, "Markers"): one when a
 * bulk program's turn ends or when storing resumes after the rate limit, one at least every
 * {@value #MARKER_INTERVAL_SECONDS} s while dropping goes on, and one for each open span at {@link #finish()}.
 * Each marker's counts are the span's totals so far, so its last marker ({@code ongoing=false}) says exactly how
 * many bytes the span saw, kept and dropped; bytes the bulk rule passes and the rate limit then drops are counted
 * by the rate limit's marker only, so the {@code dropped} of all last markers add up to the output not stored.
 *
 * <p>Called on the output thread only; not thread-safe.
 */
public final class OutputFilter {
    public static final String MARKER = "output-dropped";
    static final long MARKER_INTERVAL_SECONDS = 5;
    private static final long MARKER_INTERVAL_NANOS = MARKER_INTERVAL_SECONDS * 1_000_000_000L;
    /** A rate-limit span ends at the first piece stored whole this long after the last byte dropped. */
    private static final long RATE_RECOVERY_NANOS = 1_000_000_000L;
    /** While no bulk program is in the foreground, its leader's name is read again at most this often. */
    private static final long NAME_RECHECK_NANOS = 50_000_000L;
    /**
     * How long a new group whose leader still has the previous leader's name (forked, not yet exec'd) has its
     * name read at every piece of output: a bulk program writes hundreds of KiB in the 50 ms of a slow recheck
     * on a loaded machine (seen in CI: 404 KiB stored of a 16 KiB head). A subshell keeps its name; this bounds it.
     */
    private static final long AWAITING_EXEC_NANOS = 1_000_000_000L;

    private final boolean storesOutput;
    private final BulkRule bulk;
    private final OutputRate rate;
    private final TokenBucket bucket;
    private final Foreground foreground;
    private final StoredOutput store;
    private final LongSupplier nanoClock;

    private int currentGroup = Integer.MIN_VALUE;
    private Span bulkSpan;
    private Span rateSpan;
    private long lastRateDropNanos;
    private long lastNameCheckNanos;
    private String currentName = "";
    /** Whether the current group's leader still had the previous leader's name when last read. */
    private boolean awaitingExec;
    private long groupSeenNanos;

    /** The bytes of one span of dropping: a bulk program's turn, or a time over the rate limit. */
    private static final class Span {
        final String what;
        long seen;
        long kept;
        long lastMarkerNanos;

        Span(String what, long now) {
            this.what = what;
            this.lastMarkerNanos = now;
        }

        long dropped() {
            return seen - kept;
        }
    }

    public OutputFilter(CapturePolicy policy, Foreground foreground, StoredOutput store, LongSupplier nanoClock) {
        this.storesOutput = policy.mode().storesOutput();
        this.bulk = policy.bulk() == null || policy.bulk().programs().isEmpty() ? null : policy.bulk();
        this.rate = policy.outputRate();
        this.bucket = rate == null ? null : new TokenBucket(rate.bytesPerSecond(), rate.burstBytes(), nanoClock);
        this.foreground = foreground;
        this.store = store;
        this.nanoClock = nanoClock;
    }

    /** Whether this filter stores every byte (no mode, bulk or rate restriction): the pump may skip it. */
    public boolean storesEverything() {
        return storesOutput && bulk == null && rate == null;
    }

    /** Stores what the policy keeps of {@code data} (a piece of output the user's terminal gets whole). */
    public void offer(byte[] data) throws IOException {
        if (!storesOutput || data.length == 0) {
            return;
        }
        long now = nanoClock.getAsLong();
        if (bulk != null) {
            int group = foreground.processGroup();
            // The name is read again a little later too: a new process group's leader is briefly still the shell
            // that forked it (before its exec), and output may be read in that instant.
            boolean eager = awaitingExec && now - groupSeenNanos < AWAITING_EXEC_NANOS;
            boolean recheck = bulkSpan == null && group > 0
                    && (eager || now - lastNameCheckNanos >= NAME_RECHECK_NANOS);
            if (group != currentGroup || recheck) {
                String name = group > 0 ? foreground.name(group) : "";
                if (group != currentGroup) {
                    endBulkSpan();
                    currentGroup = group;
                    groupSeenNanos = now;
                    awaitingExec = name.equals(currentName);
                } else if (!name.equals(currentName)) {
                    awaitingExec = false;   // it has exec'd: back to the slow recheck
                }
                currentName = name;
                lastNameCheckNanos = now;
                if (bulk.covers(name)) {
                    bulkSpan = new Span("reason=bulk program=" + name + " " + foreground.where(group) + " keep_head="
                            + bulk.keepHead() + " then=" + bulk.then().configName(), now);
                }
            }
            if (bulkSpan != null) {
                offerBulk(data, now);
                return;
            }
        }
        limit(data, 0, data.length, now);
    }

    /** Writes the last marker of every span still open (at the end of the session). */
    public void finish() throws IOException {
        endBulkSpan();
        if (rateSpan != null) {
            marker(rateSpan, false);
            rateSpan = null;
        }
    }

    private void offerBulk(byte[] data, long now) throws IOException {
        Span s = bulkSpan;
        long pos = s.seen;
        long end = pos + data.length;
        while (pos < end) {
            int off = (int) (pos - s.seen);
            long keepTo;
            if (pos < bulk.keepHead()) {
                keepTo = Math.min(end, bulk.keepHead());
            } else if (bulk.then() == BulkRule.Then.SAMPLE) {
                long q = (pos - bulk.keepHead()) % BulkRule.SAMPLE_PERIOD;
                if (q >= BulkRule.SAMPLE_BYTES) {
                    pos = Math.min(end, pos + BulkRule.SAMPLE_PERIOD - q);
                    continue;
                }
                keepTo = Math.min(end, pos + BulkRule.SAMPLE_BYTES - q);
            } else {
                break;
            }
            int n = (int) (keepTo - pos);
            s.kept += n;   // passed the bulk rule; what the rate limit drops of it, its own marker counts
            limit(data, off, n, now);
            pos = keepTo;
        }
        s.seen = end;
        if (s.dropped() > 0 && now - s.lastMarkerNanos >= MARKER_INTERVAL_NANOS) {
            marker(s, true);
        }
    }

    /** Stores what the rate limit allows of {@code data[off, off+n)}; returns how many bytes were stored. */
    private long limit(byte[] data, int off, int n, long now) throws IOException {
        if (n == 0) {
            return 0;
        }
        long granted = bucket == null ? n : bucket.take(n);
        if (granted > 0) {
            store.output(off == 0 && granted == data.length ? data : Arrays.copyOfRange(data, off, off + (int) granted));
        }
        if (granted < n) {
            if (rateSpan == null) {
                rateSpan = new Span("reason=rate-limit rate=" + rate.bytesPerSecond() + " burst="
                        + rate.burstBytes(), now);
            }
            lastRateDropNanos = now;
        }
        if (rateSpan != null) {
            rateSpan.seen += n;
            rateSpan.kept += granted;
            if (granted == n && now - lastRateDropNanos >= RATE_RECOVERY_NANOS) {
                marker(rateSpan, false);
                rateSpan = null;
            } else if (now - rateSpan.lastMarkerNanos >= MARKER_INTERVAL_NANOS) {
                marker(rateSpan, true);
            }
        }
        return granted;
    }

    private void endBulkSpan() throws IOException {
        if (bulkSpan != null && bulkSpan.dropped() > 0) {
            marker(bulkSpan, false);
        }
        bulkSpan = null;
    }

    private void marker(Span s, boolean ongoing) throws IOException {
        s.lastMarkerNanos = nanoClock.getAsLong();
        store.marker(MARKER, s.what + " seen=" + s.seen + " kept=" + s.kept + " dropped=" + s.dropped()
                + " ongoing=" + ongoing);
    }
}
