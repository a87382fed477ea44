package org.ttyaudit.core.ledger;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Objects;

/**
 * Signs tree heads with an Ed25519 private key: the signature covers {@link TreeHead#signedBytes()} and the
 * result names the key by {@link Ed25519Keys#keyId} of its public key.
 *
 * <p>Construction checks that the two keys belong together (by signing and verifying a probe), so a
 * misconfigured server fails at start-up rather than publishing heads nobody can verify. Thread-safe: every
 * {@link #sign} uses its own {@link Signature}. The private key is never logged or shown by {@link #toString()}.
 */
public final class TreeHeadSigner {

    private static final byte[] PROBE = "ttyaudit-key-pair-check".getBytes(StandardCharsets.US_ASCII);

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;

    /** @throws IllegalArgumentException when a key is not Ed25519 or the keys are not a pair */
    public TreeHeadSigner(PrivateKey privateKey, PublicKey publicKey) {
        Ed25519Keys.requireEd25519(privateKey, "private key");
        Ed25519Keys.requireEd25519(publicKey, "public key");
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.keyId = Ed25519Keys.keyId(publicKey);
        if (!verifies(publicKey, PROBE, signBytes(PROBE))) {
            throw new IllegalArgumentException("the private key does not belong to public key " + keyId);
        }
    }

    public TreeHeadSigner(KeyPair pair) {
        this(Objects.requireNonNull(pair, "pair").getPrivate(), pair.getPublic());
    }

    /** A signer for {@code privateKey} with its public key derived by {@link Ed25519Keys#publicKeyOf}. */
    public static TreeHeadSigner of(PrivateKey privateKey) {
        return new TreeHeadSigner(privateKey, Ed25519Keys.publicKeyOf(privateKey));
    }

    public SignedTreeHead sign(TreeHead head) {
        Objects.requireNonNull(head, "head");
        return new SignedTreeHead(head, keyId, signBytes(head.signedBytes()));
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public String keyId() {
        return keyId;
    }

    private byte[] signBytes(byte[] message) {
        try {
            Signature s = Ed25519Keys.signature();
            s.initSign(privateKey);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed with key " + keyId, e);
        }
    }

    static boolean verifies(PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature s = Ed25519Keys.signature();
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (java.security.SignatureException e) {
            // A malformed signature (not an encoding of a curve point and scalar) simply does not verify.
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 verification is not available", e);
        }
    }

    @Override
    public String toString() {
        return "TreeHeadSigner[" + keyId + "]";
    }
}
