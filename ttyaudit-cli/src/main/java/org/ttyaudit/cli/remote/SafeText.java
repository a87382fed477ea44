package org.ttyaudit.cli.remote;

/**
 * Text from a server (user names, host names, snippets of recorded output, error messages) made safe to print on
 * an auditor's terminal: control characters are shown as escapes, so recorded output cannot move the cursor,
 * retitle the window or hide lines on the screen of whoever reads it. Stateless.
 */
public final class SafeText {
    /** Starts and ends the highlight of a search match on a terminal: bold and reverse video. */
    static final String HIGHLIGHT_ON = "\u001b[1;7m";
    static final String HIGHLIGHT_OFF = "\u001b[0m";

    private SafeText() {
    }

    /**
     * {@code text} with C0 and C1 control characters and DEL shown as {@code \n}, {@code \t}, {@code \e} or
     * {@code \xNN}, and backslashes doubled so the escapes are unambiguous; null becomes "-".
     */
    public static String of(String text) {
        if (text == null) {
            return "-";
        }
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                case 0x1b -> "\\e";
                default -> c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? String.format("\\x%02x", (int) c)
                        : null;
            };
            if (replacement != null && b == null) {
                b = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (b != null) {
                if (replacement != null) {
                    b.append(replacement);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? text : b.toString();
    }

    /**
     * A search snippet (matches between {@code [[} and {@code ]]}) made safe; on a terminal the markers become
     * bold reverse video, elsewhere (a pipe, a file) they stay as they are, so scripts can still find them.
     */
    public static String snippet(String snippet, boolean terminal) {
        String safe = of(snippet);
        return terminal ? safe.replace("[[", HIGHLIGHT_ON).replace("]]", HIGHLIGHT_OFF) : safe;
    }
}
