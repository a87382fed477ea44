package org.ttyaudit.server.verify;

import org.ttyaudit.core.ledger.LedgerEntry;
import org.ttyaudit.core.ledger.MerkleHashing;
import org.ttyaudit.server.store.LedgerLeaf;
import org.ttyaudit.server.store.LedgerReader;

import java.util.Arrays;
import java.util.List;

/**
 * One pass over the ledger's leaves in index order, a page at a time: each leaf must be stored (no gap) and
 * decode, and be accounted for by a row ({@link LeafClaims}, filled before); the tree is recomputed with a
 * {@link MerkleFrontier}, every node it completes is compared with the stored node, and every signed head is
 * checked when the leaves reach its size ({@link HeadCheck}). Afterwards, stored nodes that no leaf completes
 * and heads larger than the ledger are reported.
 *
 * <p>Memory stays bounded whatever the ledger's size: a page of leaves, a page of nodes per level, the frontier's
 * O(log n) hashes and a window of heads. Not thread-safe.
 */
final class LedgerCheck {
    private static final int PAGE = 1000;
    private static final byte[] UNKNOWN = new byte[MerkleHashing.HASH_LENGTH];

    private final LedgerReader ledger;
    private final LeafClaims claims;
    private final UnclaimedLeaves unclaimed;
    private final HeadCheck heads;
    private final Problems problems;
    private final StoredNodes nodes;
    private final MerkleFrontier frontier = new MerkleFrontier();
    private long leaves;
    private long size;

    LedgerCheck(LedgerReader ledger, LeafClaims claims, UnclaimedLeaves unclaimed, HeadCheck heads,
                Problems problems) {
        this.ledger = ledger;
        this.claims = claims;
        this.unclaimed = unclaimed;
        this.heads = heads;
        this.problems = problems;
        this.nodes = new StoredNodes(ledger);
    }

    void run() {
        size = ledger.size();
        heads.load(0, 0);
        heads.atSize(0, frontier::root);
        long next = 0;
        while (next < size) {
            List<LedgerLeaf> page = ledger.leaves(next, PAGE);
            // the size is the highest stored index + 1, so a page is never empty before the end
            long pageEnd = page.isEmpty() ? size : page.get(page.size() - 1).index() + 1;
            heads.load(next + 1, pageEnd);
            for (LedgerLeaf leaf : page) {
                while (next < leaf.index()) {
                    missing(next++);
                }
                present(leaf);
                next++;
            }
            while (page.isEmpty() && next < size) {
                missing(next++);
            }
        }
        nodes.forEachUncompleted(size, n -> problems.add("ledger node (level " + n.level() + ", index "
                + n.index() + ") is stored, but the " + size + " leaves do not complete it — leaves were removed"));
        heads.beyond(size);
    }

    private void present(LedgerLeaf leaf) {
        leaves++;
        long index = leaf.index();
        try {
            LedgerEntry entry = LedgerEntry.fromLeafData(leaf.data());
            if (!claims.claimed(index)) {
                problems.add(unclaimed.explain(index, entry));
            }
        } catch (IllegalArgumentException e) {
            problems.add("ledger leaf " + index + " does not decode: " + e.getMessage());
        }
        append(index, MerkleHashing.leafHash(leaf.data()), true);
    }

    /**
     * A leaf that is not stored: the tree goes on with its stored level-0 node when there is one (so the rest
     * of the tree can still be checked), else with an unknown hash (and every later root will differ).
     */
    private void missing(long index) {
        problems.add("ledger leaf " + index + " is missing from the database — deleted");
        byte[] stored = nodes.take(0, index);
        append(index, stored != null ? stored : UNKNOWN, false);
    }

    private void append(long index, byte[] leafHash, boolean leafStored) {
        frontier.append(leafHash, (level, position, computed, belowDiffers) -> {
            if (level == 0 && !leafStored) {
                return false;   // its stored node was already taken as the leaf hash
            }
            byte[] stored = nodes.take(level, position);
            String node = "node (level " + level + ", index " + position + ")";
            if (stored == null) {
                problems.add("ledger leaf " + index + ": " + node + " is missing from the database");
                return false;
            }
            if (Arrays.equals(stored, computed)) {
                return false;
            }
            if (!belowDiffers) {
                problems.add("ledger leaf " + index + ": " + node + " stored as " + Shown.hash(stored) + " but the "
                        + (level == 0 ? "leaf data hashes to " : "leaves give ") + Shown.hash(computed));
            }
            return true;
        });
        heads.atSize(index + 1, frontier::root);
    }

    long leaves() {
        return leaves;
    }

    long size() {
        return size;
    }

    /** The number of leaves after the latest signed head's size (not yet signed), 0 when all are covered. */
    long unsignedLeaves() {
        return heads.latest() == null ? size : Math.max(0, size - heads.latest().treeSize());
    }
}
