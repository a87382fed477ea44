package org.ttyaudit.server.store;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** An ended, unpruned session as retention weighs it: who, where, its tags, and when it ended. */
public record PruneCandidate(UUID id, String user, String host, Map<String, String> tags, Instant endedAt) {
}
