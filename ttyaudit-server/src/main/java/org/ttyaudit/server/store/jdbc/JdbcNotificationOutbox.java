package org.ttyaudit.server.store.jdbc;

import org.ttyaudit.server.store.NotificationOutbox;
import org.ttyaudit.server.store.OutboxEntry;
import org.ttyaudit.server.store.StoreException;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@link NotificationOutbox} on the {@code notification_outbox} table: entries are queued inside the caller's
 * write transaction ({@link #enqueue}); each outcome of a delivery attempt is its own transaction through the
 * store's writer (so it is serialised with ingest and durable when it returns); reads use the read pool.
 * Thread-safe.
 */
final class JdbcNotificationOutbox implements NotificationOutbox {
    private static final String COLUMNS = "id, target, notice_json, queued_at, attempts, next_attempt_at, last_error,"
            + " failed_at";
    /** An entry may change only while pending; the statements below all carry this condition. */
    private static final String PENDING = "id = ? AND failed_at IS NULL";

    private final SqlWriter writer;
    private final SqlReaders readers;

    JdbcNotificationOutbox(SqlWriter writer, SqlReaders readers) {
        this.writer = writer;
        this.readers = readers;
    }

    /** Queues an entry, due at once, on the connection of a running write transaction; returns its id. */
    static long enqueue(SqlConnection c, String target, String noticeJson, Instant now) throws SQLException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(noticeJson, "noticeJson");
        long at = EpochNanos.of(now);
        try (ResultSet rs = Sql.bind(c.prepare("INSERT INTO notification_outbox (target, notice_json, queued_at,"
                + " next_attempt_at) VALUES (?, ?, ?, ?) RETURNING id"), target, noticeJson, at, at).executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public List<OutboxEntry> pending(String target, long afterId, int limit) {
        requirePositive(limit);
        return list("listing the pending notifications of target " + target, "SELECT " + COLUMNS
                + " FROM notification_outbox WHERE target = ? AND failed_at IS NULL AND id > ? ORDER BY id LIMIT ?",
                target, afterId, limit);
    }

    @Override
    public Map<String, Long> pendingCounts() {
        return readers.read("counting pending notifications", c -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            try (ResultSet rs = c.prepare("SELECT target, count(*) FROM notification_outbox WHERE failed_at IS NULL"
                    + " GROUP BY target ORDER BY target").executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
            return counts;
        });
    }

    @Override
    public List<OutboxEntry> failed(int limit) {
        requirePositive(limit);
        return list("listing failed notifications", "SELECT " + COLUMNS + " FROM notification_outbox"
                + " WHERE failed_at IS NOT NULL ORDER BY failed_at DESC, id DESC LIMIT ?", limit);
    }

    @Override
    public long failedCount() {
        return readers.read("counting failed notifications", c -> {
            try (ResultSet rs = c.prepare("SELECT count(*) FROM notification_outbox WHERE failed_at IS NOT NULL")
                    .executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public void delivered(long id) {
        change(id, "removing delivered notification " + id, "DELETE FROM notification_outbox WHERE " + PENDING, id);
    }

    @Override
    public void retryLater(long id, Instant nextAttemptAt, String error) {
        change(id, "rescheduling notification " + id, "UPDATE notification_outbox SET attempts = attempts + 1,"
                + " next_attempt_at = ?, last_error = ? WHERE " + PENDING, EpochNanos.of(nextAttemptAt), error, id);
    }

    @Override
    public void giveUp(long id, Instant at, String error) {
        change(id, "giving up notification " + id, "UPDATE notification_outbox SET attempts = attempts + 1,"
                + " last_error = ?, failed_at = ? WHERE " + PENDING, error, EpochNanos.of(at), id);
    }

    private void change(long id, String what, String sql, Object... params) {
        int rows = writer.transaction(what, c -> Sql.bind(c.prepare(sql), params).executeUpdate());
        if (rows == 0) {
            throw new StoreException(what + ": there is no pending notification " + id);
        }
    }

    private List<OutboxEntry> list(String what, String sql, Object... params) {
        return readers.read(what, c -> {
            List<OutboxEntry> out = new ArrayList<>();
            try (ResultSet rs = Sql.bind(c.prepare(sql), params).executeQuery()) {
                while (rs.next()) {
                    out.add(entry(rs));
                }
            }
            return out;
        });
    }

    private static OutboxEntry entry(ResultSet rs) throws SQLException {
        Long failedAt = Sql.longOrNull(rs, "failed_at");
        return new OutboxEntry(rs.getLong("id"), rs.getString("target"), rs.getString("notice_json"),
                EpochNanos.toInstant(rs.getLong("queued_at")), rs.getInt("attempts"),
                EpochNanos.toInstant(rs.getLong("next_attempt_at")), rs.getString("last_error"),
                failedAt == null ? OutboxEntry.State.PENDING : OutboxEntry.State.FAILED,
                EpochNanos.toInstantOrNull(failedAt));
    }

    private static void requirePositive(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
    }
}
