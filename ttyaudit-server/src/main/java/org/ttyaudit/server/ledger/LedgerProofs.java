package org.ttyaudit.server.ledger;

import org.ttyaudit.core.ledger.MerkleTree;
import org.ttyaudit.server.store.LedgerReader;

import java.util.List;

/**
 * Inclusion and consistency proofs from the committed ledger (RFC 9162 §2.1.3, §2.1.4). Sizes are checked
 * against the ledger's current size, so a proof is never asked of a tree that does not exist yet.
 *
 * <p>Thread-safe (reads committed state only).
 */
public final class LedgerProofs {

    private final LedgerReader ledger;

    public LedgerProofs(LedgerReader ledger) {
        this.ledger = ledger;
    }

    /** @throws IllegalArgumentException when the index or size is out of range */
    public List<byte[]> inclusion(long leafIndex, long treeSize) {
        checkSize(treeSize);
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new IllegalArgumentException("leaf " + leafIndex + " is not in a tree of size " + treeSize);
        }
        return MerkleTree.inclusionProof(ledger::node, leafIndex, treeSize);
    }

    /** @throws IllegalArgumentException when the sizes are out of range */
    public List<byte[]> consistency(long oldSize, long newSize) {
        checkSize(newSize);
        if (oldSize < 0 || oldSize > newSize) {
            throw new IllegalArgumentException("no consistency proof from size " + oldSize + " to " + newSize);
        }
        return MerkleTree.consistencyProof(ledger::node, oldSize, newSize);
    }

    public byte[] root(long treeSize) {
        checkSize(treeSize);
        return MerkleTree.root(ledger::node, treeSize);
    }

    private void checkSize(long treeSize) {
        long size = ledger.size();
        if (treeSize < 0 || treeSize > size) {
            throw new IllegalArgumentException("tree size " + treeSize + " is out of range: the ledger has " + size
                    + " leaves");
        }
    }
}
