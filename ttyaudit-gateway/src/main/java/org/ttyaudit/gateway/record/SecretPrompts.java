package org.ttyaudit.gateway.record;

import java.util.regex.Pattern;

/**
 * Tells which typed input is a secret, for sessions whose terminal the gateway cannot see: the recorder asks the
 * pseudo-terminal whether echo is off, but the gateway's pseudo-terminal is on the target. So the gateway reads
 * the screen instead: when the line the cursor is on ends in a password prompt ({@code Password:},
 * {@code [sudo] password for alice:}, {@code Enter passphrase for key …:}, {@code Verification code:} …),
 * what is typed up to and including the next Enter is a secret — provided the user typed nothing on that line
 * before (then the text is the echo of their own typing, such as {@code echo password:}). The same applies when the client asked for no
 * echo in its pty request (then nothing typed is shown, so nothing typed is kept).
 *
 * <p>Known limit: a prompt without one of these words (a program that asks {@code PIN?} in its own words) is not
 * recognised; the masking patterns still apply to what is kept.
 *
 * <p>Not thread-safe: the caller serialises output and input (the recording's lock).
 */
final class SecretPrompts {
    /** The end of a line that asks for a secret: the word, at most a few words more, then ':' or '?' and spaces. */
    static final Pattern PROMPT = Pattern.compile(
            "(?i)(password|passphrase|passcode|passwort|mot de passe|contrase[nñ]a|pin|otp|token|secret"
                    + "|verification code|one-time code|2fa code)[^\\n:?]{0,80}[:?]\\s*$");
    private static final int KEEP = 160;

    private static final int NONE = 0;
    private static final int ESC = 1;
    private static final int CSI = 2;

    private final StringBuilder line = new StringBuilder(KEEP * 2);
    private final boolean echoOff;
    private boolean inSecret;
    /** Keys other than Enter were typed since the last Enter: the line's text is the user's own echo, no prompt. */
    private boolean typedSinceEnter;
    private int escape = NONE;

    /** @param echoOff whether the client's pty request turned echo off (then every line typed is a secret) */
    SecretPrompts(boolean echoOff) {
        this.echoOff = echoOff;
    }

    /**
     * What the target showed: keeps the printable tail of the current line. Only the bytes after the last line end
     * matter, and of those only the last few: bulk output costs one backward scan.
     */
    void output(byte[] b, int off, int len) {
        int start = off;
        for (int i = off + len - 1; i >= off; i--) {
            if (b[i] == '\n' || b[i] == '\r') {
                line.setLength(0);
                start = i + 1;
                break;
            }
        }
        start = Math.max(start, off + len - KEEP);
        for (int i = start; i < off + len; i++) {
            int c = b[i] & 0xff;
            if (c == 0x1b) {
                escape = ESC;
            } else if (escape == ESC) {
                escape = c == '[' ? CSI : NONE; // ESC [ starts a control sequence; other escapes are two bytes
            } else if (escape == CSI) {
                if (c >= 0x40 && c <= 0x7e) {
                    escape = NONE; // the final byte of a colour or cursor sequence
                }
            } else if (c >= 0x20 && c != 0x7f) {
                line.append((char) c);
            }
        }
        if (line.length() > KEEP * 2) {
            line.delete(0, line.length() - KEEP);
        }
    }

    /**
     * How many of these typed bytes, from the start, are a secret: up to and including the Enter that ends a line
     * typed at a password prompt; 0 when none.
     */
    int secretPrefix(byte[] b, int off, int len) {
        if (!inSecret && (echoOff || !typedSinceEnter && PROMPT.matcher(line).find())) {
            inSecret = true;
        }
        if (!inSecret) {
            byte last = b[off + len - 1];
            typedSinceEnter = last != '\r' && last != '\n';
            return 0;
        }
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\r' || b[i] == '\n') {
                inSecret = false;
                line.setLength(0);
                return i - off + 1;
            }
        }
        return len;
    }
}
