package org.ttyaudit.server.store;

import org.ttyaudit.core.model.SessionHeader;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored session: header, how far it is committed, and its end when it has ended.
 *
 * @param committedSeq   seq of the last stored chunk, −1 when none
 * @param lastHash       the hash the next chunk's prev hash must equal (the header hash before any chunk)
 * @param commandCount   commands stored for it
 * @param end            null while the session has not ended
 * @param terminateReason non-null once termination was requested
 * @param alertCount     alerts raised on it
 * @param pruned         null unless retention pruned its content (the rows that carry the chain stay)
 */
public record SessionRecord(SessionHeader header, byte[] headerBytes, byte[] headerHash, String hostId,
                            long ledgerIndex, Instant receivedAt, long committedSeq, byte[] lastHash,
                            long eventCount, long commandCount, Instant lastActivity, SessionEndInfo end,
                            String terminateReason, long alertCount, PruneInfo pruned) {
    public UUID id() {
        return header.sessionId().uuid();
    }

    public boolean ended() {
        return end != null;
    }

    public boolean isPruned() {
        return pruned != null;
    }
}
