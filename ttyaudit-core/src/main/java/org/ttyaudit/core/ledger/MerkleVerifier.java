package org.ttyaudit.core.ledger;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Offline verification of inclusion and consistency proofs with the algorithms of RFC 9162 §2.1.3.2 and
 * §2.1.4.2, step by step. Before running them it checks the proof's length against the one length the algorithm
 * can accept for the given sizes (it accepts no other), so a truncated or padded proof is reported as such.
 *
 * <p>A proof binds a leaf (or an old root) to a root, not to a tree size on its own: the RFC algorithms compute
 * alike for some pairs of sizes (leaf 0 in trees of 3 and of 4 leaves, for one), so a proof may also "verify"
 * with a wrong size next to the right root. That is harmless as long as the size and the root a caller passes
 * come from the same signed tree head, which is how they must always be taken.
 *
 * <p>Stateless and thread-safe. Every failure is a {@link LedgerVerificationException} whose message names the
 * proof, the sizes and what did not match; null arguments are programming errors ({@link NullPointerException}).
 */
public final class MerkleVerifier {

    private MerkleVerifier() {
    }

    /**
     * Checks that {@code proof} proves leaf {@code leafIndex} with hash {@code leafHash} to be in the tree of size
     * {@code treeSize} with root {@code rootHash}.
     *
     * @throws LedgerVerificationException naming what failed
     */
    public static void verifyInclusion(byte[] leafHash, long leafIndex, long treeSize, List<byte[]> proof,
                                       byte[] rootHash) {
        Objects.requireNonNull(proof, "proof");
        String what = "inclusion proof for leaf " + leafIndex + " in tree of size " + treeSize;
        checkHash(leafHash, "leaf hash", what);
        checkHash(rootHash, "root hash", what);
        if (treeSize < 0) {
            throw new LedgerVerificationException(what + ": a tree size cannot be negative");
        }
        // RFC 9162 §2.1.3.2 step 1.
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new LedgerVerificationException(what + ": the leaf index is not in the tree");
        }
        int expected = inclusionProofLength(leafIndex, treeSize);
        if (proof.size() != expected) {
            throw new LedgerVerificationException(what + " has " + hashes(proof.size()) + ", expected " + expected);
        }
        checkProofHashes(proof, what);

        // Steps 2-4: fn/sn walk up the tree; a right child (LSB set) or the last node of its level (fn == sn)
        // takes its sibling from the left, and the last node skips the levels where it has no sibling.
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                throw new LedgerVerificationException(what + " has more hashes than the tree has levels");
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleHashing.nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                r = MerkleHashing.nodeHash(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        // Step 5.
        if (sn != 0) {
            throw new LedgerVerificationException(what + " has too few hashes to reach the root");
        }
        if (!MessageDigest.isEqual(r, rootHash)) {
            throw new LedgerVerificationException(what + " does not lead to the root: computed "
                    + MerkleHashing.hex(r) + ", expected " + MerkleHashing.hex(rootHash));
        }
    }

