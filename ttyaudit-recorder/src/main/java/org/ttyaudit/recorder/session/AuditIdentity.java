package org.ttyaudit.recorder.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Linux audit subsystem's view of this process: its audit session id ({@code /proc/self/sessionid}, the
 * {@code ses=} of every audit record) and login uid ({@code /proc/self/loginuid}, the {@code auid=}). The shell the
 * recorder starts inherits both, so the kernel's exec records of the user's commands carry this {@code ses=};
 * {@code ttyaudit ingest-audit} finds the recorded session by it (docs/INTEROP.md).
 */
public final class AuditIdentity {
    /** What the kernel reports for "never set" (-1 as an unsigned 32-bit number): no login set an audit session. */
    public static final long UNSET = 4294967295L;
    /** Header tag holding the audit session id. */
    public static final String SESSION_TAG = "audit_session";
    /** Header tag holding the login uid. */
    public static final String LOGINUID_TAG = "loginuid";

    private AuditIdentity() {
    }

    /**
     * The header tags for the audit identity under {@code proc} (normally {@code /proc/self}): none for a value
     * that is unset or unreadable (a kernel without audit support has neither file).
     */
    public static Map<String, String> tags(Path proc) {
        Map<String, String> tags = new HashMap<>();
        read(proc.resolve("sessionid")).ifPresent(v -> tags.put(SESSION_TAG, v));
        read(proc.resolve("loginuid")).ifPresent(v -> tags.put(LOGINUID_TAG, v));
        return tags;
    }

    private static Optional<String> read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (!text.matches("[0-9]{1,10}") || Long.parseLong(text) >= UNSET) {
                return Optional.empty();
            }
            return Optional.of(text);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
