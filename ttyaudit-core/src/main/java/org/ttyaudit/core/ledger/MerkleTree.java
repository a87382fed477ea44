package org.ttyaudit.core.ledger;

import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle tree algorithms of RFC 6962 §2.1 (RFC 9162 §2.1) over stored complete subtrees: which nodes an
 * appended leaf completes, the root (MTH) of any prefix of the tree, inclusion proofs (PATH) and consistency
 * proofs (PROOF).
 *
 * <p>The RFC defines everything recursively over the leaf list: for n &gt; 1 leaves, with k the largest power of
 * two smaller than n, {@code MTH(D[n]) = nodeHash(MTH(D[0:k]), MTH(D[k:n]))}. Every subtree the recursion meets
 * starts at a multiple of a power of two at least as large as itself, so it is either a complete aligned subtree
 * (one stored node) or a run of complete aligned subtrees of decreasing size (one per set bit of its length),
 * folded from the right. That is what makes roots cost O(log n) lookups and proofs O(log² n) at worst.
 *
 * <p>Stateless; thread-safe as far as the given {@link TreeNodes} is. Exceptions thrown by the lookup (a node
 * that is absent) pass through unchanged.
 */
public final class MerkleTree {

    private MerkleTree() {
    }

    /**
     * The nodes to store when appending leaf number {@code leafIndex} (the tree has {@code leafIndex} leaves
     * before): the level-0 node (the leaf hash) first, then every parent this leaf completes, lowest first. Looks
     * up one stored left sibling per completed parent.
     */
    public static List<Node> nodesCompletedBy(TreeNodes nodes, long leafIndex, byte[] leafHash) {
        if (leafIndex < 0) {
            throw new IllegalArgumentException("leaf index must not be negative: " + leafIndex);
        }
        MerkleHashing.checkHash(leafHash, "leaf hash");
        List<Node> out = new ArrayList<>();
        byte[] current = leafHash.clone();
        long index = leafIndex;
        int level = 0;
        out.add(new Node(level, index, current));
        // A node at an odd index is a right child: appending it completes its parent, whose left child (index - 1)
        // was completed by an earlier leaf and is therefore stored.
        while ((index & 1) == 1) {
            current = MerkleHashing.nodeHash(nodes.node(level, index - 1), current);
            index >>>= 1;
            level++;
            out.add(new Node(level, index, current));
        }
        return out;
    }

    /** MTH of the first {@code size} leaves; {@link MerkleHashing#emptyRoot()} for 0. */
    public static byte[] root(TreeNodes nodes, long size) {
        checkSize(size, "tree size");
        return size == 0 ? MerkleHashing.emptyRoot() : subtreeHash(nodes, 0, size);
    }

    /**
     * MTH of leaves [{@code start}, {@code end}) as the RFC defines it for that list. The range must be one the
     * RFC recursion produces: non-empty, and {@code start} a multiple of the smallest power of two ≥
     * {@code end - start} (so the range lies inside one aligned subtree and is built from stored nodes).
     */
    public static byte[] subtreeHash(TreeNodes nodes, long start, long end) {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("subtree range [" + start + ", " + end + ") is empty or negative");
        }
        long length = end - start;
        long span = Long.highestOneBit(length) == length ? length : Long.highestOneBit(length) << 1;
        boolean aligned = start == 0 || (span > 0 && start % span == 0);
        if (!aligned) {
            throw new IllegalArgumentException("subtree range [" + start + ", " + end + ") is not aligned: its start"
                    + " must be a multiple of " + (span <= 0 ? "2^63" : Long.toString(span)));
        }
        // The maximal aligned complete subtrees, largest (leftmost) first: one per set bit of the length. Each
        // starts at a multiple of its size because everything before it is a sum of larger powers of two.
        int pieces = Long.bitCount(length);
        byte[][] hashes = new byte[pieces][];
        long position = start;
        long rest = length;
        for (int i = 0; i < pieces; i++) {
            long size = Long.highestOneBit(rest);
            int level = Long.numberOfTrailingZeros(size);
            hashes[i] = nodes.node(level, position >>> level);
            position += size;
            rest -= size;
        }
        // Fold right to left: the RFC splits at the largest power of two, i.e. the first piece is the left child
        // and everything after it is the right subtree.
        byte[] hash = hashes[pieces - 1];
        for (int i = pieces - 2; i >= 0; i--) {
            hash = MerkleHashing.nodeHash(hashes[i], hash);
        }
        return hash.clone();
    }

    /**
     * The audit path of leaf {@code leafIndex} in the tree of the first {@code size} leaves (RFC 6962 §2.1.1,
     * RFC 9162 §2.1.3.1), the sibling nearest the leaf first. Empty for a tree of one leaf.
     */
    public static List<byte[]> inclusionProof(TreeNodes nodes, long leafIndex, long size) {
        checkSize(size, "tree size");
        if (leafIndex < 0 || leafIndex >= size) {
            throw new IllegalArgumentException("leaf index " + leafIndex + " is not in a tree of size " + size);
        }
        List<byte[]> proof = new ArrayList<>();
        path(nodes, leafIndex, 0, size, proof);
        return proof;
    }

    // PATH(m, D[start:end]); appends after recursing so that the deepest sibling comes first.
    private static void path(TreeNodes nodes, long m, long start, long end, List<byte[]> out) {
        long n = end - start;
        if (n <= 1) {
            return;
        }
        long k = largestPowerOfTwoBelow(n);
        if (m < start + k) {
            path(nodes, m, start, start + k, out);
            out.add(subtreeHash(nodes, start + k, end));
        } else {
            path(nodes, m, start + k, end, out);
            out.add(subtreeHash(nodes, start, start + k));
        }
    }

    /**
     * The consistency proof between the trees of the first {@code oldSize} and {@code newSize} leaves (RFC 6962
     * §2.1.2, RFC 9162 §2.1.4.1). Empty when the sizes are equal or {@code oldSize} is 0.
     *
     * @throws IllegalArgumentException when {@code oldSize > newSize} or a size is negative
     */
    public static List<byte[]> consistencyProof(TreeNodes nodes, long oldSize, long newSize) {
        checkSize(oldSize, "old tree size");
        checkSize(newSize, "new tree size");
        if (oldSize > newSize) {
            throw new IllegalArgumentException("old tree size " + oldSize + " is larger than new tree size "
                    + newSize);
        }
        List<byte[]> proof = new ArrayList<>();
        if (oldSize == 0 || oldSize == newSize) {
            return proof;
        }
        subproof(nodes, oldSize, 0, newSize, true, proof);
        return proof;
    }

    // SUBPROOF(m, D[start:end], b) with m counted from start.
    private static void subproof(TreeNodes nodes, long m, long start, long end, boolean wholeOldTree,
                                 List<byte[]> out) {
        long n = end - start;
        if (m == n) {
            // The old tree's root is known to the verifier only when this subtree is the whole old tree.
            if (!wholeOldTree) {
                out.add(subtreeHash(nodes, start, end));
            }
            return;
        }
        long k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(nodes, m, start, start + k, wholeOldTree, out);
            out.add(subtreeHash(nodes, start + k, end));
        } else {
            subproof(nodes, m - k, start + k, end, false, out);
            out.add(subtreeHash(nodes, start, start + k));
        }
    }

    /** The largest power of two strictly smaller than {@code n} (n ≥ 2). */
    static long largestPowerOfTwoBelow(long n) {
        return Long.highestOneBit(n - 1);
    }

    private static void checkSize(long size, String what) {
        if (size < 0) {
            throw new IllegalArgumentException(what + " must not be negative: " + size);
        }
    }
}
