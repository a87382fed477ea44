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

    Optional<SignedHeadRecord> latestSignedHead();

    /** Signed heads with tree size in [fromSize, toSize], oldest first. */
    List<SignedHeadRecord> signedHeads(long fromSize, long toSize);
}
