package org.ttyaudit.server.ledger;

import org.ttyaudit.core.ledger.LedgerEntry;
import org.ttyaudit.core.ledger.MerkleHashing;
import org.ttyaudit.core.ledger.MerkleTree;
import org.ttyaudit.core.ledger.Node;
import org.ttyaudit.server.store.LedgerNode;
import org.ttyaudit.server.store.WriteTransaction;

import java.util.List;

/**
 * Appends records to the server's Merkle ledger inside a store transaction, so a record and its leaf commit
 * together or not at all. The tree's nodes are computed here (core's {@link MerkleTree}); the store only keeps
 * them. Stateless and thread-safe; transactions are serialised by the store.
 */
public final class Ledger {

    /** Appends {@code entry} as the next leaf and returns its index. */
    public long append(WriteTransaction tx, LedgerEntry entry) {
        long index = tx.ledgerSize();
        byte[] data = entry.leafData();
        List<Node> nodes = MerkleTree.nodesCompletedBy(tx::ledgerNode, index, MerkleHashing.leafHash(data));
        tx.appendLedgerLeaf(index, data, nodes.stream()
                .map(n -> new LedgerNode(n.level(), n.index(), n.hash())).toList());
        return index;
    }
}
