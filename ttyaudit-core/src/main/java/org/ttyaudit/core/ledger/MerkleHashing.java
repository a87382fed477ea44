package org.ttyaudit.core.ledger;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The RFC 6962 / RFC 9162 hash functions of the ledger, with SHA-256: a leaf hash is
 * {@code SHA-256(0x00 || data)}, an interior node hash is {@code SHA-256(0x01 || left || right)} (the different
 * prefixes keep a leaf from ever being mistaken for a node), and the root of the empty tree is
 * {@code SHA-256("")}.
 *
 * <p>Stateless and thread-safe; every call returns a new array.
 */
public final class MerkleHashing {

    /** Length in bytes of every hash in the ledger. */
    public static final int HASH_LENGTH = 32;

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    private MerkleHashing() {
    }

    /** {@code SHA-256(0x00 || leafData)}. */
    public static byte[] leafHash(byte[] leafData) {
        if (leafData == null) {
            throw new IllegalArgumentException("leaf data must not be null");
        }
        MessageDigest d = sha256();
        d.update(LEAF_PREFIX);
        d.update(leafData);
        return d.digest();
    }

    /** {@code SHA-256(0x01 || left || right)}; both inputs must be 32-byte hashes. */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        checkHash(left, "left child hash");
        checkHash(right, "right child hash");
        MessageDigest d = sha256();
        d.update(NODE_PREFIX);
        d.update(left);
        d.update(right);
        return d.digest();
    }

    /** The root of the empty tree: SHA-256 of the empty string. */
    public static byte[] emptyRoot() {
        return sha256().digest();
    }

    /** @throws IllegalArgumentException naming {@code what} when {@code hash} is null or not 32 bytes */
    static void checkHash(byte[] hash, String what) {
        if (hash == null || hash.length != HASH_LENGTH) {
            throw new IllegalArgumentException(what + " must be " + HASH_LENGTH + " bytes (SHA-256), not "
                    + (hash == null ? "null" : hash.length + " bytes"));
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE runtime must provide SHA-256; its absence is a broken runtime, not a data problem.
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
