package org.ttyaudit.server.ingest;

import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.server.store.SessionRecord;

import java.time.Instant;

/**
 * What a commit needs to know of a session to accept more of it: who sent it, where its chain stands and
 * whether it ended. Made from the stored session and advanced by each accepted batch of a commit group.
 * {@code prunedAt}: when retention pruned it (null: not), which closes it even without an end.
 */
record SessionProgress(SessionHeader header, byte[] headerBytes, String hostId, long committedSeq, byte[] lastHash,
                       long eventCount, boolean ended, String terminateReason, Instant prunedAt) {

    static SessionProgress of(SessionRecord s) {
        return new SessionProgress(s.header(), s.headerBytes(), s.hostId(), s.committedSeq(), s.lastHash(),
                s.eventCount(), s.ended(), s.terminateReason(), s.isPruned() ? s.pruned().prunedAt() : null);
    }

    SessionProgress afterChunk(long seq, byte[] hash, long events) {
        return new SessionProgress(header, headerBytes, hostId, seq, hash, eventCount + events, ended,
                terminateReason, prunedAt);
    }

    SessionProgress afterEnd() {
        return new SessionProgress(header, headerBytes, hostId, committedSeq, lastHash, eventCount, true,
                terminateReason, prunedAt);
    }

    CommitPoint commitPoint() {
        return new CommitPoint(header.sessionId().uuid(), committedSeq, lastHash, ended, terminateReason);
    }
}
