package org.ttyaudit.core.redact;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Matcher;

/**
 * Masks secrets in a byte stream that arrives in pieces (the data of successive input or output events), so a
 * secret split across two pieces is still masked. Masked bytes become {@code '*'} (CR and LF excepted), so byte
 * counts never change.
 *
 * <p><b>How it works.</b> Written bytes are held in a pending buffer and matched (as ISO-8859-1, one character per
 * byte) by every rule of the {@link SecretMasker}. A byte is released to the {@link Sink} as soon as no rule can
 * still match across it: for every start position up to that byte, the rule's match attempt has finished without
 * looking at the end of the pending data, so more data cannot change its outcome (this is
 * {@link Matcher#hitEnd()}, evaluated per start position). Text such as {@code "ls -la\r"} is therefore released
 * at once, while {@code "export GITHUB_TO"} waits for the next piece.
 *
 * <p><b>Guarantees.</b>
 * <ul>
 *   <li>Released bytes, concatenated, have exactly the length of the written bytes, in order.</li>
 *   <li>As long as no forced release happens (see below) and {@link #flush()} is called only at the end, the
 *       concatenated output is exactly what {@link SecretMasker#maskInPlace} gives for the whole stream at once,
 *       however the stream was split into pieces. In particular a secret split across pieces is masked, and
 *       bytes that are not part of a secret are unchanged.</li>
 *   <li>Piece boundaries are kept: each released piece is a part of exactly one written piece and carries its
 *       tag. A written piece is split into several released pieces only when a release point falls inside it.</li>
 *   <li>Bounded delay: at most {@code windowBytes} bytes are pending after any {@code write}; {@link #flush()}
 *       releases everything.</li>
 * </ul>
 * <b>Not guaranteed.</b> When a possible match is still open while more than {@code windowBytes} bytes are
 * pending (for example {@code -----BEGIN PRIVATE KEY-----} followed by more than a window of data without the
 * END line), the oldest bytes are released anyway (a <em>forced release</em>, counted by
 * {@link #forcedReleases()}) and a secret that straddles that point may escape. {@code flush()} treats the current
 * end as the end of the stream, so a secret split across a flush is not recognised as one. Look-behind sees at
 * most the last {@value #CONTEXT} released bytes (the default rules look back at most about 80). A rule whose
 * {@link MaskRule#maxReach()} understates its reach can miss a split secret.
 *
 * <p><b>Cost.</b> Each write runs every rule once over the bytes not yet decided, plus one anchored attempt per
 * position in the last {@code maxReach} bytes when no match was found; positions once decided are never
 * re-examined. Memory is bounded by the window plus the largest piece.
 *
 * <p>Not thread-safe: one instance per stream, used by one thread. An exception thrown by the sink propagates
 * and leaves the masker unusable.
 */
public final class StreamMasker {
    /** Default window: large enough to hold a PEM-encoded 8192-bit RSA private key. */
    public static final int DEFAULT_WINDOW = 16 * 1024;
    /** Released bytes kept so that look-behind at the start of pending data sees what came before. */
    static final int CONTEXT = 256;

    /** Receives released bytes. {@code data} is a fresh array owned by the receiver. */
    @FunctionalInterface
    public interface Sink {
        void accept(long tag, byte[] data);
    }

    private final int window;
    private final Sink sink;
    private final RuleState[] rules;
    private final Latin1Text text;
    private final ArrayDeque<Piece> pieces = new ArrayDeque<>();
    /** Secrets found whose matches are final, in buffer positions; only those not yet fully released. */
    private final List<Span> spans = new ArrayList<>();

    private byte[] buf;
    /** Bytes in {@code buf}: {@code [0, released)} is context already released, {@code [released, n)} pending. */
    private int n;
    private int released;
    private long forcedReleases;

    public StreamMasker(SecretMasker masker, Sink sink) {
        this(masker, DEFAULT_WINDOW, sink);
    }

    /**
     * @param windowBytes the most bytes kept pending after a write; at least 64. Secrets longer than this (and
     *                    rules reaching further) cannot be guaranteed to be masked when split.
     */
    public StreamMasker(SecretMasker masker, int windowBytes, Sink sink) {
        Objects.requireNonNull(masker, "masker");
        this.sink = Objects.requireNonNull(sink, "sink");
        if (windowBytes < 64) {
            throw new IllegalArgumentException("windowBytes must be at least 64: " + windowBytes);
        }
        this.window = windowBytes;
        this.buf = new byte[Math.min(windowBytes, 4096) + CONTEXT];
        this.text = new Latin1Text(buf, 0, 0);
        List<MaskRule> list = masker.rules();
        this.rules = new RuleState[list.size()];
        for (int i = 0; i < rules.length; i++) {
            rules[i] = new RuleState(list.get(i), masker.startBytes(i), text);
        }
    }

    /** Writes {@code data[off, off+len)} as one piece tagged {@code tag} (e.g. the event's time offset). */
    public void write(long tag, byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        if (len == 0) {
            return;
        }
        ensureCapacity(n + len);
        System.arraycopy(data, off, buf, n, len);
        n += len;
        text.reset(buf, 0, n);
        pieces.addLast(new Piece(tag, len));

        int releaseTo = n;
        for (RuleState rule : rules) {
            releaseTo = Math.min(releaseTo, advance(rule, false));
        }
        if (n - releaseTo > window) {
            // A possible match is open for longer than the window: release the oldest bytes unmasked.
            releaseTo = n - window;
            forcedReleases++;
            for (RuleState rule : rules) {
                rule.sp = Math.max(rule.sp, releaseTo);
            }
        }
        release(releaseTo);
    }

    public void write(long tag, byte[] data) {
        write(tag, data, 0, data.length);
    }

