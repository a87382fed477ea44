package org.ttyaudit.core.ledger;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * One leaf of the ledger: a record the server accepted, named by its kind, its subject (session id, or audit event
 * id), a sequence number and the hash that fixes its content.
 *
 * <p>{@link #leafData()} is the canonical encoding that is hashed into the tree, exactly {@value #LENGTH} bytes
 * (docs/LEDGER.md):
 * <pre>
 * u8    encoding version (1)
 * u8    kind code (see {@link Kind})
 * 16    subject UUID: most significant 64 bits, then least significant 64 bits, big-endian
 * u64   seq, big-endian (the chunk's seq for CHUNK and TOMBSTONE, 0 for every other kind)
 * 32    recordHash
 * </pre>
 * {@code recordHash} is the chunk's hash for CHUNK, the session header hash for SESSION_START, the session end
 * record's hash for SESSION_END, SHA-256 of the audit event's canonical JSON for AUDIT_EVENT, for TOMBSTONE
 * the hash of the chunk whose content retention pruned (the chain still verifies without the content), and
 * SHA-256 of the alert's canonical JSON for ALERT (subject: the alert's id).
 *
 * <p>Immutable: the hash is copied in and out. Equality compares contents.
 */
public record LedgerEntry(Kind kind, UUID subject, long seq, byte[] recordHash) {

    /** The encoding version this class writes and reads. */
    public static final int ENCODING_VERSION = 1;
    /** Length of {@link #leafData()}. */
    public static final int LENGTH = 1 + 1 + 16 + 8 + MerkleHashing.HASH_LENGTH;

    /** What kind of record a leaf stands for; the code is the byte in the leaf data and never changes. */
    public enum Kind {
        SESSION_START(1),
        CHUNK(2),
        SESSION_END(3),
        AUDIT_EVENT(4),
        TOMBSTONE(5),
        ALERT(6);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        /** Whether leaves of this kind carry a chunk seq (otherwise seq is 0). */
        public boolean hasSeq() {
            return this == CHUNK || this == TOMBSTONE;
        }

        /** @throws IllegalArgumentException for a code no kind has */
        public static Kind ofCode(int code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown ledger entry kind code " + code);
        }
    }

    public LedgerEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        if (seq < 0) {
            throw new IllegalArgumentException("ledger entry seq must not be negative: " + seq);
        }
        if (!kind.hasSeq() && seq != 0) {
            throw new IllegalArgumentException("a " + kind + " ledger entry has seq 0, not " + seq);
        }
        if (recordHash == null || recordHash.length != MerkleHashing.HASH_LENGTH) {
            throw new IllegalArgumentException("ledger entry record hash must be " + MerkleHashing.HASH_LENGTH
                    + " bytes (SHA-256), not " + (recordHash == null ? "null" : recordHash.length + " bytes"));
        }
        recordHash = recordHash.clone();
    }

    @Override
    public byte[] recordHash() {
        return recordHash.clone();
    }

    /** The canonical {@value #LENGTH} bytes of this leaf. */
    public byte[] leafData() {
        return ByteBuffer.allocate(LENGTH)
                .put((byte) ENCODING_VERSION)
                .put((byte) kind.code())
                .putLong(subject.getMostSignificantBits())
                .putLong(subject.getLeastSignificantBits())
                .putLong(seq)
                .put(recordHash)
                .array();
    }

    /** {@code MerkleHashing.leafHash(leafData())}: this entry's level-0 node. */
    public byte[] leafHash() {
        return MerkleHashing.leafHash(leafData());
    }

    /**
     * Decodes canonical leaf data.
     *
     * @throws IllegalArgumentException naming the problem: wrong length, unknown version or kind, a seq above
     *         2^63−1 or a non-zero seq for a kind without one
     */
    public static LedgerEntry fromLeafData(byte[] leafData) {
        Objects.requireNonNull(leafData, "leafData");
        if (leafData.length != LENGTH) {
            throw new IllegalArgumentException("ledger leaf data must be " + LENGTH + " bytes, not "
                    + leafData.length);
        }
        ByteBuffer b = ByteBuffer.wrap(leafData);
        int version = Byte.toUnsignedInt(b.get());
        if (version != ENCODING_VERSION) {
            throw new IllegalArgumentException("unsupported ledger leaf encoding version " + version
                    + " (this build reads version " + ENCODING_VERSION + ")");
        }
        Kind kind = Kind.ofCode(Byte.toUnsignedInt(b.get()));
        UUID subject = new UUID(b.getLong(), b.getLong());
        long seq = b.getLong();
        if (seq < 0) {
            throw new IllegalArgumentException("ledger leaf seq " + Long.toUnsignedString(seq)
                    + " is larger than 2^63-1");
        }
        byte[] hash = new byte[MerkleHashing.HASH_LENGTH];
        b.get(hash);
        return new LedgerEntry(kind, subject, seq, hash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LedgerEntry e && e.kind == kind && e.subject.equals(subject) && e.seq == seq
                && Arrays.equals(e.recordHash, recordHash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, subject, seq) * 31 + Arrays.hashCode(recordHash);
    }

    @Override
    public String toString() {
        return "LedgerEntry[kind=" + kind + ", subject=" + subject + ", seq=" + seq + ", recordHash="
                + MerkleHashing.hex(recordHash) + "]";
    }
}
