package org.ttyaudit.server.migrate;

import org.ttyaudit.core.ledger.MerkleHashing;
import org.ttyaudit.core.ledger.SignedTreeHead;
import org.ttyaudit.core.ledger.TreeHead;
import org.ttyaudit.core.ledger.TreeHeadVerifier;
import org.ttyaudit.server.store.LedgerLeaf;
import org.ttyaudit.server.store.LedgerReader;
import org.ttyaudit.server.store.SessionQueries;
import org.ttyaudit.server.store.SignedHeadRecord;

import java.security.PublicKey;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The ledger check at the end of a migration, through the target store's own reader: the root of the first N
 * leaves, recomputed from the leaves themselves (not the stored nodes), must be the root of the latest signed
 * head (size N), whose signature must verify with the server's key. If it holds, every inclusion and consistency
 * proof the source could give up to that head can be given by the target.
 */
final class LedgerCheck {

    private LedgerCheck() {
    }

    /**
     * @param key the server's public key, or null when it is not at hand (then the signature is not checked)
     * @return what was checked, for the summary
     * @throws MigrationException naming what does not match
     */
    static String check(LedgerReader ledger, PublicKey key, MigrationProgress progress) {
        Optional<SignedHeadRecord> latest = ledger.latestSignedHead();
        if (latest.isEmpty()) {
            return "ledger: " + ledger.size() + " leaves, no signed head to check";
        }
        SignedHeadRecord head = latest.get();
        progress.phase("ledger check", head.treeSize());
        byte[] root = rootOf(ledger, head.treeSize(), progress);
        if (!Arrays.equals(root, head.rootHash())) {
            throw new MigrationException("ledger: the root of the first " + head.treeSize() + " leaves in the target"
                    + " is " + HexFormat.of().formatHex(root) + ", the signed head says "
                    + HexFormat.of().formatHex(head.rootHash()));
        }
        String signature = "signature not checked (no ledger key)";
        if (key != null) {
            SignedTreeHead signed = new SignedTreeHead(new TreeHead(head.treeSize(), head.rootHash(), head.signedAt()),
                    head.keyId(), head.signature());
            if (!new TreeHeadVerifier(key).isValid(signed)) {
                throw new MigrationException("ledger: the signature of the head of size " + head.treeSize()
                        + " (key " + head.keyId() + ") does not verify with the data directory's ledger key");
            }
            signature = "signature valid (key " + head.keyId() + ")";
        }
        return "ledger: root of " + head.treeSize() + " leaves recomputed = the signed head of " + head.signedAt()
                + ", " + signature;
    }

    /** The RFC 6962 root of the first {@code size} leaves, over a stack of complete subtrees (O(log n) memory). */
    static byte[] rootOf(LedgerReader ledger, long size, MigrationProgress progress) {
        Deque<byte[]> stack = new ArrayDeque<>();
        Deque<Long> widths = new ArrayDeque<>();
        long next = 0;
        while (next < size) {
            List<LedgerLeaf> page = ledger.leaves(next, SessionQueries.MAX_PAGE);
            if (page.isEmpty() || page.get(0).index() != next) {
                throw new MigrationException("ledger: leaf " + next + " is missing in the target");
            }
            for (LedgerLeaf leaf : page) {
                if (next >= size) {
                    break;
                }
                if (leaf.index() != next) {
                    throw new MigrationException("ledger: leaf " + next + " is missing in the target");
                }
                byte[] hash = MerkleHashing.leafHash(leaf.data());
                long width = 1;
                while (!widths.isEmpty() && widths.peek() == width) {
                    hash = MerkleHashing.nodeHash(stack.pop(), hash);
                    width += widths.pop();
                }
                stack.push(hash);
                widths.push(width);
                next++;
            }
            progress.advance(next);
        }
        if (stack.isEmpty()) {
            return MerkleHashing.emptyRoot();
        }
        byte[] root = stack.pop();
        while (!stack.isEmpty()) {
            root = MerkleHashing.nodeHash(stack.pop(), root);
        }
        return root;
    }
}
