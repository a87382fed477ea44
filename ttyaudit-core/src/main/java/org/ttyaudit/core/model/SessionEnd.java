package org.ttyaudit.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * How a session ended.
 *
 * @param exitStatus the recorder's exit status: the command's exit code, or 128+N when signal N killed it
 * @param signal     the signal that ended the command, or null when it exited normally
 * @param reason     {@code exit}, {@code signal}, {@code hangup} or {@code terminated}
 */
public record SessionEnd(Instant endedAt, int exitStatus, Integer signal, String reason) {
    public SessionEnd {
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(reason, "reason");
    }
}
