package org.ttyaudit.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What forwarders keep in the store and the reads of the forwarding feed that the other interfaces lack: each
 * forwarder's durable {@link ForwardCursor}, the documents receivers refused, signed heads page by page, and one
 * command by its id. Thread-safe; each change is its own durable transaction through the store's one writer.
 */
public interface ForwardingStore {

    /** The cursor of {@code forwarder}; empty before its first start. */
    Optional<ForwardCursor> cursor(String forwarder);

    /**
     * Moves the cursor of {@code forwarder} to {@code to} (creating it), adds {@code delivered} to its forwarded
     * count and keeps {@code rejected}, in one transaction.
     *
     * @param caughtUp whether nothing is pending after {@code to}: then its caught-up time becomes {@code at}
     */
    void advance(String forwarder, long nextLeaf, long headSize, long delivered, List<RejectedDocument> rejected,
                 boolean caughtUp, Instant at);

    /** The rejected documents of {@code forwarder}, newest first, at most {@code limit}. */
    List<RejectedDocument> rejected(String forwarder, int limit);

    /** Signed heads with a tree size above {@code treeSize}, by size, at most {@code limit}. */
    List<SignedHeadRecord> signedHeadsAbove(long treeSize, int limit);

    /** How many signed heads have a tree size above {@code treeSize}. */
    long signedHeadsAboveCount(long treeSize);

    /** The command {@code commandId} of a session, or empty. */
    Optional<CommandRecord> command(UUID sessionId, long commandId);
}
