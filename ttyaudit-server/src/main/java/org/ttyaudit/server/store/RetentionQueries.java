package org.ttyaudit.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What retention reads (docs/RETENTION.md): sessions old enough to be weighed for pruning, pruned sessions
 * whose chunk blobs are still to be deleted, legal holds, and storage statistics.
 */
public interface RetentionQueries {

    /** How storage statistics are grouped. */
    enum Grouping { USER, HOST, DAY }

    /**
     * Unpruned sessions whose age counts from before {@code agedBefore}, oldest first, after ({@code afterAgedFrom},
     * {@code afterId}) when those are not null, at most {@code limit}. The age of an ended session counts from its
     * end, that of a session without an end from its last activity ({@link PruneCandidate#agedFrom()}). Sessions
     * with no chunk are left out: they have no content to prune.
     */
    List<PruneCandidate> pruneCandidates(Instant agedBefore, Instant afterAgedFrom, UUID afterId, int limit);

    /**
     * Pruned sessions whose chunk blobs may still exist (a prune commits first and deletes the blobs after, so a
     * crash in between leaves them for the next run), at most {@code limit}.
     */
    List<UUID> blobsPendingDeletion(int limit);

    /** Every legal hold, newest first; released ones too when {@code includeReleased}. */
    List<LegalHold> holds(boolean includeReleased);

    Optional<LegalHold> hold(UUID id);

    /** Storage of unpruned sessions grouped {@code by}, largest stored bytes first, at most {@code limit}. */
    List<StorageRow> storage(Grouping by, int limit);

    /** Storage of all unpruned sessions (key ""). */
    StorageRow storageTotals();

    /** Pruned sessions and the bytes their pruning freed (key "", raw sizes 0). */
    StorageRow prunedTotals();
}
