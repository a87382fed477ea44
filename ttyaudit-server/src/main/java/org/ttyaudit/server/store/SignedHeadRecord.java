package org.ttyaudit.server.store;

import java.time.Instant;

/**
 * A signed tree head as stored: the tree size, its root hash, when it was signed, which key signed it
 * ({@code keyId}) and the signature over the head's canonical bytes (defined in core's ledger package).
 */
public record SignedHeadRecord(long treeSize, byte[] rootHash, Instant signedAt, String keyId, byte[] signature) {
    public SignedHeadRecord {
        if (treeSize < 0 || rootHash == null || rootHash.length != 32 || signedAt == null || keyId == null
                || signature == null) {
            throw new IllegalArgumentException("incomplete signed tree head");
        }
    }
}
