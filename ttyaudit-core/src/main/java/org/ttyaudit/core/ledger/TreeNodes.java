package org.ttyaudit.core.ledger;

/**
 * Lookup of stored complete-subtree hashes. The node at ({@code level}, {@code index}) is the hash of the
 * complete, aligned subtree covering leaves [{@code index·2^level}, {@code (index+1)·2^level}); level 0 holds
 * the leaf hashes. A store only ever holds what {@link MerkleTree#nodesCompletedBy} computed, so a node exists
 * exactly when all leaves it covers have been appended.
 *
 * <p>Implementations say their own threading rules; {@link MerkleTree} only reads through this interface.
 */
@FunctionalInterface
public interface TreeNodes {

    /**
     * The stored hash of node ({@code level}, {@code index}).
     *
     * @throws RuntimeException (of the implementation's choosing) when that node was never stored; the algorithms
     *         in {@link MerkleTree} only ask for nodes that exist in a tree of the size they were given
     */
    byte[] node(int level, long index);
}
