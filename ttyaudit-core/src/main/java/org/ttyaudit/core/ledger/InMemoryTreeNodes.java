package org.ttyaudit.core.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A whole Merkle tree in memory: the leaves appended so far and every complete-subtree node they produced, kept
 * per level in index order. For the offline verifier and the CLI (rebuilding a tree from a list of leaves) and
 * for tests; the server keeps the same nodes in its store instead.
 *
 * <p>Thread-safe: all methods synchronize on this object. Memory: about two 32-byte hashes per leaf.
 */
public final class InMemoryTreeNodes implements TreeNodes {

    // levels.get(l).get(i) is node (l, i); nodes are only ever appended, and always in index order.
    private final List<List<byte[]>> levels = new ArrayList<>();

    /** Appends a leaf with this canonical data; returns its index. */
    public long append(byte[] leafData) {
        return appendLeafHash(MerkleHashing.leafHash(leafData));
    }

    /** Appends a leaf whose hash is already known; returns its index. */
    public synchronized long appendLeafHash(byte[] leafHash) {
        long index = size();
        for (Node n : MerkleTree.nodesCompletedBy(this::node, index, leafHash)) {
            if (levels.size() == n.level()) {
                levels.add(new ArrayList<>());
            }
            List<byte[]> level = levels.get(n.level());
            if (level.size() != n.index()) {
                throw new IllegalStateException("node " + n + " out of order: level " + n.level() + " has "
                        + level.size() + " nodes");
            }
            level.add(n.hash());
        }
        return index;
    }

    /** The number of leaves. */
    public synchronized long size() {
        return levels.isEmpty() ? 0 : levels.get(0).size();
    }

    /** The root of the whole tree. */
    public synchronized byte[] root() {
        return MerkleTree.root(this, size());
    }

    /**
     * {@inheritDoc}
     *
     * @throws NoSuchElementException when the leaves appended so far do not complete that node
     */
    @Override
    public synchronized byte[] node(int level, long index) {
        if (level < 0 || level >= levels.size() || index < 0 || index >= levels.get(level).size()) {
            throw new NoSuchElementException("no Merkle node at level " + level + ", index " + index + " in a tree of "
                    + size() + " leaves");
        }
        return levels.get(level).get((int) index).clone();
    }
}
