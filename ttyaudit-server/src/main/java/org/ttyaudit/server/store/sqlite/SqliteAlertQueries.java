package org.ttyaudit.server.store.sqlite;

import org.ttyaudit.server.store.AlertFilter;
import org.ttyaudit.server.store.AlertQueries;
import org.ttyaudit.server.store.AlertRecord;
import org.ttyaudit.server.store.Page;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link AlertQueries} on the read pool: newest first with keyset paging on (time, id); filters on the session's
 * user and host join the sessions table. Thread-safe.
 */
final class SqliteAlertQueries implements AlertQueries {
    private static final String LISTING = "alerts";
    private static final String COLUMNS = "a.id, a.session_id, a.at, a.offset_us, a.command_id, a.rule, a.severity,"
            + " a.description, a.trigger_kind, a.matched, a.actions_json, a.ledger_index";

    private final SqliteReaders readers;

    SqliteAlertQueries(SqliteReaders readers) {
        this.readers = readers;
    }

    @Override
    public Optional<AlertRecord> get(UUID id) {
        return readers.read("reading alert " + id, c -> {
            try (ResultSet rs = Sql.bind(c.prepare("SELECT " + COLUMNS + " FROM alerts a WHERE a.id = ?"),
                    id.toString()).executeQuery()) {
                return rs.next() ? Optional.of(alert(rs)) : Optional.empty();
            }
        });
    }

    @Override
    public Page<AlertRecord> list(AlertFilter filter, String cursor, int limit) {
        int pageSize = Paging.pageSize(limit);
        Cursors.Key after = Cursors.decode(LISTING, cursor, 2);
        boolean joinSessions = filter.user() != null || filter.host() != null || filter.visibleToUser() != null;
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alerts a"
                + (joinSessions ? " JOIN sessions s ON s.id = a.session_id" : "") + " WHERE 1");
        List<Object> params = new ArrayList<>();
        condition(sql, params, "a.session_id = ?", filter.sessionId() == null ? null : filter.sessionId().toString());
        condition(sql, params, "a.rule = ?", filter.rule());
        condition(sql, params, "s.user_name = ?", filter.user());
        condition(sql, params, "s.user_name = ?", filter.visibleToUser());
        condition(sql, params, "s.host = ?", filter.host());
        condition(sql, params, "a.at >= ?", filter.since() == null ? null : EpochNanos.of(filter.since()));
        condition(sql, params, "a.at < ?", filter.until() == null ? null : EpochNanos.of(filter.until()));
        if (!filter.severities().isEmpty()) {
            sql.append(" AND a.severity IN (").append("?, ".repeat(filter.severities().size() - 1)).append("?)");
            params.addAll(filter.severities().stream().sorted().toList());
        }
        if (after != null) {
            sql.append(" AND (a.at, a.id) < (?, ?)");
            params.add(after.longAt(0));
            params.add(after.uuidAt(1));
        }
        sql.append(" ORDER BY a.at DESC, a.id DESC LIMIT ?");
        params.add(pageSize + 1);
        List<AlertRecord> rows = query("listing alerts", sql.toString(), params);
        return Paging.page(rows, pageSize, a -> Cursors.encode(LISTING, EpochNanos.of(a.at()), a.id()));
    }

    @Override
    public List<AlertRecord> forSession(UUID sessionId, int limit) {
        return query("reading the alerts of session " + sessionId, "SELECT " + COLUMNS + " FROM alerts a"
                + " WHERE a.session_id = ? ORDER BY a.offset_us, a.id LIMIT ?",
                List.of(sessionId.toString(), Paging.pageSize(limit)));
    }

    private List<AlertRecord> query(String what, String sql, List<Object> params) {
        return readers.read(what, c -> {
            List<AlertRecord> out = new ArrayList<>();
            try (ResultSet rs = Sql.bind(c.prepare(sql), params.toArray()).executeQuery()) {
                while (rs.next()) {
                    out.add(alert(rs));
                }
            }
            return out;
        });
    }

    private static void condition(StringBuilder sql, List<Object> params, String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            params.add(value);
        }
    }

    private static AlertRecord alert(ResultSet rs) throws SQLException {
        return new AlertRecord(UUID.fromString(rs.getString("id")), UUID.fromString(rs.getString("session_id")),
                EpochNanos.toInstant(rs.getLong("at")), rs.getLong("offset_us"), Sql.longOrNull(rs, "command_id"),
                rs.getString("rule"), rs.getString("severity"), rs.getString("description"),
                rs.getString("trigger_kind"), rs.getString("matched"), SessionRows.strings(rs.getString("actions_json")),
                rs.getLong("ledger_index"));
    }
}
