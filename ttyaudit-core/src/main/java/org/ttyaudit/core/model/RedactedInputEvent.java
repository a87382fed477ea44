package org.ttyaudit.core.model;

/**
 * Marks input that was typed while the terminal had ECHO off and ICANON on (a password prompt) and was therefore
 * not stored. Only the number of bytes is kept.
 */
public record RedactedInputEvent(long offsetMicros, int byteCount) implements Event {
    public RedactedInputEvent {
        Offsets.check(offsetMicros);
        if (byteCount <= 0) {
            throw new IllegalArgumentException("byteCount must be positive: " + byteCount);
        }
    }

    @Override
    public String kind() {
        return "input-redacted";
    }
}
