package org.ttyaudit.server.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The writes of one {@link Store#write} transaction, and the few reads that must be consistent with them.
 * Valid only inside the work it was passed to. The store checks its own constraints (a duplicate chunk seq, a
 * ledger index that is not the next one, an unknown session) and throws {@link StoreException}; the
 * <em>meaning</em> of the data (hash chains, order, permissions) is checked by the callers before they write.
 */
public interface WriteTransaction {

    /** The session as committed so far (including earlier writes of this transaction). */
    Optional<SessionRecord> session(UUID sessionId);

    /** Stores a new session with no chunk yet ({@code committedSeq} −1, {@code lastHash} = header hash). */
    void insertSession(NewSession session);

    /**
     * Stores a chunk's row and advances its session: {@code committedSeq} = chunk seq, {@code lastHash} = chunk
     * hash, {@code eventCount} += chunk event count, {@code lastActivity} = {@code receivedAt}.
     *
     * @throws StoreException when the seq is not the session's {@code committedSeq + 1}, the session is unknown
     *                        or has ended
     */
    void insertChunk(ChunkRecord chunk, Instant receivedAt);

    /** Marks the session ended with its end record. @throws StoreException when it already ended or is unknown */
    void endSession(SessionEndInfo end);

    /**
     * Adds commands that started and counts them in their sessions' {@code commandCount}; a command whose
     * (session, command id) exists, or whose session is unknown, is a {@link StoreException}.
     */
    void insertCommands(List<CommandRecord> commands);

    /**
     * Which of {@code commandIds} the session already has (including earlier writes of this transaction), so that
     * a caller can leave out starts that would be duplicates; an unknown session has none.
     */
    Set<Long> storedCommandIds(UUID sessionId, Collection<Long> commandIds);

    /**
     * Completes a command: sets its end time, end offset and exit code. A command id that is not stored (its
     * start was never seen) is ignored and reported by returning false.
     */
    boolean completeCommand(UUID sessionId, long commandId, Instant endedAt, long endOffsetMicros, Integer exitCode);

    /**
     * Adds events other than terminal bytes and commands: exec, marker, … (see {@link SessionEventRecord}). An
     * event whose (session, event seq) exists, or whose session is unknown, is a {@link StoreException}.
     */
    void insertSessionEvents(List<SessionEventRecord> events);

    /**
     * Adds a piece of a session's output as searchable text (escape sequences already removed). Ingest does not
     * call it: the background indexer does, with {@link #outputTextIndexed}, in its own transactions.
     */
    void insertOutputText(OutputText text);

    /**
     * Advances the session's output-text cursor ({@link SessionQueries#outputTextIndexedSeq}) to
     * {@code throughSeq}: the output text of every chunk up to it is indexed (written in this transaction or
     * before), so a crash never skips a chunk and never indexes one twice.
     *
     * @throws StoreException when the session is unknown, or {@code throughSeq} is not after the cursor or is
     *                        after the session's last committed chunk
     */
    void outputTextIndexed(UUID sessionId, long throughSeq);

    /**
     * Advances the rules' cursor ({@link SessionQueries#rulesBacklog}) of the session to {@code throughSeq}: the
     * rules have seen every chunk up to it, and the alerts they raised are written in this transaction or before.
     *
     * @throws StoreException as for {@link #outputTextIndexed}
     */
    void rulesEvaluated(UUID sessionId, long throughSeq);

    /** Asks the session's recorder to end it; shown in its commit point from now on. @throws StoreException when unknown */
    void requestTermination(UUID sessionId, String reason);

    /** @throws StoreException when an event with the same id exists */
    void insertAuditEvent(AuditRecord event);

    /**
     * Stores an alert and counts it in its session's {@code alertCount}.
     *
     * @throws StoreException when an alert with the same id exists or the session is unknown
     */
    void insertAlert(AlertRecord alert);

    /** @throws StoreException when a hold with the same id exists */
    void insertLegalHold(LegalHold hold);

    /**
     * Releases the hold {@code id}, recording who and when.
     *
     * @return the hold as released, or empty when there is no such hold or it was already released
     */
    Optional<LegalHold> releaseLegalHold(UUID id, String releasedBy, Instant releasedAt);

    /** The holds in force, as committed so far (retention checks them in the transaction that prunes). */
    List<LegalHold> activeLegalHolds();

    /**
     * Prunes a session's content: deletes its command, event and output text rows, and marks it pruned with
     * {@code info} and its chunk blobs as to be deleted ({@link RetentionQueries#blobsPendingDeletion}). Its
     * session row, chunk rows (hashes, blob keys, ledger leaves), end record and alerts stay, so its chain and
     * ledger leaves still verify. The background cursors are moved to its last chunk, so no worker reads its
     * blobs again. {@code info.freedBytes()} is not used: the stored bytes are the session's own.
     *
     * @return the session's stored chunk bytes (what the pruning frees)
     * @throws StoreException when the session is unknown, has not ended or is already pruned
     */
    long pruneSession(UUID sessionId, PruneInfo info);

    /** Records that the pruned session's chunk blobs are deleted. */
    void prunedBlobsDeleted(UUID sessionId);

    /** The number of leaves in the ledger. */
    long ledgerSize();

    /**
     * The hash of the complete, aligned subtree at {@code level} covering leaves
     * [{@code index·2^level}, {@code (index+1)·2^level}); level 0 is a leaf hash.
     *
     * @throws StoreException when that node was never stored
     */
    byte[] ledgerNode(int level, long index);

    /**
     * Appends leaf number {@code index} (which must equal {@link #ledgerSize()}) with its canonical data, its leaf
     * hash and every subtree node it completes, level 0 first (the level-0 node is the leaf hash itself): the node
     * (0, index), then while the index at the current level is odd, its parent (level + 1, index / 2).
     *
     * @throws StoreException when {@code index} is not the ledger's size or the nodes are not exactly those
     */
    void appendLedgerLeaf(long index, byte[] leafData, List<LedgerNode> completedNodes);

    void insertSignedHead(SignedHeadRecord head);

    /**
     * Queues a notification of {@code target} carrying {@code noticeJson} (the outbox keeps it as it is), due at
     * once. Called in the transaction that stores the alert it announces, so that the alert is stored if and only
     * if its notifications are queued (see {@link NotificationOutbox}).
     *
     * @return the entry's id in the outbox (ids grow in queueing order)
     */
    long enqueueNotification(String target, String noticeJson, Instant now);
}