    /** Releases all pending bytes, treating the current end as the end of the stream. */
    public void flush() {
        text.reset(buf, 0, n);
        for (RuleState rule : rules) {
            advance(rule, true);
        }
        release(n);
    }

    /** Bytes written but not yet released. */
    public int pendingBytes() {
        return n - released;
    }

    /** The tag of the oldest pending byte, if any: lets a caller flush when pending data gets too old. */
    public OptionalLong oldestPendingTag() {
        return pieces.isEmpty() ? OptionalLong.empty() : OptionalLong.of(pieces.peekFirst().tag);
    }

    /** How many times bytes were released because the window was full while a match was still possible. */
    public long forcedReleases() {
        return forcedReleases;
    }

    /**
     * Decides start positions from the rule's {@code sp} on, recording final matches, until a position whose
     * attempt depends on bytes not yet written.
     *
     * @return the first undecided position (n when all are decided)
     */
    private int advance(RuleState rule, boolean atEnd) {
        Matcher m = rule.matcher;
        boolean[] startBytes = rule.startBytes;
        if (startBytes != null) {
            // Positions whose byte cannot begin a match are decided without the regex engine: most keystrokes
            // end here, which keeps masking off the keystroke's critical path.
            while (rule.sp < n && !startBytes[buf[rule.sp] & 0xFF]) {
                rule.sp++;
            }
        }
        while (rule.sp < n) {
            m.region(rule.sp, n);
            if (!m.find()) {
                // A failed find() always reports hitEnd, so ask each position that could still reach the end.
                if (atEnd) {
                    rule.sp = n;
                    return n;
                }
                return scan(rule, Math.max(rule.sp, n - rule.reach), n);
            }
            int start = m.start();
            int lo = Math.max(rule.sp, n - rule.reach);
            if (atEnd || !m.hitEnd() || start < lo) {
                // No attempt up to this match looked at the end: the match and the gap before it are final.
                record(rule, m);
                rule.sp = next(m);
                continue;
            }
            // Some attempt in [sp, start] looked at the end: find the first one, position by position.
            int blocked = scan(rule, lo, start + 1);
            if (blocked < n) {
                return blocked;
            }
        }
        return n;
    }

    /**
     * Tries each start position in {@code [from, limit)} on its own (find() semantics: after a match, continue at
     * its end). Positions before {@code from} are known to be decided.
     *
     * @return the first position whose attempt looked at the end of the data, or n when there is none
     */
    private int scan(RuleState rule, int from, int limit) {
        Matcher m = rule.matcher;
        boolean[] startBytes = rule.startBytes;
        int t = from;
        while (t < limit) {
            if (startBytes != null && !startBytes[buf[t] & 0xFF]) {
                // Cheap pre-check: no attempt can even begin with this byte.
                t++;
                continue;
            }
            m.region(t, n);
            boolean matched = m.lookingAt();
            if (m.hitEnd()) {
                rule.sp = t;
                return t;
            }
            if (matched) {
                record(rule, m);
                t = next(m);
            } else {
                t++;
            }
        }
        rule.sp = Math.max(rule.sp, t);
        return n;
    }

    private static int next(Matcher m) {
        return m.end() > m.start() ? m.end() : m.end() + 1;
    }

    private void record(RuleState rule, Matcher m) {
        SecretMasker.addSecret(spans, m, rule.secretGroup, 0);
    }

    /** Hands {@code [released, to)} to the sink piece by piece, masked, and drops what is no longer needed. */
    private void release(int to) {
        int pos = released;
        while (pos < to) {
            Piece piece = pieces.peekFirst();
            int take = Math.min(piece.remaining, to - pos);
            byte[] out = Arrays.copyOfRange(buf, pos, pos + take);
            for (Span span : spans) {
                int from = Math.max(span.start(), pos);
                int end = Math.min(span.end(), pos + take);
                if (from < end) {
                    SecretMasker.fill(out, from - pos, end - pos);
                }
            }
            piece.remaining -= take;
            if (piece.remaining == 0) {
                pieces.pollFirst();
            }
            pos += take;
            sink.accept(piece.tag, out);
        }
        released = Math.max(released, to);
        spans.removeIf(s -> s.end() <= to);

        // Keep a little released context for look-behind; shift everything else to the front.
        int shift = released - Math.min(released, CONTEXT);
        if (shift > 0) {
            System.arraycopy(buf, shift, buf, 0, n - shift);
            n -= shift;
            released -= shift;
            for (RuleState rule : rules) {
                rule.sp = Math.max(rule.sp - shift, released);
            }
            spans.replaceAll(s -> new Span(Math.max(s.start() - shift, 0), s.end() - shift, s.ruleIndex()));
        }
        text.reset(buf, 0, n);
    }

    private void ensureCapacity(int needed) {
        if (needed > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
        }
    }

    /** Per-rule progress: positions before {@code sp} are decided. */
    private static final class RuleState {
        final Matcher matcher;
        final boolean secretGroup;
        final int reach;
        final boolean[] startBytes;
        int sp;

        RuleState(MaskRule rule, boolean[] startBytes, Latin1Text text) {
            this.startBytes = startBytes;
            this.matcher = rule.pattern().matcher(text);
            // Look-behind must see the bytes before a region's start; '^' and '$' must not match at region edges.
            matcher.useTransparentBounds(true);
            matcher.useAnchoringBounds(false);
            this.secretGroup = rule.hasSecretGroup();
            this.reach = rule.maxReach();
        }
    }

    /** A written piece: its tag and how many of its bytes are still pending. */
    private static final class Piece {
        final long tag;
        int remaining;

        Piece(long tag, int remaining) {
            this.tag = tag;
            this.remaining = remaining;
        }
    }
}
