package org.ttyaudit.server.store;

import java.time.Instant;
import java.util.Objects;

/**
 * That retention pruned a session's content (docs/RETENTION.md): when, by which policy, and the ledger leaf of
 * its tombstone (kind TOMBSTONE naming the session's last chunk and its hash, so the chain of the chunk rows that
 * stay still verifies without the content).
 *
 * @param policy       the rule that decided the keep time ({@code rule NAME}, or {@code default})
 * @param ledgerIndex  the tombstone's leaf
 * @param freedBytes   the chunk bytes deleted (the session's stored bytes before pruning)
 */
public record PruneInfo(Instant prunedAt, String policy, long ledgerIndex, long freedBytes) {
    public PruneInfo {
        Objects.requireNonNull(prunedAt, "prunedAt");
        Objects.requireNonNull(policy, "policy");
    }

    /**
     * Why a later chunk or end of a pruned session is refused: its tombstone closed its chain, which matters for a
     * session pruned without an end (its recorder may come back). One wording for ingest and the store.
     */
    public static String refusal(Object sessionId, Instant prunedAt) {
        return "session " + sessionId + " was pruned by retention on " + prunedAt + "; later chunks are refused";
    }
}
