package org.ttyaudit.server.retention;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttyaudit.core.ledger.LedgerEntry;
import org.ttyaudit.server.audit.AuditLog;
import org.ttyaudit.server.blob.BlobStore;
import org.ttyaudit.server.ledger.Ledger;
import org.ttyaudit.server.store.ChunkRecord;
import org.ttyaudit.server.store.LegalHold;
import org.ttyaudit.server.store.PruneCandidate;
import org.ttyaudit.server.store.PruneInfo;
import org.ttyaudit.server.store.SessionRecord;
import org.ttyaudit.server.store.Store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pruning job (docs/RETENTION.md): deletes the content of sessions older than their keep time that no legal
 * hold covers, and keeps what the ledger needs. A session's age counts from its end, or, when its recorder never
 * sent one (killed, host gone), from its last activity; the tombstone of such a session also closes it: ingest
 * refuses any later chunk or end of a pruned session.
 *
 * <p>One {@link #round()} prunes at most a batch of sessions, in this order, so that kill -9 at any point leaves a
 * consistent store:
 * <ol>
 *   <li>One transaction: for each session (holds and state checked again inside it), a TOMBSTONE ledger leaf naming
 *       its last chunk and that chunk's hash, its command, event and output text rows deleted, the session marked
 *       pruned with its blobs pending deletion; and one audit event {@code retention.prune} for the batch (count,
 *       bytes freed, sessions and policies). All of it commits, or none of it.</li>
 *   <li>After the commit, the chunk blobs are deleted, then the sessions are marked as having no blobs left. A
 *       crash before that leaves blobs that nothing reads; the next round (the first one runs at start) deletes
 *       them again, which is harmless for blobs already gone.</li>
 * </ol>
 * Candidates are read in order of their age, a page at a time, from where the previous round stopped; a run ends
 * when the list is exhausted. Thread-safe: rounds run one at a time (the worker's, and {@link #pruneAll} from a
 * test or tool).
 */
public final class Pruner {
    private static final Logger log = LoggerFactory.getLogger(Pruner.class);
    /** The actor of the audit events the job writes. */
    public static final String ACTOR = "retention";
    private static final int CANDIDATE_PAGE = 500;
    private static final int CHUNK_PAGE = 1000;
    /** At most this many session ids are listed in one audit event (the count is always exact). */
    private static final int LISTED_SESSIONS = 200;

    private final Store store;
    private final BlobStore blobs;
    private final Ledger ledger;
    private final AuditLog audit;
    private final RetentionSettings settings;
    private final Clock clock;
    private final AtomicLong prunedSessions = new AtomicLong();
    private final AtomicLong freedBytes = new AtomicLong();
    private volatile Instant lastRunCompleted;
    /** Where the scan of candidates goes on from (the last candidate weighed), null at the start of a run. */
    private Instant afterAgedFrom;
    private UUID afterId;

    public Pruner(Store store, BlobStore blobs, Ledger ledger, AuditLog audit, RetentionSettings settings,
                  Clock clock) {
        this.store = store;
        this.blobs = blobs;
        this.ledger = ledger;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock;
    }

    /** A session found due, and the policy that made it so. */
    private record Due(UUID id, Keep keep) {
    }

    /**
     * Deletes blobs left by an earlier prune, then prunes up to a batch of due sessions.
     *
     * @return how many sessions it pruned or cleaned up after (0: nothing was left to do)
     */
    public synchronized int round() {
        int cleaned = deletePendingBlobs();
        if (!settings.prunes()) {
            return cleaned;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<Due> due = findDue(now);
        if (due.isEmpty()) {
            return cleaned;
        }
        List<UUID> pruned = prune(due, now);
        deleteBlobs(pruned);
        // at least 1 even when a hold placed since the scan spared the whole batch: the scan is not finished
        return cleaned + Math.max(pruned.size(), 1);
    }

    /** Runs rounds until nothing is due (for tests and tools); returns the sessions pruned. */
    public synchronized long pruneAll() {
        long before = prunedSessions.get();
        while (round() > 0) {
            // next round
        }
        return prunedSessions.get() - before;
    }

    public long prunedSessions() {
        return prunedSessions.get();
    }

    public long freedBytes() {
        return freedBytes.get();
    }

    /** When the last run went through every candidate, or null before the first. */
    public Instant lastRunCompleted() {
        return lastRunCompleted;
    }

    private List<Due> findDue(Instant now) {
        List<LegalHold> holds = store.retention().holds(false);
        Instant agedBefore = now.minus(Duration.ofDays(settings.shortestKeepDays()));
        List<Due> due = new ArrayList<>();
        while (due.size() < settings.batch()) {
            List<PruneCandidate> page = store.retention().pruneCandidates(agedBefore, afterAgedFrom, afterId,
                    CANDIDATE_PAGE);
            for (PruneCandidate c : page) {
                afterAgedFrom = c.agedFrom();
                afterId = c.id();
                Keep keep = settings.keepFor(c);
                if (isDue(c.agedFrom(), keep, now)
                        && holds.stream().noneMatch(h -> h.covers(c.id(), c.user(), c.host()))) {
                    due.add(new Due(c.id(), keep));
                    if (due.size() == settings.batch()) {
                        return due;
                    }
                }
            }
            if (page.size() < CANDIDATE_PAGE) {
                afterAgedFrom = null;
                afterId = null;
                lastRunCompleted = now;
                break;
            }
        }
        return due;
    }

    static boolean isDue(Instant agedFrom, Keep keep, Instant now) {
        return !keep.forever() && !agedFrom.plus(Duration.ofDays(keep.days())).isAfter(now);
    }

    /**
     * Whether {@code s} may be pruned now, checked again inside the pruning transaction: a chunk that arrived since
     * the scan makes an unended session young again, and a hold placed since the scan wins.
     */
    private static boolean stillDue(SessionRecord s, Keep keep, Instant now, List<LegalHold> holds) {
        if (s.isPruned() || s.committedSeq() < 0
                || holds.stream().anyMatch(h -> h.covers(s.id(), s.header().user(), s.header().host()))) {
            return false;
        }
        return isDue(s.ended() ? s.end().end().endedAt() : s.lastActivity(), keep, now);
    }

    /** The transaction of step 1; returns the sessions it pruned (a hold placed since the scan is respected). */
    private List<UUID> prune(List<Due> due, Instant now) {
        return store.write(tx -> {
            List<LegalHold> holds = tx.activeLegalHolds();
            List<UUID> pruned = new ArrayList<>();
            Map<String, Integer> policies = new TreeMap<>();
            long freed = 0;
            for (Due d : due) {
                SessionRecord s = tx.session(d.id()).orElse(null);
                if (s == null || !stillDue(s, d.keep(), now, holds)) {
                    continue;
                }
                long leaf = ledger.append(tx, new LedgerEntry(LedgerEntry.Kind.TOMBSTONE, s.id(), s.committedSeq(),
                        s.lastHash()));
                freed += tx.pruneSession(s.id(), new PruneInfo(now, d.keep().policy(), leaf, 0));
                pruned.add(s.id());
                policies.merge(d.keep().policy(), 1, Integer::sum);
            }
            if (!pruned.isEmpty()) {
                Map<String, String> detail = new TreeMap<>();
                detail.put("sessions", Integer.toString(pruned.size()));
                detail.put("bytes_freed", Long.toString(freed));
                detail.put("policies", policies.toString());
                List<String> ids = pruned.stream().limit(LISTED_SESSIONS).map(UUID::toString).toList();
                detail.put("session_ids", String.join(",", ids)
                        + (pruned.size() > LISTED_SESSIONS ? ",…" : ""));
                audit.record(tx, ACTOR, "retention.prune", null, detail);
                prunedSessions.addAndGet(pruned.size());
                freedBytes.addAndGet(freed);
                log.info("retention pruned {} sessions ({} bytes): {}", pruned.size(), freed, policies);
            }
            return pruned;
        });
    }

    /** Step 2 for blobs a crash left behind; returns how many sessions it cleaned up. */
    private int deletePendingBlobs() {
        int cleaned = 0;
        List<UUID> pending;
        while (!(pending = store.retention().blobsPendingDeletion(settings.batch())).isEmpty()) {
            deleteBlobs(pending);
            cleaned += pending.size();
        }
        return cleaned;
    }

    /** Deletes the chunk blobs of pruned sessions (absent ones are no-ops), then records that they are gone. */
    private void deleteBlobs(List<UUID> sessions) {
        if (sessions.isEmpty()) {
            return;
        }
        for (UUID id : sessions) {
            long from = 0;
            List<ChunkRecord> page;
            do {
                page = store.sessions().chunks(id, from, CHUNK_PAGE);
                for (ChunkRecord c : page) {
                    blobs.delete(c.blobKey());
                }
                from = page.isEmpty() ? from : page.get(page.size() - 1).seq() + 1;
            } while (page.size() == CHUNK_PAGE);
        }
        store.write(tx -> {
            sessions.forEach(tx::prunedBlobsDeleted);
            return null;
        });
    }
}
