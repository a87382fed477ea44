package org.ttyaudit.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The tree, its proofs and the verifier against {@link RfcReference} (the RFC's recursive definitions written out
 * naively) on random trees of 0..300 leaves, and the verifier against every kind of damage to a valid proof.
 */
class MerkleTreeProperties {

    /** A tree of {@code n} distinct random leaves (the index is part of each leaf, so no two are equal). */
    private record Tree(InMemoryTreeNodes nodes, RfcReference reference, List<byte[]> leafHashes) {

        static Tree of(int n, long seed) {
            Random random = new Random(seed);
            List<byte[]> leaves = new ArrayList<>();
            InMemoryTreeNodes nodes = new InMemoryTreeNodes();
            List<byte[]> hashes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] leaf = new byte[4 + random.nextInt(40)];
                random.nextBytes(leaf);
                leaf[0] = (byte) (i >>> 24);
                leaf[1] = (byte) (i >>> 16);
                leaf[2] = (byte) (i >>> 8);
                leaf[3] = (byte) i;
                leaves.add(leaf);
                assertThat(nodes.append(leaf)).isEqualTo(i);
                hashes.add(RfcReference.leafHash(leaf));
            }
            return new Tree(nodes, new RfcReference(leaves), hashes);
        }

        byte[] root(int size) {
            return reference.mth(size);
        }
    }

    @Property(tries = 150)
    void rootOfEveryPrefixIsTheRecursiveMth(@ForAll @IntRange(max = 300) int n, @ForAll long seed) {
        Tree t = Tree.of(n, seed);
        assertThat(t.nodes().size()).isEqualTo(n);
        assertThat(t.nodes().root()).isEqualTo(t.root(n));
        for (int m = 0; m <= n; m++) {
            assertThat(MerkleTree.root(t.nodes(), m)).as("root of %d leaves", m).isEqualTo(t.root(m));
        }
    }

    @Property(tries = 150)
    void alignedSubtreeHashesAreTheRecursiveMth(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll long seed,
                                                @ForAll @IntRange(max = 8) int spanLevel,
                                                @ForAll @IntRange(min = 0, max = 300) int position) {
        Tree t = Tree.of(n, seed);
        int span = Math.min(1 << spanLevel, Integer.highestOneBit(n));
        int start = (position % (n / span + 1)) * span;
        if (start >= n) {
            start -= span;
        }
        int end = Math.min(start + span, n);
        for (int e = start + 1; e <= end; e++) {
            if (start % smallestPowerOfTwoAtLeast(e - start) == 0) {
                assertThat(MerkleTree.subtreeHash(t.nodes(), start, e)).as("[%d, %d)", start, e)
                        .isEqualTo(t.reference().mth(start, e));
            } else {
                int last = e;
                int first = start;
                assertThatThrownBy(() -> MerkleTree.subtreeHash(t.nodes(), first, last))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not aligned");
            }
        }
    }

    @Property(tries = 150)
    void everyInclusionProofIsTheRecursivePathAndVerifies(@ForAll @IntRange(min = 1, max = 300) int n,
                                                         @ForAll long seed) {
        Tree t = Tree.of(n, seed);
        byte[] root = t.root(n);
        for (int i = 0; i < n; i++) {
            List<byte[]> proof = MerkleTree.inclusionProof(t.nodes(), i, n);
            assertThat(proof).as("PATH(%d, D[%d])", i, n).containsExactlyElementsOf(t.reference().path(i, n));
            MerkleVerifier.verifyInclusion(t.leafHashes().get(i), i, n, proof, root);
        }
    }

    @Property(tries = 150)
    void everyConsistencyProofIsTheRecursiveProofAndVerifies(@ForAll @IntRange(max = 300) int n,
                                                            @ForAll long seed) {
        Tree t = Tree.of(n, seed);
        for (int m = 0; m <= n; m++) {
            List<byte[]> proof = MerkleTree.consistencyProof(t.nodes(), m, n);
            List<byte[]> expected = m == 0 ? List.of() : t.reference().proof(m, n);
            assertThat(proof).as("PROOF(%d, D[%d])", m, n).containsExactlyElementsOf(expected);
            MerkleVerifier.verifyConsistency(m, n, t.root(m), t.root(n), proof);
        }
    }

    @Property(tries = 1000)
    void damagedInclusionProofsFail(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll long seed,
                                    @ForAll @IntRange(max = 299) int index, @ForAll int pick) {
        Tree t = Tree.of(n + 40, seed);
        int i = index % n;
        Random r = new Random(pick);
        byte[] leaf = t.leafHashes().get(i);
        byte[] root = t.root(n);
        List<byte[]> proof = MerkleTree.inclusionProof(t.nodes(), i, n);
        MerkleVerifier.verifyInclusion(leaf, i, n, proof, root);

        if (!proof.isEmpty()) {
            List<byte[]> flipped = copy(proof);
            flipped.get(r.nextInt(proof.size()))[r.nextInt(32)] ^= (byte) (1 << r.nextInt(8));
            rejectsInclusion(leaf, i, n, flipped, root, "does not lead to the root");
            List<byte[]> shorter = new ArrayList<>(proof);
            shorter.remove(r.nextInt(proof.size()));
            rejectsInclusion(leaf, i, n, shorter, root, "expected " + proof.size());
        }
        List<byte[]> longer = new ArrayList<>(proof);
        longer.add(r.nextInt(proof.size() + 1), randomHash(r));
        rejectsInclusion(leaf, i, n, longer, root, "expected " + proof.size());

        if (n > 1) {
            int other = (i + 1 + r.nextInt(n - 1)) % n;
            rejectsInclusion(leaf, other, n, proof, root, "");
            rejectsInclusion(t.leafHashes().get(other), i, n, proof, root, "does not lead to the root");
        }
        int otherSize = 1 + r.nextInt(n + 40);
        if (otherSize != n && i < otherSize) {
            // A wrong size with the true root of that size: the proof covers leaves [0, n), not [0, otherSize).
            // (With the root left unchanged some sizes compute alike, e.g. leaf 0 in sizes 3 and 4; that is why a
            // root is only ever trusted together with the size from the same signed head.)
            rejectsInclusion(leaf, i, otherSize, proof, t.root(otherSize), "");
        }
        rejectsInclusion(leaf, i, 2L * n, proof, root, "expected");
        rejectsInclusion(leaf, i, n, proof, randomHash(r), "does not lead to the root");
        if (otherSize != n) {
            rejectsInclusion(leaf, i, n, proof, t.root(otherSize), "does not lead to the root");
        }
    }

    @Property(tries = 1000)
    void damagedConsistencyProofsFail(@ForAll @IntRange(min = 2, max = 300) int n, @ForAll long seed,
                                      @ForAll @IntRange(min = 1, max = 299) int old, @ForAll int pick) {
        Tree t = Tree.of(n + 40, seed);
        int m = 1 + (old - 1) % (n - 1);
        Random r = new Random(pick);
        byte[] r1 = t.root(m);
        byte[] r2 = t.root(n);
        List<byte[]> proof = MerkleTree.consistencyProof(t.nodes(), m, n);
        MerkleVerifier.verifyConsistency(m, n, r1, r2, proof);
        assertThat(proof).isNotEmpty();

        List<byte[]> flipped = copy(proof);
        flipped.get(r.nextInt(proof.size()))[r.nextInt(32)] ^= (byte) (1 << r.nextInt(8));
        rejectsConsistency(m, n, r1, r2, flipped, "does not lead to the");
        List<byte[]> shorter = new ArrayList<>(proof);
        shorter.remove(r.nextInt(proof.size()));
        rejectsConsistency(m, n, r1, r2, shorter, "expected " + proof.size());
        List<byte[]> longer = new ArrayList<>(proof);
        longer.add(r.nextInt(proof.size() + 1), randomHash(r));
        rejectsConsistency(m, n, r1, r2, longer, "expected " + proof.size());

        // Other sizes with their true roots: the proof links [0, m) and [0, n), no other pair of heads.
        // (With the roots left unchanged a few other sizes compute alike, e.g. 1 -> 3 and 1 -> 4; that is why a
        // root is only ever trusted together with the size from the same signed head.)
        int otherOld = 1 + r.nextInt(n);
        if (otherOld != m) {
            rejectsConsistency(otherOld, n, t.root(otherOld), r2, proof, "");
        }
        int otherNew = m + 1 + r.nextInt(n + 40 - m);
        if (otherNew != n) {
            rejectsConsistency(m, otherNew, r1, t.root(otherNew), proof, "");
        }
        rejectsConsistency(m, 2L * n, r1, r2, proof, "");
        rejectsConsistency(m, n, r2, r1, proof, "");
        // With an old size that is a power of two the old root is the proof's first node, so a wrong old root
        // shows up in the new root.
        rejectsConsistency(m, n, randomHash(r), r2, proof,
                Integer.bitCount(m) == 1 ? "does not lead to the new root" : "does not lead to the old root");
        rejectsConsistency(m, n, r1, randomHash(r), proof, "does not lead to the new root");
        rejectsConsistency(m, n, r1, r2, List.of(), "expected " + proof.size());
        rejectsConsistency(n, m, r2, r1, proof, "larger");
    }

    /** A store that counts lookups: the algorithms must stay logarithmic in the tree size. */
    @Property(tries = 100)
    void lookupsAreLogarithmic(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll @IntRange(max = 299) int x,
                               @ForAll long seed) {
        Tree t = Tree.of(n, seed);
        long[] lookups = {0};
        TreeNodes counting = (level, index) -> {
            lookups[0]++;
            return t.nodes().node(level, index);
        };
        int bits = 64 - Long.numberOfLeadingZeros(n);

        MerkleTree.root(counting, n);
        assertThat(lookups[0]).as("root").isEqualTo(Integer.bitCount(n));

        lookups[0] = 0;
        InMemoryTreeNodes prefix = Tree.of(n - 1, seed).nodes();
        MerkleTree.nodesCompletedBy((level, index) -> {
            lookups[0]++;
            return prefix.node(level, index);
        }, n - 1, t.leafHashes().get(n - 1));
        assertThat(lookups[0]).as("append").isEqualTo(Integer.numberOfTrailingZeros(~(n - 1)));

        lookups[0] = 0;
        MerkleTree.inclusionProof(counting, x % n, n);
        assertThat(lookups[0]).as("inclusion").isLessThanOrEqualTo((long) bits * bits);

        lookups[0] = 0;
        MerkleTree.consistencyProof(counting, 1 + x % n, n);
        assertThat(lookups[0]).as("consistency").isLessThanOrEqualTo((long) bits * bits);
    }

    private static void rejectsInclusion(byte[] leaf, long i, long n, List<byte[]> proof, byte[] root,
                                         String message) {
        assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(leaf, i, n, proof, root))
                .as("leaf %d in size %d with %d hashes", i, n, proof.size())
                .isInstanceOf(LedgerVerificationException.class)
                .hasMessageContaining(message);
    }

    private static void rejectsConsistency(long m, long n, byte[] r1, byte[] r2, List<byte[]> proof,
                                           String message) {
        assertThatThrownBy(() -> MerkleVerifier.verifyConsistency(m, n, r1, r2, proof))
                .as("%d -> %d with %d hashes", m, n, proof.size())
                .isInstanceOf(LedgerVerificationException.class)
                .hasMessageContaining(message);
    }

    private static byte[] randomHash(Random r) {
        byte[] h = new byte[32];
        r.nextBytes(h);
        return h;
    }

    private static List<byte[]> copy(List<byte[]> proof) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] h : proof) {
            out.add(h.clone());
        }
        return out;
    }

    private static int smallestPowerOfTwoAtLeast(int n) {
        int p = 1;
        while (p < n) {
            p *= 2;
        }
        return p;
    }
}
