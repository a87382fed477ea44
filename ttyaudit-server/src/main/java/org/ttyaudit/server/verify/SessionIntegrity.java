package org.ttyaudit.server.verify;

import org.ttyaudit.core.ledger.MerkleHashing;
import org.ttyaudit.core.ledger.MerkleVerifier;
import org.ttyaudit.core.ledger.SignedTreeHead;
import org.ttyaudit.core.ledger.TreeHeadVerifier;
import org.ttyaudit.server.blob.BlobStore;
import org.ttyaudit.server.ledger.LedgerProofs;
import org.ttyaudit.server.store.ChunkRecord;
import org.ttyaudit.server.store.SessionRecord;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.store.StoreException;

import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One session's integrity as the server itself can show it (the web UI's details page): its stored records
 * checked exactly as {@code ttyaudit verify --data} checks them ({@link SessionCheck}: header, the chain of chunk
 * hashes through every blob, the end record, the index rows, each row's ledger leaf), and each of its ledger
 * leaves (start, chunks, end) proven included in the latest signed tree head, whose signature is checked with
 * the server's key.
 *
 * <p>This shows that the server's store is consistent with its own signed ledger; it cannot show that the
 * operator did not rewrite both — that takes a head kept outside the server ({@code ttyaudit verify --server}).
 * Reads one page of chunk rows and one blob at a time. Thread-safe (each check has its own state).
 */
public final class SessionIntegrity {
    private static final int MAX_PROBLEM_LINES = 50;
    private static final int CHUNK_PAGE = 256;

    private final Store store;
    private final BlobStore blobs;
    private final LedgerProofs proofs;

    public SessionIntegrity(Store store, BlobStore blobs, LedgerProofs proofs) {
        this.store = store;
        this.blobs = blobs;
        this.proofs = proofs;
    }

    /**
     * @param chainOk   the stored records of the session have no problem
     * @param chunks    the chunks stored
     * @param complete  the session's end record is stored (a session whose recorder stopped sending is not)
     * @param ledger    the inclusion of its leaves in the signed ledger
     * @param problems  what is wrong, one line each (at most 50 kept; {@code problemCount} counts all)
     */
    public record Report(boolean chainOk, long chunks, boolean complete, LedgerPart ledger, List<String> problems,
                         long problemCount) {
        public Report {
            problems = List.copyOf(problems);
        }
    }

    /**
     * @param ok            the head's signature holds and every leaf it covers is proven included
     * @param treeSize      the head's tree size (0 when there is no head)
     * @param signedAt      the head's time, or null without a head
     * @param leavesChecked the session's leaves proven included
     * @param leavesPending the session's leaves newer than the head (not covered yet)
     */
    public record LedgerPart(boolean ok, long treeSize, Instant signedAt, long leavesChecked, long leavesPending) {
    }

    /** Checks {@code s} against {@code head} (empty when nothing was ever signed), signed by {@code key}. */
    public Report check(SessionRecord s, Optional<SignedTreeHead> head, PublicKey key) {
        Problems problems = new Problems(MAX_PROBLEM_LINES);
        SessionCheck chain = new SessionCheck(store.sessions(), ChunkBlobs.of(blobs, "blob "),
                new LeafClaims(store.ledger(), problems), problems);
        try {
            chain.check(s);
        } catch (StoreException e) {
            problems.add("session " + s.id() + ": could not be read to the end (" + e.getMessage() + ")");
        }
        boolean chainOk = problems.count() == 0;
        LedgerPart ledger = ledger(s, head, key, problems);
        return new Report(chainOk, chain.chunks(), s.ended(), ledger, problems.lines(), problems.count());
    }

    private LedgerPart ledger(SessionRecord s, Optional<SignedTreeHead> head, PublicKey key, Problems problems) {
        List<Long> leaves = leafIndexes(s);
        if (head.isEmpty()) {
            problems.add("the ledger has no signed tree head yet");
            return new LedgerPart(false, 0, null, 0, leaves.size());
        }
        SignedTreeHead h = head.get();
        boolean ok = true;
        if (!new TreeHeadVerifier(key).isValid(h)) {
            problems.add("the latest signed tree head (size " + h.head().treeSize() + ") does not verify with the"
                    + " server's key " + h.keyId());
            ok = false;
        }
        long size = h.head().treeSize();
        long checked = 0;
        long pending = 0;
        for (long index : leaves) {
            if (index >= size) {
                pending++;
                continue;
            }
            byte[] leafHash = MerkleHashing.leafHash(store.ledger().leafData(index));
            if (MerkleVerifier.isValidInclusion(leafHash, index, size, proofs.inclusion(index, size),
                    h.head().rootHash())) {
                checked++;
            } else {
                problems.add("session " + s.id() + ": ledger leaf " + index + " is not included in the signed tree"
                        + " head of size " + size);
                ok = false;
            }
        }
        return new LedgerPart(ok, size, h.head().timestamp(), checked, pending);
    }

    /** The ledger leaves of the session's records: its start, each chunk, its end, its tombstone when pruned. */
    private List<Long> leafIndexes(SessionRecord s) {
        List<Long> out = new ArrayList<>();
        out.add(s.ledgerIndex());
        long from = 0;
        while (true) {
            List<ChunkRecord> page = store.sessions().chunks(s.id(), from, CHUNK_PAGE);
            for (ChunkRecord c : page) {
                out.add(c.ledgerIndex());
            }
            if (page.size() < CHUNK_PAGE) {
                break;
            }
            from = page.get(page.size() - 1).seq() + 1;
        }
        if (s.end() != null) {
            out.add(s.end().ledgerIndex());
        }
        if (s.isPruned()) {
            out.add(s.pruned().ledgerIndex());
        }
        return out;
    }
}
