package org.ttyaudit.server.store;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An unpruned session with content as retention weighs it: who, where, its tags, and the time its age counts
 * from: its end (the end record's time) when it ended, else its last activity (when its last chunk arrived), for a
 * session whose recorder never sent an end (docs/RETENTION.md).
 */
public record PruneCandidate(UUID id, String user, String host, Map<String, String> tags, Instant agedFrom,
                             boolean ended) {
}
