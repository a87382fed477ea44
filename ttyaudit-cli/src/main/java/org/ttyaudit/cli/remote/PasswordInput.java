package org.ttyaudit.cli.remote;

import org.ttyaudit.cli.UserError;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where {@code ttyaudit login} gets passwords: the terminal, without echo ({@link Console#readPassword}), or,
 * with {@code --password-stdin}, one per line of standard input (for scripts: the current password, then, if the
 * server asks for a new one, the new password twice).
 *
 * <p>Passwords are {@code char[]} so the caller can wipe them after use. Not thread-safe.
 */
final class PasswordInput {
    private final Console console;
    private final Reader stdin;

    private PasswordInput(Console console, Reader stdin) {
        this.console = console;
        this.stdin = stdin;
    }

    static PasswordInput fromStdin(InputStream in) {
        return new PasswordInput(null, new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The terminal; a usage error when there is none (no terminal to ask on without echoing). */
    static PasswordInput fromConsole(Console console) {
        if (console == null) {
            throw UserError.usage("no terminal to ask for the password on: run ttyaudit login in a terminal, or "
                    + "pass the password on standard input with --password-stdin");
        }
        return new PasswordInput(console, null);
    }

    /**
     * @param prompt shown on the terminal
     * @param what   what the line is, for the error when standard input ends early
     */
    char[] read(String prompt, String what) {
        char[] p;
        if (console != null) {
            p = console.readPassword("%s", prompt);
            if (p == null) {
                throw UserError.failure("no password given (end of input)");
            }
        } else {
            p = line(what);
        }
        if (p.length == 0) {
            throw UserError.usage("the " + what + " is empty");
        }
        return p;
    }

    /** A new password, asked twice; the two must match. */
    char[] readNew(String account) {
        char[] first = read("New password for " + account + " (at least 12 characters): ",
                "new password (the server asks for one: give it twice, on the lines after the current one)");
        char[] second = read("Repeat the new password: ", "repeated new password (the second line of the new one)");
        try {
            if (!Arrays.equals(first, second)) {
                Arrays.fill(first, '\0');
                throw UserError.failure("the two new passwords differ; nothing was changed");
            }
            return first;
        } finally {
            Arrays.fill(second, '\0');
        }
    }

    private char[] line(String what) {
        char[] buf = new char[64];
        int n = 0;
        try {
            int c;
            while ((c = stdin.read()) >= 0 && c != '\n') {
                if (n == buf.length) {
                    char[] bigger = Arrays.copyOf(buf, n * 2);
                    Arrays.fill(buf, '\0');
                    buf = bigger;
                }
                buf[n++] = (char) c;
            }
            if (c < 0 && n == 0) {
                throw UserError.usage("standard input ended before the " + what);
            }
        } catch (IOException e) {
            throw UserError.failure("cannot read the " + what + " from standard input: " + e.getMessage());
        }
        if (n > 0 && buf[n - 1] == '\r') {
            n--;
        }
        char[] p = Arrays.copyOf(buf, n);
        Arrays.fill(buf, '\0');
        return p;
    }
}
