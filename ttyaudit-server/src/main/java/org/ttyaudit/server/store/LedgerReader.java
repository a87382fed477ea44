package org.ttyaudit.server.store;

import java.util.List;
import java.util.Optional;

/** Reading the Merkle ledger: leaves, nodes and signed heads. */
public interface LedgerReader {

    long size();

    /** The canonical data of leaf {@code index}. @throws StoreException when there is no such leaf */
    byte[] leafData(long index);

    /** As {@link WriteTransaction#ledgerNode}, from committed state. */
    byte[] node(int level, long index);

    /**
     * The stored leaves with index ≥ {@code fromIndex}, in index order, at most {@code limit}: for reading the
     * whole ledger page by page (the next page starts after the last index returned). A leaf that is not stored
     * (a gap, which only damage can make) is simply not in the list.
     *
     * @param limit at least 1 (else {@link IllegalArgumentException}); at most {@link SessionQueries#MAX_PAGE}
     *              are returned
     */
    List<LedgerLeaf> leaves(long fromIndex, int limit);

    /**
     * The stored nodes of {@code level} with index ≥ {@code fromIndex}, in index order, at most {@code limit}
     * (as for {@link #leaves}); for comparing every stored node with one recomputed from the leaves.
     */
    List<LedgerNode> nodes(int level, long fromIndex, int limit);

    Optional<SignedHeadRecord> latestSignedHead();

    /** Signed heads with tree size in [fromSize, toSize], oldest first. */
    List<SignedHeadRecord> signedHeads(long fromSize, long toSize);
}
