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
}
