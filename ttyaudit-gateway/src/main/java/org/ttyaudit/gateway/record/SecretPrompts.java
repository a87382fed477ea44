package org.ttyaudit.gateway.record;

import java.util.regex.Pattern;

/**
 * Tells which typed input is a secret, for sessions whose terminal the gateway cannot see: the recorder asks the
 * pseudo-terminal whether echo is off, but the gateway's pseudo-terminal is on the target. So the gateway reads
 * the screen instead: when the line the cursor is on ends in a password prompt ({@code Password:},
 * {@code [sudo] password for alice:}, {@code Enter passphrase for key …:}, {@code Verification code:} …),
 * what is typed up to and including the next Enter is a secret. The same applies when the client asked for no
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

    private final StringBuilder line = new StringBuilder(KEEP * 2);
    private final boolean echoOff;
    private boolean inSecret;

    /** @param echoOff whether the client's pty request turned echo off (then every line typed is a secret) */
    SecretPrompts(boolean echoOff) {
        this.echoOff = echoOff;
    }

    /** What the target showed: keeps the printable tail of the current line. */
    void output(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xff;
            if (c == '\n' || c == '\r') {
                line.setLength(0);
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
        if (!inSecret && (echoOff || PROMPT.matcher(line).find())) {
            inSecret = true;
        }
        if (!inSecret) {
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
