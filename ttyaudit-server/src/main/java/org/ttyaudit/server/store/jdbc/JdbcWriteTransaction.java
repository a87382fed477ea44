package org.ttyaudit.server.store.jdbc;

import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.server.store.AlertRecord;
import org.ttyaudit.server.store.AuditRecord;
import org.ttyaudit.server.store.ChunkBacklog;
import org.ttyaudit.server.store.ChunkRecord;
import org.ttyaudit.server.store.CommandRecord;
import org.ttyaudit.server.store.LegalHold;
import org.ttyaudit.server.store.LedgerNode;
import org.ttyaudit.server.store.PruneInfo;
import org.ttyaudit.server.store.NewSession;
import org.ttyaudit.server.store.OutputText;
import org.ttyaudit.server.store.SessionEndInfo;
import org.ttyaudit.server.store.SessionEventRecord;
import org.ttyaudit.server.store.SessionRecord;
import org.ttyaudit.server.store.SignedHeadRecord;
import org.ttyaudit.server.store.StoreException;
import org.ttyaudit.server.store.WriteTransaction;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The writes of one {@link org.ttyaudit.server.store.Store#write} transaction on the writer connection. Checks the
 * store's own constraints with explicit queries first, so that a violation has a message naming the session, seq
 * or index rather than the engine's constraint text.
 *
 * <p><b>Few round trips:</b> the rows of a group commit (chunks, commands, events, ledger leaves and nodes, output
 * text, and the session counters they advance) wait in {@link PendingRows} and go to the database as one batch per
 * statement when the work ends or a statement that could see them runs ({@link #flush}). What the checks need
 * is kept here instead of read per row: the state of the sessions this transaction read or wrote, the ledger's
 * size and the nodes appended in it, and the pending commands, whose end is filled in when it arrives in the same
 * transaction (a command is inserted complete, not inserted and then updated). This is sound because a write
 * transaction is the only writer while it runs (the store serialises them). Reads that the pending rows could
 * change, and every write not named above, flush first.
 *
 * <p>Used by the one thread that runs the work; unusable once the work has returned ({@link IllegalStateException}).
 */
final class JdbcWriteTransaction implements WriteTransaction {
    private static final String INSERT_CHUNK = "INSERT INTO chunks (" + SessionRows.CHUNK_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** An unknown raw size makes the session's unknown (NULL + n is NULL). */
    private static final String ADVANCE_SESSION = "UPDATE sessions SET committed_seq = ?, last_hash = ?,"
            + " event_count = event_count + ?, last_activity = ?, stored_bytes = stored_bytes + ?,"
            + " raw_bytes = raw_bytes + ? WHERE id = ?";
    private static final String INSERT_COMMAND = "INSERT INTO commands (" + SessionRows.COMMAND_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** Where a command's end is in its {@link #INSERT_COMMAND} parameters: ended_at, end_offset_us, exit_code. */
    private static final int COMMAND_ENDED_AT = 7;
    private static final String COUNT_COMMANDS = "UPDATE sessions SET command_count = command_count + ? WHERE id = ?";
    private static final String INSERT_EVENT = "INSERT INTO session_events (session_id, event_seq, offset_us, kind,"
            + " detail_json) VALUES (?, ?, ?, ?, ?)";
    private static final String INSERT_OUTPUT_TEXT = "INSERT INTO output_text (session_id, chunk_seq,"
            + " first_offset_us, text) VALUES (?, ?, ?, ?)";
    private static final String INSERT_LEAF = "INSERT INTO ledger_leaves (idx, data) VALUES (?, ?)";
    private static final String INSERT_NODE = "INSERT INTO ledger_nodes (level, idx, hash) VALUES (?, ?, ?)";
    /** Command ids per lookup: well below every engine's limit of parameters. */
    private static final int IDS_PER_LOOKUP = 500;

    private final SqlConnection c;
    /** Sessions whose content this transaction changed, for {@link SqlDialect#announceChanged}. */
    private final Set<UUID> changed = new LinkedHashSet<>();
    private final PendingRows pending = new PendingRows();
    /** The sessions this transaction read or wrote, as they are in it (pending rows included). */
    private final Map<String, SessionState> states = new HashMap<>();
    /** The parameters of the pending command rows, by session and command id (ends are filled in there). */
    private final Map<String, Map<Long, Object[]>> pendingCommands = new HashMap<>();
    /** The ledger's size in this transaction, once read (only this transaction appends while it runs). */
    private Long ledgerSize;
    /** The nodes this transaction appended (the left siblings the next leaves' parents are hashed from). */
    private final Map<NodePosition, byte[]> appendedNodes = new HashMap<>();
    private boolean open = true;

    JdbcWriteTransaction(SqlConnection connection) {
        this.c = connection;
    }

    void close() {
        open = false;
    }

    /**
     * Writes the pending rows (one batch per statement). Runs when the work has returned, before the commit, and
     * before any statement that could see them.
     */
    void flush() {
        run("writing " + pending.size() + " pending row(s)", () -> {
            flushPending();
            return null;
        });
    }

    private void flushPending() throws SQLException {
        if (!pending.isEmpty()) {
            pending.flush(c);
            pendingCommands.clear();   // stored now: their ends are updates from here on
        }
    }

    /** The sessions whose content (session row, chunks, end, termination request) this transaction changed. */
    Set<UUID> changedSessions() {
        return changed;
    }

    @Override
    public Optional<SessionRecord> session(UUID sessionId) {
        return run("reading session " + sessionId, () -> {
            flushPending();   // its counters may be pending
            try (ResultSet rs = Sql.bind(c.prepare("SELECT " + SessionRows.SESSION_COLUMNS
                    + " FROM sessions WHERE id = ?"), sessionId.toString()).executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                SessionRecord s = SessionRows.session(rs);
                states.put(sessionId.toString(), new SessionState(s.committedSeq(), s.ended(),
                        s.pruned() == null ? null : s.pruned().prunedAt()));
                return Optional.of(s);
            }
        });
    }

    @Override
    public void insertSession(NewSession s) {
        changed.add(s.header().sessionId().uuid());
        SessionHeader h = s.header();
        String id = h.sessionId().toString();
        run("storing session " + id, () -> {
            if (sessionState(id) != null) {
                throw new StoreException("session " + id + " is already stored");
            }
            long receivedAt = EpochNanos.of(s.receivedAt());
            Sql.bind(c.prepare("INSERT INTO sessions (id, kind, user_name, uid, host, tty, client_address, term,"
                            + " term_cols, term_rows, started_at, command_json, capture, recorder_version, tags_json,"
                            + " header_bytes, header_hash, host_id, ledger_index, received_at, committed_seq,"
                            + " last_hash, event_count, command_count, last_activity)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, -1, ?, 0, 0, ?)"),
                    id, h.kind(), h.user(), h.uid(), h.host(), h.tty(), h.clientAddress(), h.term(), h.cols(),
                    h.rows(), EpochNanos.of(h.startedAt()), SessionRows.toJson(h.command()), h.capture(),
                    h.recorderVersion(), SessionRows.toJson(h.tags()), s.headerBytes(), s.headerHash(), s.hostId(),
                    s.ledgerIndex(), receivedAt, s.headerHash(), receivedAt).executeUpdate();
            for (Map.Entry<String, String> tag : h.tags().entrySet()) {
                Sql.bind(c.prepare("INSERT INTO session_tags (name, value, session_id) VALUES (?, ?, ?)"),
                        tag.getKey(), tag.getValue(), id).executeUpdate();
            }
            states.put(id, new SessionState(-1, false, null));
            return null;
        });
    }

    @Override
    public void insertChunk(ChunkRecord chunk, Instant receivedAt) {
        changed.add(chunk.sessionId());
        Objects.requireNonNull(receivedAt, "receivedAt");
        String id = chunk.sessionId().toString();
        run("storing chunk " + chunk.seq() + " of session " + id, () -> {
            SessionState state = existingSession(id);
            refuseIfPruned(id, state);
            if (state.ended) {
                throw new StoreException("session " + id + " has ended; chunk " + chunk.seq() + " is not accepted");
            }
            if (chunk.seq() != state.committedSeq + 1) {
                throw new StoreException("chunk " + chunk.seq() + " of session " + id + " is not the next one: the"
                        + " session's last stored chunk is " + state.committedSeq);
            }
            Object rawBytes = chunk.rawBytes() < 0 ? null : chunk.rawBytes();
            pending.add(INSERT_CHUNK, new PendingRows.Row(new Object[] {id, chunk.seq(), chunk.firstEventSeq(),
                    chunk.eventCount(), chunk.firstOffsetMicros(), chunk.lastOffsetMicros(), chunk.prevHash(),
                    chunk.hash(), chunk.blobKey(), chunk.storedBytes(), chunk.ledgerIndex(), rawBytes},
                    "chunk " + chunk.seq() + " of session " + id + " is already stored", id));
            pending.add(ADVANCE_SESSION, new PendingRows.Row(new Object[] {chunk.seq(), chunk.hash(),
                    chunk.eventCount(), EpochNanos.of(receivedAt), chunk.storedBytes(), rawBytes, id}, null, null));
            states.put(id, new SessionState(chunk.seq(), false, null));
            return null;
        });
    }

    @Override
    public void endSession(SessionEndInfo end) {
        changed.add(end.sessionId());
        String id = end.sessionId().toString();
        run("ending session " + id, () -> {
            SessionState state = existingSession(id);
            refuseIfPruned(id, state);
            if (state.ended) {
                throw new StoreException("session " + id + " has already ended");
            }
            Sql.bind(c.prepare("UPDATE sessions SET ended_at = ?, exit_status = ?, end_signal = ?, end_reason = ?,"
                            + " end_chunk_count = ?, end_event_count = ?, end_final_hash = ?, end_hash = ?,"
                            + " end_record_bytes = ?, end_ledger_index = ? WHERE id = ?"),
                    EpochNanos.of(end.end().endedAt()), end.end().exitStatus(), end.end().signal(),
                    end.end().reason(), end.chunkCount(), end.eventCount(), end.finalHash(), end.endHash(),
                    end.recordBytes(), end.ledgerIndex(), id).executeUpdate();
            states.put(id, new SessionState(state.committedSeq, true, null));
            return null;
        });
    }

    @Override
    public void insertCommands(List<CommandRecord> commands) {
        run("storing commands", () -> {
            Map<String, Integer> added = new LinkedHashMap<>();
            for (CommandRecord cmd : commands) {
                String id = cmd.sessionId().toString();
                if (!added.containsKey(id)) {
                    existingSession(id);
                }
                // a duplicate of a stored command fails when the rows are written; one of a pending one, here
                String duplicate = "command " + cmd.commandId() + " of session " + id + " is already stored";
                Map<Long, Object[]> ofSession = pendingCommands.computeIfAbsent(id, k -> new HashMap<>());
                if (ofSession.containsKey(cmd.commandId())) {
                    throw new StoreException(duplicate);
                }
                Object[] row = {id, cmd.commandId(), cmd.commandLine(), cmd.cwd(), cmd.source(),
                        EpochNanos.of(cmd.startedAt()), cmd.startOffsetMicros(), EpochNanos.ofNullable(cmd.endedAt()),
                        cmd.endOffsetMicros(), cmd.exitCode()};
                ofSession.put(cmd.commandId(), row);
                pending.add(INSERT_COMMAND, new PendingRows.Row(row, duplicate, id));
                added.merge(id, 1, Integer::sum);
            }
            for (Map.Entry<String, Integer> e : added.entrySet()) {
                pending.add(COUNT_COMMANDS, new PendingRows.Row(new Object[] {e.getValue(), e.getKey()}, null, null));
            }
            return null;
        });
    }

    @Override
    public Set<Long> storedCommandIds(UUID sessionId, Collection<Long> commandIds) {
        String id = sessionId.toString();
        return run("reading command ids of session " + id, () -> {
            Set<Long> stored = new HashSet<>();
            List<Long> toLookUp = new ArrayList<>();
            Map<Long, Object[]> ofSession = pendingCommands.getOrDefault(id, Map.of());
            for (Long commandId : new LinkedHashSet<>(commandIds)) {
                if (ofSession.containsKey(commandId)) {
                    stored.add(commandId);   // pending: not in the table yet
                } else {
                    toLookUp.add(commandId);
                }
            }
            // one query for the chunk's ids, not one per id (an IN list: both engines read it alike)
            for (int from = 0; from < toLookUp.size(); from += IDS_PER_LOOKUP) {
                List<Long> slice = toLookUp.subList(from, Math.min(toLookUp.size(), from + IDS_PER_LOOKUP));
                Object[] values = new Object[slice.size() + 1];
                values[0] = id;
                for (int i = 0; i < slice.size(); i++) {
                    values[i + 1] = slice.get(i);
                }
                try (ResultSet rs = Sql.bind(c.prepare("SELECT command_id FROM commands WHERE session_id = ?"
                        + " AND command_id IN (" + "?, ".repeat(slice.size() - 1) + "?)"), values).executeQuery()) {
                    while (rs.next()) {
                        stored.add(rs.getLong(1));
                    }
                }
            }
            return stored;
        });
    }

    @Override
    public boolean completeCommand(UUID sessionId, long commandId, Instant endedAt, long endOffsetMicros,
                                   Integer exitCode) {
        Objects.requireNonNull(endedAt, "endedAt");
        return run("completing command " + commandId + " of session " + sessionId, () -> {
            Object[] pendingRow = pendingCommands.getOrDefault(sessionId.toString(), Map.of()).get(commandId);
            if (pendingRow != null) {   // started in this transaction: it is inserted complete
                pendingRow[COMMAND_ENDED_AT] = EpochNanos.of(endedAt);
                pendingRow[COMMAND_ENDED_AT + 1] = endOffsetMicros;
                pendingRow[COMMAND_ENDED_AT + 2] = exitCode;
                return true;
            }
            return Sql.bind(c.prepare("UPDATE commands SET ended_at = ?, end_offset_us = ?, exit_code = ?"
                            + " WHERE session_id = ? AND command_id = ?"),
                    EpochNanos.of(endedAt), endOffsetMicros, exitCode, sessionId.toString(), commandId)
                    .executeUpdate() == 1;
        });
    }

    @Override
    public void insertSessionEvents(List<SessionEventRecord> events) {
        run("storing session events", () -> {
            for (SessionEventRecord e : events) {
                String id = e.sessionId().toString();
                pending.add(INSERT_EVENT, new PendingRows.Row(new Object[] {id, e.eventSeq(), e.offsetMicros(),
                        e.kind(), e.detailJson()}, "event " + e.eventSeq() + " of session " + id + " is already stored",
                        id));
            }
            return null;
        });
    }

    @Override
    public void insertOutputText(OutputText text) {
        String id = text.sessionId().toString();
        run("storing output text of session " + id, () -> {
            pending.add(INSERT_OUTPUT_TEXT, new PendingRows.Row(new Object[] {id, text.chunkSeq(),
                    text.firstOffsetMicros(), text.text()},
                    "output text of chunk " + text.chunkSeq() + " is already stored", id));
            return null;
        });
    }

    @Override
    public void outputTextIndexed(UUID sessionId, long throughSeq) {
        advanceCursor("text_indexed_seq", "the output text of", "indexed", sessionId, throughSeq);
    }

    @Override
    public void rulesEvaluated(UUID sessionId, long throughSeq) {
        advanceCursor("rules_seq", "the rules' cursor of", "evaluated", sessionId, throughSeq);
    }

    /** Advances a background worker's per-session cursor {@code column} (see {@link ChunkBacklog}). */
    private void advanceCursor(String column, String what, String done, UUID sessionId, long throughSeq) {
        String id = sessionId.toString();
        runFlushed("advancing the cursor " + column + " of session " + id, () -> {
            try (ResultSet rs = Sql.bind(c.prepare("SELECT " + column + ", committed_seq FROM sessions"
                    + " WHERE id = ?"), id).executeQuery()) {
                if (!rs.next()) {
                    throw unknownSession(id);
                }
                long cursor = rs.getLong(1);
                long committed = rs.getLong(2);
                if (throughSeq <= cursor || throughSeq > committed) {
                    throw new StoreException(what + " session " + id + " cannot be marked " + done
                            + " through chunk " + throughSeq + ": it is " + done + " through chunk " + cursor
                            + " and committed through chunk " + committed);
                }
            }
            Sql.bind(c.prepare("UPDATE sessions SET " + column + " = ? WHERE id = ?"), throughSeq, id)
                    .executeUpdate();
            return null;
        });
    }

    @Override
    public void requestTermination(UUID sessionId, String reason) {
        changed.add(sessionId);
        Objects.requireNonNull(reason, "reason");
        runFlushed("requesting termination of session " + sessionId, () -> {
            int rows = Sql.bind(c.prepare("UPDATE sessions SET terminate_reason = ? WHERE id = ?"), reason,
                    sessionId.toString()).executeUpdate();
            if (rows == 0) {
                throw unknownSession(sessionId.toString());
            }
            return null;
        });
    }

    @Override
    public void insertAuditEvent(AuditRecord e) {
        runFlushed("storing audit event " + e.id(), () -> {
            try {
                Sql.bind(c.prepare("INSERT INTO audit_events (id, at, actor, action, session_id, detail_json,"
                                + " ledger_index) VALUES (?, ?, ?, ?, ?, ?, ?)"),
                        e.id().toString(), EpochNanos.of(e.at()), e.actor(), e.action(),
                        e.sessionId() == null ? null : e.sessionId().toString(), e.detailJson(), e.ledgerIndex())
                        .executeUpdate();
            } catch (SQLException x) {
                rethrowConstraint(x, "audit event " + e.id() + " is already stored", null);
            }
            return null;
        });
    }

    @Override
    public void insertAlert(AlertRecord a) {
        runFlushed("storing alert " + a.id(), () -> {
            String session = a.sessionId().toString();
            try {
                Sql.bind(c.prepare("INSERT INTO alerts (id, session_id, at, offset_us, command_id, rule, severity,"
                                + " description, trigger_kind, matched, actions_json, ledger_index)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                        a.id().toString(), session, EpochNanos.of(a.at()), a.offsetMicros(), a.commandId(), a.rule(),
                        a.severity(), a.description(), a.trigger(), a.matched(), SessionRows.toJson(a.actions()),
                        a.ledgerIndex()).executeUpdate();
            } catch (SQLException x) {
                rethrowConstraint(x, "alert " + a.id() + " is already stored", session);
            }
            Sql.bind(c.prepare("UPDATE sessions SET alert_count = alert_count + 1 WHERE id = ?"), session)
                    .executeUpdate();
            return null;
        });
    }

    @Override
    public void insertLegalHold(LegalHold h) {
        runFlushed("storing legal hold " + h.id(), () -> {
            try {
                Sql.bind(c.prepare("INSERT INTO legal_holds (" + JdbcRetentionQueries.HOLD_COLUMNS
                                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                        h.id().toString(), h.scope().wireName(), h.value(), h.reason(), h.createdBy(),
                        EpochNanos.of(h.createdAt()), h.releasedBy(), EpochNanos.ofNullable(h.releasedAt()))
                        .executeUpdate();
            } catch (SQLException x) {
                rethrowConstraint(x, "legal hold " + h.id() + " is already stored", null);
            }
            return null;
        });
    }

    @Override
    public Optional<LegalHold> releaseLegalHold(UUID id, String releasedBy, Instant releasedAt) {
        Objects.requireNonNull(releasedBy, "releasedBy");
        return runFlushed("releasing legal hold " + id, () -> {
            int rows = Sql.bind(c.prepare("UPDATE legal_holds SET released_by = ?, released_at = ?"
                    + " WHERE id = ? AND released_at IS NULL"), releasedBy, EpochNanos.of(releasedAt),
                    id.toString()).executeUpdate();
            if (rows == 0) {
                return Optional.empty();
            }
            return JdbcRetentionQueries.hold(c, id);
        });
    }

    @Override
    public List<LegalHold> activeLegalHolds() {
        return runFlushed("reading the legal holds", () -> JdbcRetentionQueries.holds(c, false));
    }

    @Override
    public long pruneSession(UUID sessionId, PruneInfo info) {
        String id = sessionId.toString();
        return runFlushed("pruning session " + id, () -> {
            long storedBytes;
            // an unended session may be pruned too (its recorder never sent an end): its tombstone closes it
            try (ResultSet rs = Sql.bind(c.prepare("SELECT committed_seq, pruned_at IS NOT NULL,"
                    + " stored_bytes FROM sessions WHERE id = ?"), id).executeQuery()) {
                if (!rs.next()) {
                    throw unknownSession(id);
                }
                if (rs.getLong(1) < 0) {
                    throw new StoreException("session " + id + " has no chunk; there is no content to prune");
                }
                if (rs.getBoolean(2)) {
                    throw new StoreException("session " + id + " is already pruned");
                }
                storedBytes = rs.getLong(3);
            }
            for (String table : List.of("commands", "session_events", "output_text")) {
                Sql.bind(c.prepare("DELETE FROM " + table + " WHERE session_id = ?"), id).executeUpdate();
            }
            Sql.bind(c.prepare("UPDATE sessions SET pruned_at = ?, prune_policy = ?, prune_ledger_index = ?,"
                            + " prune_blobs_pending = 1, text_indexed_seq = committed_seq, rules_seq = committed_seq"
                            + " WHERE id = ?"),
                    EpochNanos.of(info.prunedAt()), info.policy(), info.ledgerIndex(), id).executeUpdate();
            states.remove(id);   // pruned now: read again if this transaction goes on with the session
            return storedBytes;
        });
    }

    @Override
    public void prunedBlobsDeleted(UUID sessionId) {
        runFlushed("recording the deleted blobs of session " + sessionId, () -> Sql.bind(c.prepare(
                "UPDATE sessions SET prune_blobs_pending = 0 WHERE id = ?"), sessionId.toString()).executeUpdate());
    }

    @Override
    public long ledgerSize() {
        return run("reading the ledger size", this::currentLedgerSize);
    }

    @Override
    public byte[] ledgerNode(int level, long index) {
        return run("reading ledger node (" + level + ", " + index + ")", () -> {
            byte[] appended = appendedNodes.get(new NodePosition(level, index));
            return appended != null ? appended.clone() : LedgerSql.node(c, level, index);
        });
    }

    @Override
    public void appendLedgerLeaf(long index, byte[] leafData, List<LedgerNode> completedNodes) {
        Objects.requireNonNull(leafData, "leafData");
        run("appending ledger leaf " + index, () -> {
            long size = currentLedgerSize();
            if (index != size) {
                throw new StoreException("ledger leaf " + index + " is not the next one: the ledger has " + size
                        + " leaves");
            }
            LedgerSql.checkCompletedNodes(index, completedNodes);
            pending.add(INSERT_LEAF, new PendingRows.Row(new Object[] {index, leafData.clone()},
                    "ledger leaf " + index + " is already stored", null));
            for (LedgerNode n : completedNodes) {
                pending.add(INSERT_NODE, new PendingRows.Row(new Object[] {n.level(), n.index(), n.hash().clone()},
                        "ledger node (" + n.level() + ", " + n.index() + ") is already stored", null));
                appendedNodes.put(new NodePosition(n.level(), n.index()), n.hash().clone());
            }
            ledgerSize = size + 1;
            return null;
        });
    }

    @Override
    public void insertSignedHead(SignedHeadRecord head) {
        runFlushed("storing the signed head of size " + head.treeSize(), () -> {
            Sql.bind(c.prepare("INSERT INTO signed_heads (tree_size, root_hash, signed_at, key_id, signature)"
                            + " VALUES (?, ?, ?, ?, ?)"),
                    head.treeSize(), head.rootHash(), EpochNanos.of(head.signedAt()), head.keyId(), head.signature())
                    .executeUpdate();
            return null;
        });
    }

    @Override
    public long enqueueNotification(String target, String noticeJson, Instant now) {
        return runFlushed("queueing a notification of target " + target, () ->
                JdbcNotificationOutbox.enqueue(c, target, noticeJson, now));
    }

    /** Read once per transaction: appends keep it from then on. */
    private long currentLedgerSize() throws SQLException {
        if (ledgerSize == null) {
            ledgerSize = LedgerSql.size(c);
        }
        return ledgerSize;
    }

    /**
     * Committed seq, whether ended and when pruned (null: not), or null for an unknown session; read once per
     * transaction, then kept by the writes of this class.
     */
    private SessionState sessionState(String id) throws SQLException {
        SessionState known = states.get(id);
        if (known != null) {
            return known;
        }
        try (ResultSet rs = Sql.bind(c.prepare("SELECT committed_seq, end_ledger_index IS NOT NULL AS ended,"
                + " pruned_at FROM sessions WHERE id = ?"), id).executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            SessionState s = new SessionState(rs.getLong(1), rs.getBoolean(2),
                    EpochNanos.toInstantOrNull(Sql.longOrNull(rs, "pruned_at")));
            states.put(id, s);
            return s;
        }
    }

    /** A pruned session's tombstone closed its chain: nothing may follow it (ingest checks first; this is a floor). */
    private static void refuseIfPruned(String id, SessionState state) {
        if (state.prunedAt != null) {
            throw new StoreException(PruneInfo.refusal(id, state.prunedAt));
        }
    }

    private SessionState existingSession(String id) throws SQLException {
        SessionState s = sessionState(id);
        if (s == null) {
            throw unknownSession(id);
        }
        return s;
    }

    private static StoreException unknownSession(String id) {
        return new StoreException("session " + id + " is not stored");
    }

    /** Rethrows a duplicate or an unknown session as a StoreException naming it, any other failure as it is. */
    private void rethrowConstraint(SQLException e, String duplicate, String sessionId) throws SQLException {
        if (c.violation(e) == SqlConnection.Violation.UNIQUE) {
            throw new StoreException(duplicate);
        }
        if (sessionId != null && c.violation(e) == SqlConnection.Violation.FOREIGN_KEY) {
            throw unknownSession(sessionId);
        }
        throw e;
    }

    /**
     * {@link #run} after writing the pending rows: for the statements that could see them, and the rarer writes
     * (cursors, alerts, holds, pruning, audit events), which gain nothing from waiting.
     */
    private <T> T runFlushed(String what, SqlAction<T> action) {
        return run(what, () -> {
            flushPending();
            return action.run();
        });
    }

    private <T> T run(String what, SqlAction<T> action) {
        if (!open) {
            throw new IllegalStateException("the transaction has ended: use it only inside the work it was given to");
        }
        try {
            return action.run();
        } catch (SQLException e) {
            throw Sql.failure(what, e);
        }
    }

    private record SessionState(long committedSeq, boolean ended, Instant prunedAt) {
    }

    private record NodePosition(int level, long index) {
    }

    @FunctionalInterface
    private interface SqlAction<T> {
        T run() throws SQLException;
    }
}
