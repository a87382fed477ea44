package org.ttyaudit.server.store;

import org.ttyaudit.core.model.SessionEnd;

import java.util.Objects;
import java.util.UUID;

/**
 * A session's end record as stored: the parsed end, the record's bytes as received and its hash (the head of the
 * session's chain), and where it sits in the ledger.
 */
public record SessionEndInfo(UUID sessionId, SessionEnd end, long chunkCount, long eventCount, byte[] finalHash,
                             byte[] endHash, byte[] recordBytes, long ledgerIndex) {
    public SessionEndInfo {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(finalHash, "finalHash");
        Objects.requireNonNull(endHash, "endHash");
        Objects.requireNonNull(recordBytes, "recordBytes");
    }
}
