package org.ttyaudit.core.asciicast;

/**
 * Quoting outside input in one-line error messages: control characters become spaces, long text is cut. The
 * asciicast reader and the other importers' decoders ({@code org.ttyaudit.core.interop}) share it.
 */
public final class ErrorText {
    private ErrorText() {
    }

    /** {@link #oneLine} cut to at most 60 characters. */
    public static String shorten(String s) {
        String one = oneLine(s);
        return one.length() <= 60 ? one : one.substring(0, 57) + "...";
    }

    /** {@code s} with every control character as a space, trimmed; "" for null. */
    public static String oneLine(String s) {
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
}
