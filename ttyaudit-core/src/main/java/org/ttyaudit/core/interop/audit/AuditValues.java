package org.ttyaudit.core.interop.audit;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * How the kernel and auditd write untrusted strings: in double quotes when they hold only printable characters
 * other than {@code "} and space, else as upper-case hex of the bytes without quotes
 * ({@code audit_log_untrustedstring}).
 * {@code (null)} and {@code (none)} stand for no value.
 */
public final class AuditValues {
    private AuditValues() {
    }

    /** The string {@code raw} stands for, or null for an absent or unset value. Not-hex unquoted text is kept as is. */
    public static String text(String raw) {
        if (raw == null || raw.equals("(null)") || raw.equals("(none)") || raw.equals("?")) {
            return null;
        }
        if (raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")) {
            return raw.substring(1, raw.length() - 1);
        }
        if (isHex(raw)) {
            return new String(HexFormat.of().parseHex(raw), StandardCharsets.UTF_8);
        }
        return raw;
    }

    /** How auditd writes {@code value}: quoted when it is safe to, else hex (the inverse of {@link #text}). */
    public static String encode(String value) {
        boolean plain = !value.isEmpty() && value.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"');
        return plain ? "\"" + value + "\""
                : HexFormat.of().withUpperCase().formatHex(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code s} is a non-empty, even-length run of hex digits (a hex-encoded string). */
    static boolean isHex(String s) {
        if (s.isEmpty() || s.length() % 2 != 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
