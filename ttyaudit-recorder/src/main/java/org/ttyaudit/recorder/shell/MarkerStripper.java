package org.ttyaudit.recorder.shell;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Removes the recorder's shell-integration markers from the output stream and reports them to a
 * {@link MarkerListener}. Everything else (colours, window titles, OSC 133 sequences of other tools, invalid UTF-8)
 * passes through byte for byte.
 *
 * <p>A marker is {@code ESC ] 133 ; K ; ttyaudit=NONCE [; key=value]* (BEL | ESC \)} with K one of A, B, C, D
 * (see docs/SHELL-INTEGRATION.md). Any sequence that starts with that prefix is removed from the output, whatever
 * its nonce: a wrong nonce is a forgery, reported through {@link MarkerListener#forgedMarker} but still removed
 * so that a user cannot paint fake markers into other tools that read the recording. A sequence that claims to
 * be ours but is cancelled (CAN, SUB, or ESC not followed by {@code \}), never terminated, or longer than
 * {@link #MAX_SEQUENCE_BYTES} is passed through as it was (a terminal would have shown whatever followed it) and
 * also reported.
 *
 * <p>Streaming: a marker may be split across any number of {@link #filter} calls; the stripper holds back the
 * bytes of a sequence that might be a marker until it knows, never more than {@link #MAX_SEQUENCE_BYTES}. Bulk
 * output without ESC is copied with {@link System#arraycopy} after a word-at-a-time scan; nothing is allocated
 * per call except when a marker completes.
 *
 * <p>Not thread-safe: one instance per output stream, used by one thread at a time.
 */
public final class MarkerStripper {
    /** The most bytes of one sequence (prefix, payload and terminator) held back before giving up on it. */
    public static final int MAX_SEQUENCE_BYTES = 64 * 1024;

    private static final byte ESC = 0x1b;
    private static final byte BEL = 0x07;
    private static final byte CAN = 0x18;
    private static final byte SUB = 0x1a;
    /** {@code ESC ] 133 ; K ; ttyaudit=}; position {@link #KIND_AT} is a placeholder for the marker kind. */
    private static final byte[] PREFIX = "\u001b]133;?;ttyaudit=".getBytes(StandardCharsets.US_ASCII);
    private static final int KIND_AT = 6;

    private static final int IDLE = 0;
    private static final int PREFIX_MATCH = 1;
    private static final int BODY = 2;
    private static final int BODY_ESC = 3;

    private final byte[] nonce;
    private final MarkerListener listener;
    private byte[] hold = new byte[256];
    private int held;
    private int state = IDLE;

    /**
     * @param nonce    the session's nonce as it appears after {@code ttyaudit=} (ASCII), non-empty
     * @param listener receives the markers, called on the filtering thread
     */
    public MarkerStripper(byte[] nonce, MarkerListener listener) {
        Objects.requireNonNull(nonce, "nonce");
        if (nonce.length == 0) {
            throw new IllegalArgumentException("nonce must not be empty");
        }
        for (byte b : nonce) {
            if (b == ';' || b < 0x21 || b == 0x7f) {
                throw new IllegalArgumentException("nonce must be printable ASCII without ';'");
            }
        }
        this.nonce = nonce.clone();
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** How many bytes are held back right now; {@code filter(.., len, ..)} may write up to {@code len + heldBytes()}. */
    public int heldBytes() {
        return held;
    }

    /**
     * Filters {@code in[off, off+len)} and writes the user-visible bytes to {@code out} from {@code outOff}.
     *
     * @return the number of bytes written to {@code out}
     * @throws IllegalArgumentException when {@code out} has less than {@code len + heldBytes()} bytes of room
     */
    public int filter(byte[] in, int off, int len, byte[] out, int outOff) {
        return filter(in, off, len, out, outOff, null);
    }

    /**
     * Receives the visible bytes that come before a marker, before the marker is reported, so that whoever logs both
     * keeps their order (a command's last output before the marker that ends it). Called on the filtering thread.
     */
    @FunctionalInterface
    public interface VisibleBeforeMarker {
        /** {@code buf[off, off+len)} are visible bytes that precede the marker about to be reported. */
        void visible(byte[] buf, int off, int len);
    }

    /**
     * Like {@link #filter(byte[], int, int, byte[], int)}, but before each complete marker is reported, the visible
     * bytes written so far in this call are handed to {@code beforeMarker} and {@code out} is written from
     * {@code outOff} again: the return value counts only the bytes after the last marker.
     *
     * @param beforeMarker null: everything visible is returned, and markers are reported as they are found
     */
    public int filter(byte[] in, int off, int len, byte[] out, int outOff, VisibleBeforeMarker beforeMarker) {
        Objects.checkFromIndexSize(off, len, in.length);
        if (outOff < 0 || out.length - outOff < len + held) {
            throw new IllegalArgumentException("output buffer has room for " + (out.length - outOff)
                    + " bytes but needs " + (len + held));
        }
        int o = outOff;
        int i = off;
        int end = off + len;
        while (i < end) {
            if (state == IDLE) {
                int esc = indexOfEsc(in, i, end);
                int n = esc - i;
                if (n > 0) {
                    System.arraycopy(in, i, out, o, n);
                    o += n;
                }
                if (esc == end) {
                    break;
                }
                i = esc;
                state = PREFIX_MATCH;
            }
            byte b = in[i];
            switch (state) {
                case PREFIX_MATCH -> {
                    boolean match = held == KIND_AT ? (b >= 'A' && b <= 'D') : b == PREFIX[held];
                    if (match) {
                        hold[held++] = b;
                        i++;
                        if (held == PREFIX.length) {
                            state = BODY;
                        }
                    } else {
                        // Not ours: give back what we held and look at this byte afresh (it may start a sequence).
                        o = release(out, o, held);
                    }
                }
                case BODY -> {
                    if (b == BEL) {
                        i++;
                        o = handOver(out, outOff, o, beforeMarker);
                        complete(held);
                    } else if (b == CAN || b == SUB) {
                        listener.forgedMarker("marker " + kind() + " cancelled by a control character");
                        o = release(out, o, held);
                    } else if (held == MAX_SEQUENCE_BYTES) {
                        listener.forgedMarker("marker " + kind() + " longer than " + MAX_SEQUENCE_BYTES + " bytes");
                        o = release(out, o, held);
                    } else {
                        if (b == ESC) {
                            state = BODY_ESC;
                        }
                        append(b);
                        i++;
                    }
                }
                case BODY_ESC -> {
                    if (b == '\\') {
                        i++;
                        o = handOver(out, outOff, o, beforeMarker);
                        complete(held - 1);
                    } else {
                        // ESC not followed by '\' aborts the OSC for a terminal and starts a new sequence.
                        listener.forgedMarker("marker " + kind() + " interrupted by another escape sequence");
                        o = release(out, o, held - 1);
                        hold[0] = ESC;
                        held = 1;
                        state = PREFIX_MATCH;
                    }
                }
                default -> throw new IllegalStateException("state " + state);
            }
        }
        return o - outOff;
    }

    /**
     * Ends the stream: writes any held-back bytes (an incomplete sequence) to {@code out} unchanged.
     *
     * @return the number of bytes written; {@code out} needs room for {@link #heldBytes()}
     */
    public int flush(byte[] out, int outOff) {
        if (outOff < 0 || out.length - outOff < held) {
            throw new IllegalArgumentException("output buffer has room for " + (out.length - outOff)
                    + " bytes but needs " + held);
        }
        if (state == BODY || state == BODY_ESC) {
            listener.forgedMarker("marker " + kind() + " not terminated at the end of the output");
        }
        return release(out, outOff, held) - outOff;
    }

    /** Hands {@code out[outOff, o)} to {@code beforeMarker}; returns where to write next. */
    private static int handOver(byte[] out, int outOff, int o, VisibleBeforeMarker beforeMarker) {
        if (beforeMarker == null) {
            return o;
        }
        if (o > outOff) {
            beforeMarker.visible(out, outOff, o - outOff);
        }
        return outOff;
    }

    /** Copies {@code hold[0, n)} to out, forgets everything held and returns the new output position. */
    private int release(byte[] out, int o, int n) {
        System.arraycopy(hold, 0, out, o, n);
        held = 0;
        state = IDLE;
        return o + n;
    }

    private void append(byte b) {
        if (held == hold.length) {
            byte[] bigger = new byte[Math.min(hold.length * 2, MAX_SEQUENCE_BYTES)];
            System.arraycopy(hold, 0, bigger, 0, held);
            hold = bigger;
        }
        hold[held++] = b;
    }

    private char kind() {
        return (char) hold[KIND_AT];
    }

    /** A whole marker is in {@code hold[0, bodyEnd)} (terminator excluded): check the nonce, report, forget it. */
    private void complete(int bodyEnd) {
        char kind = kind();
        held = 0;
        state = IDLE;
        int p = PREFIX.length;
        int nonceEnd = indexOf(hold, (byte) ';', p, bodyEnd);
        if (!nonceMatches(p, nonceEnd)) {
            listener.forgedMarker("marker " + kind + " with a wrong nonce");
            return;
        }
        switch (kind) {
            case 'A' -> listener.promptStart();
            case 'B' -> listener.commandLineStart();
            case 'C' -> commandStart(nonceEnd, bodyEnd);
            case 'D' -> commandFinished(nonceEnd, bodyEnd);
            default -> throw new IllegalStateException("kind " + kind);
        }
    }

    private void commandStart(int from, int bodyEnd) {
        String cmd = null;
        String cwd = null;
        for (int p = from; p < bodyEnd; ) {
            int start = p + 1;
            int stop = indexOf(hold, (byte) ';', start, bodyEnd);
            try {
                if (startsWith(start, stop, "cmd=")) {
                    cmd = MarkerEscaping.decode(hold, start + 4, stop);
                } else if (startsWith(start, stop, "cwd=")) {
                    cwd = MarkerEscaping.decode(hold, start + 4, stop);
                }
            } catch (IllegalArgumentException e) {
                listener.forgedMarker("marker C with a malformed value: " + e.getMessage());
            }
            p = stop;
        }
        listener.commandStart(cmd, cwd);
    }

    private void commandFinished(int from, int bodyEnd) {
        for (int p = from; p < bodyEnd; ) {
            int start = p + 1;
            int stop = indexOf(hold, (byte) ';', start, bodyEnd);
            if (startsWith(start, stop, "exit=")) {
                Integer code = parseExit(start + 5, stop);
                if (code != null) {
                    listener.commandFinished(code);
                    return;
                }
                break;
            }
            p = stop;
        }
        listener.forgedMarker("marker D without a valid exit=N");
    }

    private Integer parseExit(int from, int to) {
        if (to - from < 1 || to - from > 9) {
            return null;
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = hold[i] - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private boolean startsWith(int from, int to, String key) {
        if (to - from < key.length()) {
            return false;
        }
        for (int k = 0; k < key.length(); k++) {
            if (hold[from + k] != key.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Compares in time independent of where the first difference is (the nonce is a secret of sorts). */
    private boolean nonceMatches(int from, int to) {
        int diff = (to - from) ^ nonce.length;
        for (int k = 0; k < nonce.length; k++) {
            diff |= nonce[k] ^ (from + k < to ? hold[from + k] : 0);
        }
        return diff == 0;
    }

    private static int indexOf(byte[] a, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return to;
    }

    private static int indexOfEsc(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] == ESC) {
                return i;
            }
        }
        return to;
    }
}
