package org.ttyaudit.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the verifier says when a proof fails: one line naming the proof, the sizes and what did not match. */
class MerkleVerifierTest {

    private static InMemoryTreeNodes tree(int size, int replacedLeaf) {
        InMemoryTreeNodes t = new InMemoryTreeNodes();
        for (int i = 0; i < size; i++) {
            t.append(("leaf " + i + (i == replacedLeaf ? " (forged)" : "")).getBytes());
        }
        return t;
    }

    @Test
    void wrongLeafNamesTheComputedAndTheExpectedRoot() {
        InMemoryTreeNodes real = tree(12, -1);
        InMemoryTreeNodes forged = tree(12, 5);
        List<byte[]> proof = MerkleTree.inclusionProof(real, 5, 12);
        // The same siblings with the forged leaf compute the forged tree's root.
        assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(forged.node(0, 5), 5, 12, proof, real.root()))
                .isInstanceOf(LedgerVerificationException.class)
                .hasMessage("inclusion proof for leaf 5 in tree of size 12 does not lead to the root: computed "
                        + MerkleHashing.hex(forged.root()) + ", expected " + MerkleHashing.hex(real.root()));
    }

    @Test
    void proofOfTheWrongLengthSaysHowLongItShouldBe() {
        InMemoryTreeNodes t = tree(12, -1);
        List<byte[]> proof = MerkleTree.inclusionProof(t, 5, 12);
        assertThat(proof).hasSize(4);
        assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(t.node(0, 5), 5, 12, proof.subList(0, 3), t.root()))
                .isInstanceOf(LedgerVerificationException.class)
                .hasMessage("inclusion proof for leaf 5 in tree of size 12 has 3 hashes, expected 4");

        List<byte[]> consistency = MerkleTree.consistencyProof(t, 5, 12);
        List<byte[]> longer = new ArrayList<>(consistency);
        longer.add(t.root());
        assertThatThrownBy(() -> MerkleVerifier.verifyConsistency(5, 12, MerkleTree.root(t, 5), t.root(), longer))
                .isInstanceOf(LedgerVerificationException.class)
                .hasMessage("consistency proof from tree size 5 to 12 has " + longer.size() + " hashes, expected "
                        + consistency.size());
    }

    @Test
    void malformedHashesAreNamed() {
        InMemoryTreeNodes t = tree(12, -1);
        List<byte[]> proof = new ArrayList<>(MerkleTree.inclusionProof(t, 5, 12));
        proof.set(1, new byte[31]);
        assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(t.node(0, 5), 5, 12, proof, t.root()))
                .hasMessage("inclusion proof for leaf 5 in tree of size 12: hash #1 of the proof is 31 bytes,"
                        + " expected 32");
        assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(t.node(0, 5), 5, 12, proof, new byte[20]))
                .hasMessage("inclusion proof for leaf 5 in tree of size 12: the root hash is 20 bytes, expected 32");
        assertThatThrownBy(() -> MerkleVerifier.verifyConsistency(3, 12, new byte[33], t.root(), List.of()))
                .hasMessage("consistency proof from tree size 3 to 12: the old root hash is 33 bytes, expected 32");
    }

    @Test
    void impossibleSizesAreNamed() {
        byte[] h = MerkleHashing.emptyRoot();
        assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(h, 12, 12, List.of(), h))
                .hasMessage("inclusion proof for leaf 12 in tree of size 12: the leaf index is not in the tree");
        assertThatThrownBy(() -> MerkleVerifier.verifyConsistency(9, 8, h, h, List.of()))
                .hasMessage("consistency proof from tree size 9 to 8: the old tree is larger than the new one (a log"
                        + " never shrinks)");
        byte[] other = MerkleHashing.leafHash(new byte[0]);
        assertThatThrownBy(() -> MerkleVerifier.verifyConsistency(8, 8, h, other, List.of()))
                .hasMessage("consistency proof from tree size 8 to 8: two trees of the same size have different"
                        + " roots: " + MerkleHashing.hex(h) + " and " + MerkleHashing.hex(other));
        assertThatThrownBy(() -> MerkleVerifier.verifyConsistency(0, 8, other, h, List.of()))
                .hasMessage("consistency proof from tree size 0 to 8: the old root of an empty tree must be "
                        + MerkleHashing.hex(h) + ", not " + MerkleHashing.hex(other));
    }

    @Test
    void rewrittenHistoryIsCaughtByTheOldRoot() {
        InMemoryTreeNodes real = tree(12, -1);
        InMemoryTreeNodes rewritten = tree(12, 2);
        // The operator rewrote leaf 2 after signing the head of size 6, and proves consistency from the new tree.
        List<byte[]> proof = MerkleTree.consistencyProof(rewritten, 6, 12);
        assertThatThrownBy(() -> MerkleVerifier.verifyConsistency(6, 12, MerkleTree.root(real, 6), rewritten.root(),
                proof))
                .isInstanceOf(LedgerVerificationException.class)
                .hasMessage("consistency proof from tree size 6 to 12 does not lead to the old root: computed "
                        + MerkleHashing.hex(MerkleTree.root(rewritten, 6)) + ", expected "
                        + MerkleHashing.hex(MerkleTree.root(real, 6)));
    }

    @Test
    void expectedLengthsAreTheReferenceLengths() {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            leaves.add(new byte[]{(byte) i});
        }
        RfcReference ref = new RfcReference(leaves);
        for (int n = 1; n <= 70; n++) {
            for (int m = 0; m < n; m++) {
                assertThat(MerkleVerifier.inclusionProofLength(m, n)).as("PATH(%d, %d)", m, n)
                        .isEqualTo(ref.path(m, n).size());
                if (m > 0) {
                    assertThat(MerkleVerifier.consistencyProofLength(m, n)).as("PROOF(%d, %d)", m, n)
                            .isEqualTo(ref.proof(m, n).size());
                }
            }
        }
    }

    @Test
    void treeArgumentsAreChecked() {
        InMemoryTreeNodes t = tree(5, -1);
        assertThatThrownBy(() -> MerkleTree.consistencyProof(t, 6, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("old tree size 6 is larger than new tree size 5");
        assertThatThrownBy(() -> MerkleTree.inclusionProof(t, 5, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("leaf index 5 is not in a tree of size 5");
        assertThatThrownBy(() -> MerkleTree.root(t, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(MerkleTree.consistencyProof(t, 0, 5)).isEmpty();
        assertThat(MerkleTree.consistencyProof(t, 5, 5)).isEmpty();
        // A size beyond what is stored asks the store for a node it does not have (for 6: node (1, 2)).
        assertThatThrownBy(() -> MerkleTree.root(t, 6)).isInstanceOf(java.util.NoSuchElementException.class)
                .hasMessage("no Merkle node at level 1, index 2 in a tree of 5 leaves");
    }
}
