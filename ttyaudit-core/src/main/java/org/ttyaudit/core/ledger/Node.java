package org.ttyaudit.core.ledger;

import java.util.Arrays;

/**
 * A Merkle tree node to store: the hash of the complete, aligned subtree at {@code level} with position
 * {@code index} (covering leaves [{@code index·2^level}, {@code (index+1)·2^level}); level 0 = leaf hash).
 *
 * <p>Immutable: the hash is copied in and out. Equality compares the hash's contents.
 */
public record Node(int level, long index, byte[] hash) {

    public Node {
        if (level < 0 || level > 63) {
            throw new IllegalArgumentException("node level must be 0..63, not " + level);
        }
        if (index < 0 || (level > 0 && index > (Long.MAX_VALUE >>> level))) {
            throw new IllegalArgumentException("node index " + index + " out of range at level " + level);
        }
        MerkleHashing.checkHash(hash, "node hash");
        hash = hash.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Node n && n.level == level && n.index == index && Arrays.equals(n.hash, hash);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * level + Long.hashCode(index)) + Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return "Node[level=" + level + ", index=" + index + ", hash=" + MerkleHashing.hex(hash) + "]";
    }
}
