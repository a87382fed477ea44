package org.ttyaudit.server.ingest;

import java.util.UUID;

/**
 * How far a session is durably stored (docs/INGEST.md): the last committed chunk seq (−1: header only), the hash
 * the next chunk must continue from, whether the end record is stored, and whether the server wants the
 * session ended ({@code terminateReason} non-null).
 */
public record CommitPoint(UUID sessionId, long committedSeq, byte[] lastHash, boolean ended, String terminateReason) {
    public boolean terminate() {
        return terminateReason != null;
    }
}
