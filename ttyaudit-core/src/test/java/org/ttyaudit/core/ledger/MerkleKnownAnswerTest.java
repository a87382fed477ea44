package org.ttyaudit.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/**
 * The RFC 6962 test vectors that Certificate Transparency implementations share: eight leaves, every complete
 * subtree node, the roots of the trees of sizes 0..8, and inclusion and consistency proofs.
 *
 * <p>Source: github.com/transparency-dev/merkle (the successor of google/certificate-transparency-go's merkle
 * package): {@code testonly/constants.go} (LeafInputs, NodeHashes, RootHashes, EmptyRootHash) and
 * {@code proof/verify_test.go} (inclusionProofs, consistencyProofs; its leaf numbers are 1-based, converted to
 * 0-based indexes here). The tampering probes mirror {@code corruptInclusionProof}/{@code corruptConsistencyProof}
 * in that file.
 */
class MerkleKnownAnswerTest {

    private static final String[] LEAF_INPUTS = {
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"};

    private static final String[][] NODE_HASHES = {{
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    }, {
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    }, {
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    }, {
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    }};

    /** Indexed by tree size 0..8. */
    private static final String[] ROOTS = {
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    };

    private record InclusionVector(int leafIndex, int treeSize, String... proof) {
    }

    private record ConsistencyVector(int oldSize, int newSize, String... proof) {
    }

    private static final List<InclusionVector> INCLUSION = List.of(
            new InclusionVector(0, 1),
            new InclusionVector(0, 8,
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
            new InclusionVector(5, 8,
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            new InclusionVector(2, 3,
                    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
            new InclusionVector(1, 5,
                    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"));

    private static final List<ConsistencyVector> CONSISTENCY = List.of(
            new ConsistencyVector(1, 1),
            new ConsistencyVector(1, 8,
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
            new ConsistencyVector(6, 8,
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            new ConsistencyVector(2, 5,
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            new ConsistencyVector(6, 7,
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"));

    private static final byte[] SOME_HASH =
            hex("abacaba000000000000000000000000000000000000000000060061e00123456");

    @Test
    void emptyRootIsSha256OfNothing() {
        assertThat(MerkleHashing.emptyRoot()).isEqualTo(hex(ROOTS[0]));
        assertThat(MerkleTree.root(new InMemoryTreeNodes(), 0)).isEqualTo(hex(ROOTS[0]));
    }

    @Test
    void leafHashesAreTheLevelZeroNodes() {
        for (int i = 0; i < LEAF_INPUTS.length; i++) {
            assertThat(MerkleHashing.leafHash(hex(LEAF_INPUTS[i]))).as("leaf %d", i).isEqualTo(hex(NODE_HASHES[0][i]));
        }
    }

    @Test
    void appendingStoresExactlyTheKnownCompleteSubtrees() {
        InMemoryTreeNodes tree = eightLeafTree();
        for (int level = 0; level < NODE_HASHES.length; level++) {
            for (int index = 0; index < NODE_HASHES[level].length; index++) {
                assertThat(tree.node(level, index)).as("node (%d, %d)", level, index)
                        .isEqualTo(hex(NODE_HASHES[level][index]));
            }
            int missingIndex = NODE_HASHES[level].length;
            int missingLevel = level;
            assertThatThrownBy(() -> tree.node(missingLevel, missingIndex))
                    .isInstanceOf(NoSuchElementException.class);
        }
        assertThatThrownBy(() -> tree.node(NODE_HASHES.length, 0)).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void eachAppendReturnsTheLeafAndTheParentsItCompletes() {
        InMemoryTreeNodes tree = new InMemoryTreeNodes();
        for (int i = 0; i < LEAF_INPUTS.length; i++) {
            byte[] leafHash = MerkleHashing.leafHash(hex(LEAF_INPUTS[i]));
            List<Node> completed = MerkleTree.nodesCompletedBy(tree, i, leafHash);
            List<Node> expected = new ArrayList<>();
            // Leaf i completes the node at level l exactly when the l lowest bits of i are all ones.
            for (int level = 0; level <= Integer.numberOfTrailingZeros(~i); level++) {
                int index = i >> level;
                expected.add(new Node(level, index, hex(NODE_HASHES[level][index])));
            }
            assertThat(completed).as("leaf %d", i).isEqualTo(expected);
            assertThat(tree.appendLeafHash(leafHash)).isEqualTo(i);
        }
    }

    @Test
    void rootsOfEverySizeMatch() {
        InMemoryTreeNodes tree = eightLeafTree();
        for (int size = 0; size <= 8; size++) {
            assertThat(MerkleTree.root(tree, size)).as("root of size %d", size).isEqualTo(hex(ROOTS[size]));
        }
        InMemoryTreeNodes growing = new InMemoryTreeNodes();
        for (int size = 1; size <= 8; size++) {
            growing.append(hex(LEAF_INPUTS[size - 1]));
            assertThat(growing.root()).as("root after %d appends", size).isEqualTo(hex(ROOTS[size]));
        }
    }

    @Test
    void inclusionProofsMatchAndVerify() {
        InMemoryTreeNodes tree = eightLeafTree();
        for (InclusionVector v : INCLUSION) {
            List<byte[]> expected = hexList(v.proof());
            List<byte[]> proof = MerkleTree.inclusionProof(tree, v.leafIndex(), v.treeSize());
            assertThat(proof).as("%s", v).containsExactlyElementsOf(expected);
            byte[] leafHash = MerkleHashing.leafHash(hex(LEAF_INPUTS[v.leafIndex()]));
            MerkleVerifier.verifyInclusion(leafHash, v.leafIndex(), v.treeSize(), expected, hex(ROOTS[v.treeSize()]));
        }
    }

    @Test
    void corruptedInclusionProofsFail() {
        for (InclusionVector v : INCLUSION) {
            long i = v.leafIndex();
            long n = v.treeSize();
            List<byte[]> proof = hexList(v.proof());
            byte[] root = hex(ROOTS[v.treeSize()]);
            byte[] leaf = MerkleHashing.leafHash(hex(LEAF_INPUTS[v.leafIndex()]));
            assertRejectsInclusion(leaf, i - 1, n, proof, root);
            assertRejectsInclusion(leaf, i + 1, n, proof, root);
            assertRejectsInclusion(leaf, i ^ 2, n, proof, root);
            assertRejectsInclusion(leaf, i, n * 2, proof, root);
            assertRejectsInclusion(leaf, i, n / 2, proof, root);
            assertRejectsInclusion(SOME_HASH, i, n, proof, root);
            assertRejectsInclusion(leaf, i, n, proof, MerkleHashing.emptyRoot());
            assertRejectsInclusion(leaf, i, n, proof, SOME_HASH);
            assertRejectsInclusion(leaf, i, n, with(proof, proof.size(), root), root);
            assertRejectsInclusion(leaf, i, n, with(proof, 0, root), root);
            for (int k = 0; k < proof.size(); k++) {
                List<byte[]> flipped = copy(proof);
                flipped.get(k)[0] ^= 8;
                assertRejectsInclusion(leaf, i, n, flipped, root);
            }
            if (!proof.isEmpty()) {
                assertRejectsInclusion(leaf, i, n, proof.subList(0, proof.size() - 1), root);
            }
            if (proof.size() > 1) {
                assertRejectsInclusion(leaf, i, n, with(proof, 1, SOME_HASH), root);
            }
        }
    }

    @Test
    void consistencyProofsMatchAndVerify() {
        InMemoryTreeNodes tree = eightLeafTree();
        for (ConsistencyVector v : CONSISTENCY) {
            List<byte[]> expected = hexList(v.proof());
            assertThat(MerkleTree.consistencyProof(tree, v.oldSize(), v.newSize())).as("%s", v)
                    .containsExactlyElementsOf(expected);
            MerkleVerifier.verifyConsistency(v.oldSize(), v.newSize(), hex(ROOTS[v.oldSize()]),
                    hex(ROOTS[v.newSize()]), expected);
        }
    }

    @Test
    void corruptedConsistencyProofsFail() {
        for (ConsistencyVector v : CONSISTENCY) {
            List<byte[]> proof = hexList(v.proof());
            if (proof.isEmpty()) {
                continue;
            }
            long m = v.oldSize();
            long n = v.newSize();
            byte[] r1 = hex(ROOTS[v.oldSize()]);
            byte[] r2 = hex(ROOTS[v.newSize()]);
            assertRejectsConsistency(m - 1, n, r1, r2, proof);
            assertRejectsConsistency(m + 1, n, r1, r2, proof);
            assertRejectsConsistency(m ^ 2, n, r1, r2, proof);
            assertRejectsConsistency(m, n * 2, r1, r2, proof);
            assertRejectsConsistency(m, n / 2, r1, r2, proof);
            assertRejectsConsistency(m, n, SOME_HASH, r2, proof);
            assertRejectsConsistency(m, n, r1, SOME_HASH, proof);
            assertRejectsConsistency(m, n, r2, r1, proof);
            assertRejectsConsistency(m, n, r1, r2, List.of());
            assertRejectsConsistency(m, n, r1, r2, with(proof, proof.size(), r1));
            assertRejectsConsistency(m, n, r1, r2, with(proof, proof.size(), r2));
            assertRejectsConsistency(m, n, r1, r2, with(proof, 0, r1));
            assertRejectsConsistency(m, n, r1, r2, with(proof, 0, r2));
            assertRejectsConsistency(m, n, r1, r2, with(proof, 0, proof.get(0)));
            assertRejectsConsistency(m, n, r1, r2, proof.subList(0, proof.size() - 1));
            for (int k = 0; k < proof.size(); k++) {
                List<byte[]> flipped = copy(proof);
                flipped.get(k)[0] ^= 16;
                assertRejectsConsistency(m, n, r1, r2, flipped);
            }
        }
    }

    @Test
    void trivialConsistencyCasesFromTheReferenceSuite() {
        byte[] empty = MerkleHashing.emptyRoot();
        byte[] a = RfcReference.sha256("don't care 1".getBytes());
        byte[] b = RfcReference.sha256("don't care 2".getBytes());
        // Always consistent: a tree with itself, and the empty tree with anything (its root is fixed).
        MerkleVerifier.verifyConsistency(0, 0, empty, empty, List.of());
        MerkleVerifier.verifyConsistency(0, 1, empty, b, List.of());
        MerkleVerifier.verifyConsistency(1, 1, b, b, List.of());
        // Same size, different roots.
        assertRejectsConsistency(0, 0, a, b, List.of());
        assertRejectsConsistency(1, 1, a, b, List.of());
        assertRejectsConsistency(1, 1, empty, b, List.of());
        // Time travel to the past.
        assertRejectsConsistency(1, 0, a, b, List.of());
        assertRejectsConsistency(2, 1, a, b, List.of());
        // A real step needs a proof.
        assertRejectsConsistency(1, 2, a, b, List.of());
        // Nothing to prove, but a proof anyway.
        assertRejectsConsistency(0, 0, empty, empty, List.of(empty));
        assertRejectsConsistency(0, 1, empty, empty, List.of(empty));
        assertRejectsConsistency(1, 1, empty, empty, List.of(empty));
        // The empty tree's root is not a free choice.
        assertRejectsConsistency(0, 1, a, b, List.of());
    }

    @Test
    void singleLeafTreeInclusion() {
        byte[] hash = MerkleHashing.leafHash("data".getBytes());
        MerkleVerifier.verifyInclusion(hash, 0, 1, List.of(), hash);
        assertRejectsInclusion(hash, 0, 1, List.of(), SOME_HASH);
        assertRejectsInclusion(SOME_HASH, 0, 1, List.of(), hash);
        assertRejectsInclusion(hash, 0, 1, List.of(), new byte[0]);
        assertRejectsInclusion(new byte[0], 0, 1, List.of(), hash);
        for (long[] p : new long[][]{{0, 0}, {1, 0}, {2, 1}, {1, 1}, {-1, 1}}) {
            assertRejectsInclusion(SOME_HASH, p[0], p[1], List.of(), MerkleHashing.emptyRoot());
        }
    }

    private static InMemoryTreeNodes eightLeafTree() {
        InMemoryTreeNodes tree = new InMemoryTreeNodes();
        for (String leaf : LEAF_INPUTS) {
            tree.append(hex(leaf));
        }
        return tree;
    }

    private static void assertRejectsInclusion(byte[] leaf, long index, long size, List<byte[]> proof, byte[] root) {
        assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(leaf, index, size, proof, root))
                .as("leaf %d, size %d, %d hashes", index, size, proof.size())
                .isInstanceOf(LedgerVerificationException.class);
        assertThat(MerkleVerifier.isValidInclusion(leaf, index, size, proof, root)).isFalse();
    }

    private static void assertRejectsConsistency(long m, long n, byte[] r1, byte[] r2, List<byte[]> proof) {
        assertThatThrownBy(() -> MerkleVerifier.verifyConsistency(m, n, r1, r2, proof))
                .as("%d -> %d, %d hashes", m, n, proof.size())
                .isInstanceOf(LedgerVerificationException.class);
        assertThat(MerkleVerifier.isValidConsistency(m, n, r1, r2, proof)).isFalse();
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static List<byte[]> hexList(String... hashes) {
        List<byte[]> out = new ArrayList<>();
        for (String h : hashes) {
            out.add(hex(h));
        }
        return out;
    }

    private static List<byte[]> copy(List<byte[]> proof) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] h : proof) {
            out.add(h.clone());
        }
        return out;
    }

    private static List<byte[]> with(List<byte[]> proof, int at, byte[] extra) {
        List<byte[]> out = new ArrayList<>(proof);
        out.add(at, extra);
        return out;
    }
}
