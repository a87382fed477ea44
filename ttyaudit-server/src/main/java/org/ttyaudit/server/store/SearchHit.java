package org.ttyaudit.server.store;

import java.time.Instant;
import java.util.UUID;

/**
 * A search hit: in which session, whether in a command line or in output, at which moment ({@code offsetMicros}
 * since the session start; for output, the start of the chunk that holds it), and a snippet with each match
 * between {@code [[} and {@code ]]}.
 */
public record SearchHit(UUID sessionId, String kind, Instant at, long offsetMicros, String snippet, String user,
                        String host) {
    /** {@link #kind()} of a hit in a command line; {@link #at()} is the command's start. */
    public static final String COMMAND = "command";
    /** {@link #kind()} of a hit in output text; {@link #at()} is the start of the chunk that holds it. */
    public static final String OUTPUT = "output";
}
