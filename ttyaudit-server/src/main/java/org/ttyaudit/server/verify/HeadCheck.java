package org.ttyaudit.server.verify;

import org.ttyaudit.core.ledger.SignedTreeHead;
import org.ttyaudit.core.ledger.TreeHeadVerifier;
import org.ttyaudit.server.ledger.TreeHeadPublisher;
import org.ttyaudit.server.store.LedgerReader;
import org.ttyaudit.server.store.SignedHeadRecord;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * Checks the signed tree heads while the ledger is recomputed: each head's signature with the trusted key, and
 * its root against the root of the first {@code treeSize} leaves (heads are read in windows of tree sizes just
 * ahead of the leaves, so they need not all be in memory). A head whose root the leaves do not give means the
 * ledger was rewritten after it was signed; a head larger than the ledger, that leaves were removed.
 *
 * <p>Heads of different sizes are consistent with one another (each extends the one before, as an RFC 6962
 * consistency proof would show) exactly when their roots all recompute from the same leaves, so no separate
 * proof is needed once every root matches; {@link #allRootsMatch()} says so.
 *
 * <p>Not thread-safe.
 */
final class HeadCheck {
    private final LedgerReader ledger;
    private final TreeHeadVerifier verifier;
    private final String keyDescription;
    private final Problems problems;
    private final Deque<SignedHeadRecord> window = new ArrayDeque<>();

    private long count;
    private boolean allRootsMatch = true;
    private long lastMatchingSize = -1;
    private SignedHeadRecord latest;

    HeadCheck(LedgerReader ledger, TrustedKey key, Problems problems) {
        this.ledger = ledger;
        this.verifier = key.key() == null ? null : new TreeHeadVerifier(key.key());
        this.keyDescription = key.description();
        this.problems = problems;
    }

    /** Reads the heads of tree sizes {@code fromSize}..{@code toSize}; call before the leaves that reach them. */
    void load(long fromSize, long toSize) {
        if (fromSize <= toSize) {
            window.addAll(ledger.signedHeads(fromSize, toSize));
        }
    }

    /** Checks the loaded heads of tree size {@code size}, now that the first {@code size} leaves are in. */
    void atSize(long size, Supplier<byte[]> root) {
        byte[] computed = null;
        while (!window.isEmpty() && window.peekFirst().treeSize() <= size) {
            SignedHeadRecord h = window.pollFirst();
            if (h.treeSize() < size) {
                continue;   // loaded twice by overlapping windows; already checked
            }
            computed = computed == null ? root.get() : computed;
            check(h, computed);
        }
    }

    /** Checks the heads larger than the ledger: the leaves they cover are gone. */
    void beyond(long ledgerSize) {
        for (SignedHeadRecord h : ledger.signedHeads(ledgerSize + 1, Long.MAX_VALUE)) {
            seen(h);
            String where = where(h);
            signature(h, where);
            allRootsMatch = false;
            problems.add(where + ": the ledger has only " + ledgerSize + " leaves — leaves were removed after it"
                    + " was signed");
        }
    }

    private void check(SignedHeadRecord h, byte[] computed) {
        seen(h);
        String where = where(h);
        signature(h, where);
        if (Arrays.equals(h.rootHash(), computed)) {
            lastMatchingSize = h.treeSize();
            return;
        }
        allRootsMatch = false;
        String since = lastMatchingSize >= 0 && lastMatchingSize < h.treeSize()
                ? " (the head at tree size " + lastMatchingSize + " still matches, so what changed is among leaves "
                + lastMatchingSize + ".." + (h.treeSize() - 1) + ")"
                : "";
        problems.add(where + ": root differs from the leaves — the ledger was rewritten after it was signed (signed"
                + " root " + Shown.hash(h.rootHash()) + ", the leaves give " + Shown.hash(computed) + ")" + since);
    }

    private void signature(SignedHeadRecord h, String where) {
        if (verifier == null) {
            return;   // the key's problem is reported once, not for every head
        }
        if (!verifier.keyId().equals(h.keyId())) {
            problems.add(where + ": signed by key " + h.keyId() + ", but the trusted key is " + keyDescription
                    + " — the signing key was replaced, or the head was not made by this server");
            return;
        }
        SignedTreeHead signed;
        try {
            signed = TreeHeadPublisher.toSigned(h);
        } catch (IllegalArgumentException e) {
            problems.add(where + ": malformed: " + e.getMessage());
            return;
        }
        if (!verifier.isValid(signed)) {
            problems.add(where + ": signature does not verify with " + keyDescription
                    + " — the head was altered or forged");
        }
    }

    private void seen(SignedHeadRecord h) {
        count++;
        if (latest == null || h.treeSize() >= latest.treeSize()) {
            latest = h;
        }
    }

    private static String where(SignedHeadRecord h) {
        return "signed head at tree size " + h.treeSize() + " (signed " + h.signedAt() + ")";
    }

    long count() {
        return count;
    }

    boolean allRootsMatch() {
        return allRootsMatch;
    }

    /** The head of the largest tree size (the last signed among equals), or null when there is none. */
    SignedHeadRecord latest() {
        return latest;
    }
}
