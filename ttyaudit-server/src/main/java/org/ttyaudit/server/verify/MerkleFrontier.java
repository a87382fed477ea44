package org.ttyaudit.server.verify;

import org.ttyaudit.core.ledger.MerkleHashing;

import java.util.ArrayList;
import java.util.List;

/**
 * A Merkle tree (RFC 6962 hashing, as docs/LEDGER.md) built leaf by leaf in O(log n) memory: only its right
 * edge is kept, one complete subtree per set bit of the size, largest first. Appending a leaf completes the same
 * nodes the server stores (the leaf's level-0 node, then each parent while the index is odd), so each can be
 * compared with its stored copy as it completes, and the root of the first n leaves is available after the n-th
 * leaf — which is all a check of millions of leaves needs.
 *
 * <p>Each subtree also carries whether a node inside it differed from its stored copy, so that a changed leaf
 * is reported once, not again for every ancestor that differs only because of it.
 *
 * <p>Not thread-safe.
 */
final class MerkleFrontier {

    /** Compares a completed node with its stored copy; returns whether they differ (reporting is its job). */
    @FunctionalInterface
    interface NodeCheck {
        /**
         * @param belowDiffers whether a node inside this one already differed (its difference is then expected)
         */
        boolean differs(int level, long index, byte[] computed, boolean belowDiffers);
    }

    private record Subtree(byte[] hash, boolean differs) {
    }

    private final List<Subtree> edge = new ArrayList<>();
    private long size;

    long size() {
        return size;
    }

    /** Appends a leaf whose leaf hash is {@code leafHash}, checking every node it completes, lowest first. */
    void append(byte[] leafHash, NodeCheck check) {
        long position = size;
        int level = 0;
        byte[] current = leafHash;
        boolean differs = check.differs(0, position, current, false);
        // an odd index is a right child: its left sibling, completed earlier, is the top of the edge
        while ((position & 1) == 1) {
            Subtree left = edge.remove(edge.size() - 1);
            current = MerkleHashing.nodeHash(left.hash(), current);
            position >>>= 1;
            level++;
            boolean below = differs || left.differs();
            differs = check.differs(level, position, current, below) || below;
        }
        edge.add(new Subtree(current, differs));
        size++;
    }

    /** The root of the leaves appended so far: the edge folded from the right (the empty root for none). */
    byte[] root() {
        if (edge.isEmpty()) {
            return MerkleHashing.emptyRoot();
        }
        byte[] hash = edge.get(edge.size() - 1).hash();
        for (int i = edge.size() - 2; i >= 0; i--) {
            hash = MerkleHashing.nodeHash(edge.get(i).hash(), hash);
        }
        return hash;
    }
}