    /**
     * Checks that the tree of size {@code newSize} with root {@code newRoot} is an append-only extension of the
     * tree of size {@code oldSize} with root {@code oldRoot}. Equal sizes need equal roots and an empty proof;
     * the empty tree (whose root must be {@link MerkleHashing#emptyRoot()}) is a prefix of every tree, with an
     * empty proof.
     *
     * @throws LedgerVerificationException naming what failed
     */
    public static void verifyConsistency(long oldSize, long newSize, byte[] oldRoot, byte[] newRoot,
                                         List<byte[]> proof) {
        Objects.requireNonNull(proof, "proof");
        String what = "consistency proof from tree size " + oldSize + " to " + newSize;
        checkHash(oldRoot, "old root hash", what);
        checkHash(newRoot, "new root hash", what);
        if (oldSize < 0 || newSize < 0) {
            throw new LedgerVerificationException(what + ": a tree size cannot be negative");
        }
        if (oldSize > newSize) {
            throw new LedgerVerificationException(what + ": the old tree is larger than the new one (a log never"
                    + " shrinks)");
        }
        if (oldSize == newSize || oldSize == 0) {
            if (!proof.isEmpty()) {
                throw new LedgerVerificationException(what + " has " + hashes(proof.size()) + ", expected 0");
            }
            if (oldSize == 0) {
                byte[] empty = MerkleHashing.emptyRoot();
                if (!MessageDigest.isEqual(oldRoot, empty)) {
                    throw new LedgerVerificationException(what + ": the old root of an empty tree must be "
                            + MerkleHashing.hex(empty) + ", not " + MerkleHashing.hex(oldRoot));
                }
            } else if (!MessageDigest.isEqual(oldRoot, newRoot)) {
                throw new LedgerVerificationException(what + ": two trees of the same size have different roots: "
                        + MerkleHashing.hex(oldRoot) + " and " + MerkleHashing.hex(newRoot));
            }
            return;
        }
        int expected = consistencyProofLength(oldSize, newSize);
        if (proof.size() != expected) {
            throw new LedgerVerificationException(what + " has " + hashes(proof.size()) + ", expected " + expected);
        }
        checkProofHashes(proof, what);

        // RFC 9162 §2.1.4.2. Step 1 (an empty path fails) is covered by the length check: expected ≥ 1 here.
        List<byte[]> path = new ArrayList<>(proof.size() + 1);
        // Step 2: when the old tree is a complete subtree of the new one, its root is the first node of the path.
        if (Long.bitCount(oldSize) == 1) {
            path.add(oldRoot);
        }
        path.addAll(proof);
        // Step 3-4.
        long fn = oldSize - 1;
        long sn = newSize - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        // Step 5-6: fr rebuilds the old root, sr the new one, from the same path.
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                throw new LedgerVerificationException(what + " has more hashes than the tree has levels");
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = MerkleHashing.nodeHash(c, fr);
                sr = MerkleHashing.nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                sr = MerkleHashing.nodeHash(sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        // Step 7.
        if (sn != 0) {
            throw new LedgerVerificationException(what + " has too few hashes to reach the new root");
        }
        if (!MessageDigest.isEqual(fr, oldRoot)) {
            throw new LedgerVerificationException(what + " does not lead to the old root: computed "
                    + MerkleHashing.hex(fr) + ", expected " + MerkleHashing.hex(oldRoot));
        }
        if (!MessageDigest.isEqual(sr, newRoot)) {
            throw new LedgerVerificationException(what + " does not lead to the new root: computed "
                    + MerkleHashing.hex(sr) + ", expected " + MerkleHashing.hex(newRoot));
        }
    }

    /** {@link #verifyInclusion} as a boolean, for callers that only need a yes or no. */
    public static boolean isValidInclusion(byte[] leafHash, long leafIndex, long treeSize, List<byte[]> proof,
                                           byte[] rootHash) {
        try {
            verifyInclusion(leafHash, leafIndex, treeSize, proof, rootHash);
            return true;
        } catch (LedgerVerificationException e) {
            return false;
        }
    }

    /** {@link #verifyConsistency} as a boolean, for callers that only need a yes or no. */
    public static boolean isValidConsistency(long oldSize, long newSize, byte[] oldRoot, byte[] newRoot,
                                             List<byte[]> proof) {
        try {
            verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof);
            return true;
        } catch (LedgerVerificationException e) {
            return false;
        }
    }

    /**
     * The number of hashes in the inclusion proof of leaf {@code leafIndex} (0 ≤ leafIndex &lt; treeSize): one per
     * level below the point where the leaf's path and the tree's last leaf's path meet ("inner"), plus one per
     * complete left subtree above it ("border").
     */
    static int inclusionProofLength(long leafIndex, long treeSize) {
        int inner = 64 - Long.numberOfLeadingZeros(leafIndex ^ (treeSize - 1));
        int border = Long.bitCount(leafIndex >>> inner);
        return inner + border;
    }

    /**
     * The number of hashes in the consistency proof for 0 &lt; oldSize &lt; newSize: the inclusion proof, in the new
     * tree, of the highest complete subtree at the old tree's right edge, plus that subtree's own hash unless it is
     * the whole old tree (old size a power of two).
     */
    static int consistencyProofLength(long oldSize, long newSize) {
        int level = Long.numberOfTrailingZeros(oldSize);
        long index = (oldSize - 1) >>> level;
        long last = (newSize - 1) >>> level;
        int inner = 64 - Long.numberOfLeadingZeros(index ^ last);
        int border = Long.bitCount(index >>> inner);
        return inner + border + (index == 0 ? 0 : 1);
    }

    private static void checkHash(byte[] hash, String name, String what) {
        Objects.requireNonNull(hash, name);
        if (hash.length != MerkleHashing.HASH_LENGTH) {
            throw new LedgerVerificationException(what + ": the " + name + " is " + hash.length + " bytes, expected "
                    + MerkleHashing.HASH_LENGTH);
        }
    }

    private static void checkProofHashes(List<byte[]> proof, String what) {
        for (int i = 0; i < proof.size(); i++) {
            byte[] h = Objects.requireNonNull(proof.get(i), "proof hash");
            if (h.length != MerkleHashing.HASH_LENGTH) {
                throw new LedgerVerificationException(what + ": hash #" + i + " of the proof is " + h.length
                        + " bytes, expected " + MerkleHashing.HASH_LENGTH);
            }
        }
    }

    private static String hashes(int n) {
        return n == 1 ? "1 hash" : n + " hashes";
    }
}
