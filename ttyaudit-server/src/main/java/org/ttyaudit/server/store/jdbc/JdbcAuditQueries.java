package org.ttyaudit.server.store.jdbc;

import org.ttyaudit.server.store.AuditQueries;
import org.ttyaudit.server.store.AuditRecord;
import org.ttyaudit.server.store.Page;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@link AuditQueries} on the read pool, newest first with keyset paging on (time, id). Thread-safe. */
final class JdbcAuditQueries implements AuditQueries {
    private static final String LISTING = "audit";

    private static final String COLUMNS = "id, at, actor, action, session_id, detail_json, ledger_index";

    private final SqlReaders readers;

    JdbcAuditQueries(SqlReaders readers) {
        this.readers = readers;
    }

    @Override
    public Optional<AuditRecord> get(UUID id) {
        return readers.read("reading audit event " + id, c -> {
            try (ResultSet rs = Sql.bind(c.prepare("SELECT " + COLUMNS + " FROM audit_events WHERE id = ?"),
                    id.toString()).executeQuery()) {
                return rs.next() ? Optional.of(event(rs)) : Optional.empty();
            }
        });
    }

    @Override
    public Page<AuditRecord> list(String actor, String action, UUID sessionId, Instant since, Instant until,
                                  String cursor, int limit) {
        int pageSize = Paging.pageSize(limit);
        Cursors.Key after = Cursors.decode(LISTING, cursor, 2);
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_events WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (actor != null) {
            sql.append(" AND actor = ?");
            params.add(actor);
        }
        if (action != null) {
            sql.append(" AND action = ?");
            params.add(action);
        }
        if (sessionId != null) {
            sql.append(" AND session_id = ?");
            params.add(sessionId.toString());
        }
        if (since != null) {
            sql.append(" AND at >= ?");
            params.add(EpochNanos.of(since));
        }
        if (until != null) {
            sql.append(" AND at < ?");
            params.add(EpochNanos.of(until));
        }
        if (after != null) {
            sql.append(" AND (at, id) < (?, ?)");
            params.add(after.longAt(0));
            params.add(after.uuidAt(1));
        }
        sql.append(" ORDER BY at DESC, id DESC LIMIT ?");
        params.add(pageSize + 1);
        List<AuditRecord> rows = readers.read("listing the audit log", c -> {
            List<AuditRecord> out = new ArrayList<>();
            try (ResultSet rs = Sql.bind(c.prepare(sql.toString()), params.toArray()).executeQuery()) {
                while (rs.next()) {
                    out.add(event(rs));
                }
            }
            return out;
        });
        return Paging.page(rows, pageSize, e -> Cursors.encode(LISTING, EpochNanos.of(e.at()), e.id()));
    }

    private static AuditRecord event(ResultSet rs) throws SQLException {
        String session = rs.getString("session_id");
        return new AuditRecord(UUID.fromString(rs.getString("id")), EpochNanos.toInstant(rs.getLong("at")),
                rs.getString("actor"), rs.getString("action"), session == null ? null : UUID.fromString(session),
                rs.getString("detail_json"), rs.getLong("ledger_index"));
    }
}
