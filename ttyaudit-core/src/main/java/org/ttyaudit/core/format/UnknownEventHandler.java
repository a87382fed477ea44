package org.ttyaudit.core.format;

/**
 * Told about an event whose type code this version does not know (written by a newer version), when a caller
 * chose to skip such events instead of failing. The event still occupies its sequence number.
 */
@FunctionalInterface
public interface UnknownEventHandler {
    void skipped(long seq, int typeCode, long offsetMicros, int bodyLength);
}
