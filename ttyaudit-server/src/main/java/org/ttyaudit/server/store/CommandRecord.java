package org.ttyaudit.server.store;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A command run in a session, as the timeline and search show it.
 *
 * @param source    {@code shell-integration} or {@code screen}
 * @param endedAt   null while running (or when its end was never seen)
 * @param exitCode  null when unknown
 */
public record CommandRecord(UUID sessionId, long commandId, String commandLine, String cwd, String source,
                            Instant startedAt, long startOffsetMicros, Instant endedAt, Long endOffsetMicros,
                            Integer exitCode) {
    public CommandRecord {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(commandLine, "commandLine");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
