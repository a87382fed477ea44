package org.ttyaudit.server.store.jdbc;

import org.ttyaudit.server.store.CommandRecord;
import org.ttyaudit.server.store.ForwardCursor;
import org.ttyaudit.server.store.ForwardingStore;
import org.ttyaudit.server.store.RejectedDocument;
import org.ttyaudit.server.store.SignedHeadRecord;

import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link ForwardingStore} on the {@code forward_cursors} and {@code forward_rejected} tables (and reads of
 * {@code signed_heads} and {@code commands}). Thread-safe.
 */
final class JdbcForwardingStore implements ForwardingStore {
    private final SqlWriter writer;
    private final SqlReaders readers;

    JdbcForwardingStore(SqlWriter writer, SqlReaders readers) {
        this.writer = writer;
        this.readers = readers;
    }

    @Override
    public Optional<ForwardCursor> cursor(String forwarder) {
        return readers.read("reading the cursor of forwarder " + forwarder, c -> {
            try (ResultSet rs = Sql.bind(c.prepare("SELECT next_leaf, head_size, forwarded, rejected, caught_up_at"
                    + " FROM forward_cursors WHERE forwarder = ?"), forwarder).executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ForwardCursor(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        EpochNanos.toInstant(rs.getLong(5))));
            }
        });
    }

    @Override
    public void advance(String forwarder, long nextLeaf, long headSize, long delivered,
                        List<RejectedDocument> rejected, boolean caughtUp, Instant at) {
        Objects.requireNonNull(forwarder, "forwarder");
        long now = EpochNanos.of(at);
        writer.transaction("advancing the cursor of forwarder " + forwarder, c -> {
            // a new cursor counts as caught up at its creation: the lag of a new forwarder starts then
            Sql.bind(c.prepare("INSERT INTO forward_cursors (forwarder, next_leaf, head_size, forwarded, rejected,"
                    + " caught_up_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (forwarder) DO UPDATE SET"
                    + " next_leaf = excluded.next_leaf, head_size = excluded.head_size,"
                    + " forwarded = forward_cursors.forwarded + excluded.forwarded,"
                    + " rejected = forward_cursors.rejected + excluded.rejected,"
                    + " caught_up_at = CASE WHEN ? = 1 THEN excluded.caught_up_at"
                    + " ELSE forward_cursors.caught_up_at END,"
                    + " updated_at = excluded.updated_at"), forwarder, nextLeaf, headSize, delivered,
                    rejected.size(), now, now, caughtUp ? 1 : 0).executeUpdate();
            for (RejectedDocument r : rejected) {
                Sql.bind(c.prepare("INSERT INTO forward_rejected (forwarder, event_id, document, reason,"
                        + " rejected_at) VALUES (?, ?, ?, ?, ?)"), forwarder, r.eventId(), r.document(), r.reason(),
                        now).executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<RejectedDocument> rejected(String forwarder, int limit) {
        return readers.read("listing the rejected documents of forwarder " + forwarder, c -> {
            List<RejectedDocument> out = new ArrayList<>();
            try (ResultSet rs = Sql.bind(c.prepare("SELECT event_id, document, reason FROM forward_rejected"
                    + " WHERE forwarder = ? ORDER BY id DESC LIMIT ?"), forwarder, limit).executeQuery()) {
                while (rs.next()) {
                    out.add(new RejectedDocument(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
            return out;
        });
    }

    @Override
    public List<SignedHeadRecord> signedHeadsAbove(long treeSize, int limit) {
        return readers.read("reading signed heads", c -> {
            List<SignedHeadRecord> out = new ArrayList<>();
            try (ResultSet rs = Sql.bind(c.prepare("SELECT " + JdbcLedgerReader.HEAD_COLUMNS + " FROM signed_heads"
                    + " WHERE tree_size > ? ORDER BY tree_size, signed_at, id LIMIT ?"), treeSize, limit)
                    .executeQuery()) {
                while (rs.next()) {
                    out.add(JdbcLedgerReader.head(rs));
                }
            }
            return out;
        });
    }

    @Override
    public long signedHeadsAboveCount(long treeSize) {
        return readers.read("counting signed heads", c -> {
            try (ResultSet rs = Sql.bind(c.prepare("SELECT count(*) FROM signed_heads WHERE tree_size > ?"),
                    treeSize).executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public Optional<CommandRecord> command(UUID sessionId, long commandId) {
        return readers.read("reading a command", c -> {
            try (ResultSet rs = Sql.bind(c.prepare("SELECT " + SessionRows.COMMAND_COLUMNS + " FROM commands"
                    + " WHERE session_id = ? AND command_id = ?"), sessionId.toString(), commandId).executeQuery()) {
                return rs.next() ? Optional.of(SessionRows.command(rs)) : Optional.empty();
            }
        });
    }
}
