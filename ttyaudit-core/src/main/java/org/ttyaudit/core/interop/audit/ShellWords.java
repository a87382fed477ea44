package org.ttyaudit.core.interop.audit;

import java.util.List;
import java.util.regex.Pattern;

/** Joins argv into one command line with POSIX shell quoting, so that a shell would split it back the same. */
final class ShellWords {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellWords() {
    }

    static String join(List<String> argv) {
        StringBuilder b = new StringBuilder();
        for (String arg : argv) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(SAFE.matcher(arg).matches() ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return b.toString();
    }
}
