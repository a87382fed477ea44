package org.ttyaudit.server.store;

import java.time.Instant;
import java.util.Objects;

/**
 * How far a forwarder has come through the forwarding feed (docs/FORWARDING.md, "The feed"): the ledger leaves
 * before {@code nextLeaf} and the signed tree heads up to tree size {@code headSize} are forwarded. Kept in the
 * store, so that a restarted server resumes where it stopped.
 *
 * @param headSize   tree size of the last signed head forwarded; −1 when none was
 * @param forwarded  documents delivered in total (for the API and metrics)
 * @param rejected   documents the receiver refused for good, kept in the store's rejected list
 * @param caughtUpAt the last time the forwarder had nothing pending: the oldest pending document waits since then
 *                   at the longest
 */
public record ForwardCursor(long nextLeaf, long headSize, long forwarded, long rejected, Instant caughtUpAt) {
    public ForwardCursor {
        Objects.requireNonNull(caughtUpAt, "caughtUpAt");
        if (nextLeaf < 0 || headSize < -1 || forwarded < 0 || rejected < 0) {
            throw new IllegalArgumentException("invalid forward cursor: leaf " + nextLeaf + ", head " + headSize);
        }
    }
}
