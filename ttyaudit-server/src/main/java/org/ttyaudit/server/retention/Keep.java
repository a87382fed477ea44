package org.ttyaudit.server.retention;

/**
 * How long a session is kept, and which policy said so (shown on the pruned session and in the audit event).
 *
 * @param days   days after the session's end; {@link #FOREVER} for never pruned
 * @param policy {@code default} or {@code rule NAME}
 */
public record Keep(long days, String policy) {
    /** Never pruned. */
    public static final long FOREVER = Long.MAX_VALUE;

    public boolean forever() {
        return days == FOREVER;
    }

    @Override
    public String toString() {
        return policy + " (" + (forever() ? "kept forever" : days + " days") + ")";
    }
}
