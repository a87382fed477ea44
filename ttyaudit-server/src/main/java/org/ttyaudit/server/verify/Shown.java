package org.ttyaudit.server.verify;

import java.util.HexFormat;

/** How values appear in problem lines: hashes shortened to 16 hex digits, texts quoted, shortened and escaped. */
final class Shown {
    private static final int HASH_DIGITS = 16;
    private static final int TEXT_CHARS = 60;

    private Shown() {
    }

    /** The first 16 hex digits and "…" (enough to tell hashes apart); "(none)" or the length when not a hash. */
    static String hash(byte[] hash) {
        if (hash == null) {
            return "(none)";
        }
        String hex = HexFormat.of().formatHex(hash);
        if (hash.length != 32) {
            return hex + " (" + hash.length + " bytes, not 32)";
        }
        return hex.substring(0, HASH_DIGITS) + "…";
    }

    /** A value of a record field: texts quoted and shortened, control characters escaped; others as they print. */
    static String value(Object v) {
        if (v instanceof String s) {
            return text(s);
        }
        if (v instanceof byte[] b) {
            return hash(b);
        }
        return String.valueOf(v);
    }

    /** {@code "text"}, at most 60 characters of it, control characters as {@code \n}, {@code \x1b}, …. */
    static String text(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        int shown = 0;
        for (int i = 0; i < s.length() && shown < TEXT_CHARS; i++, shown++) {
            char c = s.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (Character.isISOControl(c)) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
        if (s.length() > TEXT_CHARS) {
            out.append("… (").append(s.length()).append(" characters)");
        }
        return out.toString();
    }

    /** Where two texts first differ: "at character 12: "…" in the database, "…" in the chunk". */
    static String firstDifference(String stored, String derived, String storedWhere, String derivedWhere) {
        int n = Math.min(stored.length(), derived.length());
        int at = 0;
        while (at < n && stored.charAt(at) == derived.charAt(at)) {
            at++;
        }
        int from = Math.max(0, at - 10);
        return "from character " + at + ": " + text(stored.substring(from)) + " in " + storedWhere + ", "
                + text(derived.substring(from)) + " in " + derivedWhere;
    }
}
