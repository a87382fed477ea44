package org.ttyaudit.server.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ttyaudit.server.store.LegalHold;
import org.ttyaudit.server.store.PruneCandidate;
import org.ttyaudit.server.store.RetentionQueries;
import org.ttyaudit.server.store.StorageRow;
import org.ttyaudit.server.store.StoreException;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link RetentionQueries} on the read pool; the hold reads are shared with the write transaction, which checks
 * holds in the transaction that prunes. Storage statistics add up the per-session totals that
 * {@code insertChunk} keeps, so they cost a scan of the sessions, not of the chunks. Thread-safe.
 */
final class JdbcRetentionQueries implements RetentionQueries {
    static final String HOLD_COLUMNS = "id, scope, value, reason, created_by, created_at, released_by, released_at";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {
    };
    /** The sum of the stored bytes of the sessions whose raw size is known: the base of the compression ratio. */
    private static final String AGGREGATES = "count(*), coalesce(sum(committed_seq + 1), 0),"
            + " coalesce(sum(stored_bytes), 0), coalesce(sum(raw_bytes), 0),"
            + " coalesce(sum(CASE WHEN raw_bytes IS NULL THEN 0 ELSE stored_bytes END), 0)";

    /** When a session's age counts from: its end, or its last activity when it has none (docs/RETENTION.md). */
    private static final String AGED_FROM = "coalesce(ended_at, last_activity)";

    private final SqlReaders readers;
    private final SqlDialect dialect;

    JdbcRetentionQueries(SqlReaders readers, SqlDialect dialect) {
        this.readers = readers;
        this.dialect = dialect;
    }

    @Override
    public List<PruneCandidate> pruneCandidates(Instant agedBefore, Instant afterAgedFrom, UUID afterId, int limit) {
        // AGED_FROM is exactly the expression of the index sessions_prune_candidates_by_age, and the WHERE holds its
        // condition, so the scan walks that index in order
        StringBuilder sql = new StringBuilder("SELECT id, user_name, host, tags_json, " + AGED_FROM
                + ", end_ledger_index IS NOT NULL FROM sessions"
                + " WHERE pruned_at IS NULL AND committed_seq >= 0 AND " + AGED_FROM + " < ?");
        List<Object> params = new ArrayList<>(List.of(EpochNanos.of(agedBefore)));
        if (afterAgedFrom != null) {
            // SQLite starts an index range on an expression only from a plain comparison, not from the row value:
            // the ">=" makes each page start at the cursor instead of at the oldest candidate
            sql.append(" AND " + AGED_FROM + " >= ? AND (" + AGED_FROM + ", id) > (?, ?)");
            params.add(EpochNanos.of(afterAgedFrom));
            params.add(EpochNanos.of(afterAgedFrom));
            params.add(afterId.toString());
        }
        sql.append(" ORDER BY " + AGED_FROM + ", id LIMIT ?");
        params.add(limit);
        return readers.read("listing sessions for retention", c -> {
            List<PruneCandidate> out = new ArrayList<>();
            try (ResultSet rs = Sql.bind(c.prepare(sql.toString()), params.toArray()).executeQuery()) {
                while (rs.next()) {
                    out.add(new PruneCandidate(UUID.fromString(rs.getString(1)), rs.getString(2), rs.getString(3),
                            tags(rs.getString(4)), EpochNanos.toInstant(rs.getLong(5)), rs.getBoolean(6)));
                }
            }
            return out;
        });
    }

    @Override
    public List<UUID> blobsPendingDeletion(int limit) {
        return readers.read("listing pruned sessions with blobs left", c -> {
            List<UUID> out = new ArrayList<>();
            try (ResultSet rs = Sql.bind(c.prepare("SELECT id FROM sessions WHERE prune_blobs_pending = 1"
                    + " ORDER BY id LIMIT ?"), limit).executeQuery()) {
                while (rs.next()) {
                    out.add(UUID.fromString(rs.getString(1)));
                }
            }
            return out;
        });
    }

    @Override
    public List<LegalHold> holds(boolean includeReleased) {
        return readers.read("listing legal holds", c -> holds(c, includeReleased));
    }

    @Override
    public Optional<LegalHold> hold(UUID id) {
        return readers.read("reading legal hold " + id, c -> hold(c, id));
    }

    @Override
    public List<StorageRow> storage(Grouping by, int limit) {
        String key = switch (by) {
            case USER -> "user_name";
            case HOST -> "host";
            case DAY -> dialect.utcDayOfNanos("started_at");
        };
        String order = by == Grouping.DAY ? "1 DESC" : "4 DESC, 1";
        return readers.read("adding up storage by " + by.name().toLowerCase(java.util.Locale.ROOT), c -> {
            List<StorageRow> out = new ArrayList<>();
            try (ResultSet rs = Sql.bind(c.prepare("SELECT " + key + ", " + AGGREGATES + " FROM sessions"
                    + " WHERE pruned_at IS NULL GROUP BY 1 ORDER BY " + order + " LIMIT ?"), limit).executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs, rs.getString(1)));
                }
            }
            return out;
        });
    }

    @Override
    public StorageRow storageTotals() {
        return totals("adding up storage", "pruned_at IS NULL");
    }

    @Override
    public StorageRow prunedTotals() {
        StorageRow all = totals("adding up pruned sessions", "pruned_at IS NOT NULL");
        return new StorageRow("", all.sessions(), all.chunks(), all.storedBytes(), 0, 0);
    }

    private StorageRow totals(String what, String where) {
        return readers.read(what, c -> {
            try (ResultSet rs = c.prepare("SELECT '', " + AGGREGATES + " FROM sessions WHERE " + where)
                    .executeQuery()) {
                rs.next();
                return row(rs, "");
            }
        });
    }

    private static StorageRow row(ResultSet rs, String key) throws SQLException {
        return new StorageRow(key, rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6));
    }

    static List<LegalHold> holds(SqlConnection c, boolean includeReleased) throws SQLException {
        List<LegalHold> out = new ArrayList<>();
        try (ResultSet rs = c.prepare("SELECT " + HOLD_COLUMNS + " FROM legal_holds"
                + (includeReleased ? "" : " WHERE released_at IS NULL") + " ORDER BY created_at DESC, id DESC")
                .executeQuery()) {
            while (rs.next()) {
                out.add(hold(rs));
            }
        }
        return out;
    }

    static Optional<LegalHold> hold(SqlConnection c, UUID id) throws SQLException {
        try (ResultSet rs = Sql.bind(c.prepare("SELECT " + HOLD_COLUMNS + " FROM legal_holds WHERE id = ?"),
                id.toString()).executeQuery()) {
            return rs.next() ? Optional.of(hold(rs)) : Optional.empty();
        }
    }

    private static LegalHold hold(ResultSet rs) throws SQLException {
        return new LegalHold(UUID.fromString(rs.getString("id")), LegalHold.Scope.parse(rs.getString("scope")),
                rs.getString("value"), rs.getString("reason"), rs.getString("created_by"),
                EpochNanos.toInstant(rs.getLong("created_at")), rs.getString("released_by"),
                EpochNanos.toInstantOrNull(Sql.longOrNull(rs, "released_at")));
    }

    private static Map<String, String> tags(String json) {
        try {
            return JSON.readValue(json, TAGS);
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored session has a broken tags column: " + e.getOriginalMessage());
        }
    }
}
