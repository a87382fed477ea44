package org.ttyaudit.server.verify;

import org.junit.jupiter.api.Test;
import org.ttyaudit.core.ledger.InMemoryTreeNodes;
import org.ttyaudit.core.ledger.MerkleHashing;
import org.ttyaudit.core.ledger.MerkleTree;
import org.ttyaudit.core.ledger.Node;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The frontier against core's tree over stored nodes: the same completed nodes and the same root at every size. */
class MerkleFrontierTest {

    @Test
    void completesTheNodesTheServerStoresAndGivesEveryRoot() {
        InMemoryTreeNodes tree = new InMemoryTreeNodes();
        MerkleFrontier frontier = new MerkleFrontier();
        assertThat(frontier.root()).isEqualTo(MerkleHashing.emptyRoot());
        for (int i = 0; i < 300; i++) {
            byte[] leaf = MerkleHashing.leafHash(ByteBuffer.allocate(4).putInt(i).array());
            List<Node> expected = MerkleTree.nodesCompletedBy(tree, i, leaf);
            List<Node> completed = new ArrayList<>();
            frontier.append(leaf, (level, index, hash, below) -> {
                completed.add(new Node(level, index, hash));
                return false;
            });
            tree.appendLeafHash(leaf);

            assertThat(completed).as("leaf %d", i).isEqualTo(expected);
            assertThat(frontier.root()).as("root of %d leaves", i + 1).isEqualTo(MerkleTree.root(tree, i + 1));
        }
    }

    @Test
    void aDifferenceIsPassedUpSoAncestorsAreNotReportedAgain() {
        MerkleFrontier frontier = new MerkleFrontier();
        List<String> reported = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int leafIndex = i;
            frontier.append(MerkleHashing.leafHash(new byte[] {(byte) i}), (level, index, hash, below) -> {
                boolean differs = level == 0 && leafIndex == 2 || level == 1 && index == 3;
                if (differs && !below) {
                    reported.add(level + "/" + index);
                }
                return differs;
            });
        }

        // (0,2) differs; its ancestors (1,1), (2,0), (3,0) are told "below differs"; (1,3) differs on its own
        assertThat(reported).containsExactly("0/2", "1/3");
    }
}
