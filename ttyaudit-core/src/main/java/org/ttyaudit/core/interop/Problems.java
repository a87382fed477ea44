package org.ttyaudit.core.interop;

/** Helpers that keep quoted input in error messages short and on one line. */
final class Problems {
    private Problems() {
    }

    static String shorten(String s) {
        String one = oneLine(s);
        return one.length() <= 60 ? one : one.substring(0, 57) + "...";
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7F ? ' ' : c);
        }
        return sb.toString().trim();
    }

    static String printable(char c) {
        return c < 0x20 || c == 0x7F ? String.format("\\x%02x", (int) c) : String.valueOf(c);
    }
}
