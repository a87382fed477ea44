package org.ttyaudit.server.verify;

import org.ttyaudit.server.store.Page;
import org.ttyaudit.server.store.SessionFilter;
import org.ttyaudit.server.store.SessionRecord;
import org.ttyaudit.server.store.SignedHeadRecord;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.store.StoreException;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Checks a server's store — database rows, chunk blobs and the Merkle ledger — and names exactly what is wrong
 * (docs/LEDGER.md, "Verifying a server's store offline"). In order:
 * <ol>
 *   <li>every session ({@link SessionCheck}): header, chunk chain and blobs, end record, derived index rows;</li>
 *   <li>every audit event ({@link AuditCheck}) and every alert ({@link AlertCheck}) against the hash its leaf
 *       records;</li>
 *   <li>the ledger ({@link LedgerCheck}): every leaf stored, decodable and accounted for by the row it names;
 *       every stored node recomputed from the leaves; every signed head's root and signature ({@link
 *       HeadCheck}).</li>
 * </ol>
 * Each row that points at a leaf is checked against it in steps 1–2 and recorded ({@link LeafClaims}); step 3
 * names the leaves no row accounts for.
 *
 * <p>Streams: sessions, chunks, audit events, leaves, nodes and heads are read a page at a time, so memory does
 * not grow with the store (apart from one bit per leaf, and one session's command and event rows at a time).
 * Reads only; it is meant for a stopped server or a copy of its data (on a running server, records written while
 * it runs can show up as problems). Not thread-safe; one {@link #verify()} per instance.
 */
public final class StoreVerifier {
    /** How many problem lines a report lists by default (all are counted). */
    public static final int DEFAULT_MAX_PROBLEM_LINES = 1000;
    private static final int SESSION_PAGE = 200;

    private final Store store;
    private final ChunkBlobs blobs;
    private final TrustedKey key;
    private final Problems problems;

    /**
     * @param blobs the blob store the chunk rows refer to
     * @param key   the key signed heads must verify with (and anything wrong about where it came from)
     */
    public StoreVerifier(Store store, ChunkBlobs blobs, TrustedKey key) {
        this(store, blobs, key, DEFAULT_MAX_PROBLEM_LINES);
    }

    public StoreVerifier(Store store, ChunkBlobs blobs, TrustedKey key, int maxProblemLines) {
        this.store = Objects.requireNonNull(store, "store");
        this.blobs = Objects.requireNonNull(blobs, "blobs");
        this.key = Objects.requireNonNull(key, "key");
        this.problems = new Problems(maxProblemLines);
    }

    /**
     * Runs every check. A read that fails half-way (a database too damaged to read) is reported as a problem
     * saying which part could not be checked; the other parts still run.
     */
    public StoreReport verify() {
        key.problems().forEach(problems::add);
        LeafClaims claims = new LeafClaims(store.ledger(), problems);
        SessionCheck sessions = new SessionCheck(store.sessions(), blobs, claims, problems);
        AuditCheck audit = new AuditCheck(store.audit(), claims);
        AlertCheck alerts = new AlertCheck(store.alerts(), claims);
        HeadCheck heads = new HeadCheck(store.ledger(), key, problems);
        LedgerCheck ledger = new LedgerCheck(store.ledger(), claims, new UnclaimedLeaves(store), heads, problems);

        guarded("the sessions", () -> eachSession(sessions));
        guarded("the audit log", audit::run);
        guarded("the alerts", alerts::run);
        guarded("the ledger", ledger::run);

        List<String> notes = new ArrayList<>();
        if (ledger.size() > 0 && heads.count() == 0) {
            problems.add("the ledger has " + ledger.size() + " leaves but no signed tree head — nothing shows it"
                    + " was not rewritten (were the signed heads deleted?)");
        }
        SignedHeadRecord latest = heads.latest();
        if (latest != null) {
            notes.add("latest signed head: tree size " + latest.treeSize() + ", root "
                    + HexFormat.of().formatHex(latest.rootHash()) + ", signed " + latest.signedAt() + " by "
                    + latest.keyId() + " — compare it with a copy kept outside the server");
        }
        if (heads.count() > 1 && heads.allRootsMatch()) {
            notes.add("the " + heads.count() + " signed heads are consistent: each root recomputes from the same"
                    + " leaves, so each later head extends every earlier one");
        }
        long unsigned = ledger.unsignedLeaves();
        if (unsigned > 0 && heads.count() > 0) {
            notes.add("the last " + unsigned + " ledger leaves (" + (ledger.size() - unsigned) + ".."
                    + (ledger.size() - 1) + ") are not covered by a signed head yet (the server signs every few"
                    + " seconds and when it stops; a crash can leave such a tail)");
        }
        if (sessions.pendingTextChunks() > 0) {
            notes.add("the output text of " + sessions.pendingTextChunks() + " chunks in "
                    + sessions.pendingTextSessions() + " sessions is not indexed for search yet (the server"
                    + " indexes output in the background after committing it; it catches up when it runs)");
        }
        if (sessions.prunedSessions() > 0) {
            notes.add(sessions.prunedSessions() + " sessions were pruned by retention: their content is gone;"
                    + " their chunk hashes, end records, ledger leaves and tombstones were checked");
        }
        StoreReport.Counts counts = new StoreReport.Counts(sessions.sessions(), sessions.chunks(), audit.count(),
                alerts.count(), ledger.leaves(), heads.count());
        return new StoreReport(problems.lines(), problems.count(), notes, counts);
    }

    private void eachSession(SessionCheck check) {
        String cursor = null;
        do {
            Page<SessionRecord> page = store.sessions().list(SessionFilter.all(), cursor, SESSION_PAGE);
            page.items().forEach(check::check);
            cursor = page.nextCursor();
        } while (cursor != null);
    }

    private void guarded(String part, Runnable check) {
        try {
            check.run();
        } catch (StoreException e) {
            problems.add("could not read " + part + " to the end (" + e.getMessage() + "); the rest of " + part
                    + " is not checked");
        }
    }
}
