package org.ttyaudit.core.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;

/**
 * The state of the ledger at one moment: its size, its root hash and when that was observed. The server signs
 * heads ({@link TreeHeadSigner}); {@link #signedBytes()} are the exact bytes under the signature:
 * <pre>
 * 22 bytes  ASCII "ttyaudit-tree-head-v1\n" (domain separation: these bytes mean nothing else)
 * u64       treeSize, big-endian
 * 32 bytes  rootHash
 * i64       timestamp as milliseconds since 1970-01-01T00:00:00Z, big-endian
 * </pre>
 * 70 bytes in all. The timestamp is kept to the millisecond (finer parts are dropped on construction), so the
 * record holds exactly what is signed.
 *
 * <p>Immutable: the root is copied in and out. Equality compares contents.
 */
public record TreeHead(long treeSize, byte[] rootHash, Instant timestamp) {

    /** The ASCII prefix of {@link #signedBytes()}. */
    public static final String SIGNED_PREFIX = "ttyaudit-tree-head-v1\n";
    /** Length of {@link #signedBytes()}. */
    public static final int SIGNED_LENGTH = SIGNED_PREFIX.length() + 8 + MerkleHashing.HASH_LENGTH + 8;

    public TreeHead {
        if (treeSize < 0) {
            throw new IllegalArgumentException("tree size must not be negative: " + treeSize);
        }
        MerkleHashing.checkHash(rootHash, "tree head root hash");
        Objects.requireNonNull(timestamp, "timestamp");
        try {
            timestamp.toEpochMilli();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("tree head timestamp " + timestamp + " is out of range", e);
        }
        rootHash = rootHash.clone();
        timestamp = timestamp.truncatedTo(ChronoUnit.MILLIS);
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /** The {@value #SIGNED_LENGTH} bytes a signature covers (see the class comment). */
    public byte[] signedBytes() {
        return ByteBuffer.allocate(SIGNED_LENGTH)
                .put(SIGNED_PREFIX.getBytes(StandardCharsets.US_ASCII))
                .putLong(treeSize)
                .put(rootHash)
                .putLong(timestamp.toEpochMilli())
                .array();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TreeHead h && h.treeSize == treeSize && Arrays.equals(h.rootHash, rootHash)
                && h.timestamp.equals(timestamp);
    }

    @Override
    public int hashCode() {
        return Objects.hash(treeSize, timestamp) * 31 + Arrays.hashCode(rootHash);
    }

    @Override
    public String toString() {
        return "TreeHead[size=" + treeSize + ", root=" + MerkleHashing.hex(rootHash) + ", timestamp=" + timestamp
                + "]";
    }
}
