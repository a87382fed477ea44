package org.ttyaudit.server.store;

/** A stored Merkle tree node: the hash of the complete subtree at {@code level} with position {@code index}. */
public record LedgerNode(int level, long index, byte[] hash) {
    public LedgerNode {
        if (level < 0 || level > 63 || index < 0) {
            throw new IllegalArgumentException("bad node position: level " + level + ", index " + index);
        }
        if (hash == null || hash.length != 32) {
            throw new IllegalArgumentException("a node hash has 32 bytes");
        }
    }
}
