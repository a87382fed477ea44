package org.ttyaudit.core.format;

import java.nio.charset.StandardCharsets;

/** UTF-8 encoding for strings in records. */
final class Utf8 {
    private Utf8() {
    }

    /**
     * The UTF-8 bytes of {@code s}. A Java string can hold an unpaired surrogate, which UTF-8 cannot express; it is
     * written as U+FFFD (not '?' as the JDK would) so a reader sees that something unrepresentable was there.
     */
    static byte[] encode(String s) {
        return wellFormed(s).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code s} with every unpaired surrogate replaced by U+FFFD (so it has a UTF-8 form). */
    static String wellFormed(String s) {
        if (hasLoneSurrogate(s)) {
            StringBuilder b = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    b.append(c).append(s.charAt(++i));
                } else if (Character.isSurrogate(c)) {
                    b.append('\uFFFD');
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }
        return s;
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
