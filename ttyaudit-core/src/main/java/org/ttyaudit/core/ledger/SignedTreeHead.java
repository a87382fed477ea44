package org.ttyaudit.core.ledger;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tree head with the Ed25519 signature over its {@link TreeHead#signedBytes()} and the id of the key that made
 * it ({@link Ed25519Keys#keyId}). Check it with {@link TreeHeadVerifier}.
 *
 * <p>Immutable: the signature is copied in and out. Equality compares contents.
 */
public record SignedTreeHead(TreeHead head, String keyId, byte[] signature) {

    /** Length of an Ed25519 signature. */
    public static final int SIGNATURE_LENGTH = 64;

    public SignedTreeHead {
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(keyId, "keyId");
        if (signature == null || signature.length != SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("an Ed25519 signature is " + SIGNATURE_LENGTH + " bytes, not "
                    + (signature == null ? "null" : signature.length));
        }
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedTreeHead s && s.head.equals(head) && s.keyId.equals(keyId)
                && Arrays.equals(s.signature, signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(head, keyId) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "SignedTreeHead[" + head + ", keyId=" + keyId + ", signature=" + MerkleHashing.hex(signature) + "]";
    }
}
