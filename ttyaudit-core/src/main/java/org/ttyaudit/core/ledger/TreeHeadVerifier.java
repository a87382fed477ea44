package org.ttyaudit.core.ledger;

import java.security.PublicKey;
import java.util.Objects;

/**
 * Checks signed tree heads against one trusted Ed25519 public key: the head must name that key's id and its
 * signature must verify over {@link TreeHead#signedBytes()}.
 *
 * <p>Stateless after construction and thread-safe.
 */
public final class TreeHeadVerifier {

    private final PublicKey publicKey;
    private final String keyId;

    /** @throws IllegalArgumentException when the key is not Ed25519 */
    public TreeHeadVerifier(PublicKey publicKey) {
        Ed25519Keys.requireEd25519(publicKey, "public key");
        this.publicKey = publicKey;
        this.keyId = Ed25519Keys.keyId(publicKey);
    }

    /** @throws LedgerVerificationException when the key id does not match or the signature does not verify */
    public void verify(SignedTreeHead signed) {
        Objects.requireNonNull(signed, "signed");
        TreeHead head = signed.head();
        if (!keyId.equals(signed.keyId())) {
            throw new LedgerVerificationException("tree head of size " + head.treeSize() + " is signed by key "
                    + signed.keyId() + ", but the trusted key is " + keyId);
        }
        if (!TreeHeadSigner.verifies(publicKey, head.signedBytes(), signed.signature())) {
            throw new LedgerVerificationException("the signature of the tree head of size " + head.treeSize()
                    + " (root " + MerkleHashing.hex(head.rootHash()) + ", " + head.timestamp()
                    + ") does not verify with key " + keyId);
        }
    }

    /** {@link #verify} as a boolean. */
    public boolean isValid(SignedTreeHead signed) {
        try {
            verify(signed);
            return true;
        } catch (LedgerVerificationException e) {
            return false;
        }
    }

    public String keyId() {
        return keyId;
    }
}
