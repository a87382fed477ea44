package org.ttyaudit.server.store.jdbc;

import org.ttyaudit.server.store.AlertFilter;
import org.ttyaudit.server.store.AlertQueries;
import org.ttyaudit.server.store.AlertRecord;
import org.ttyaudit.server.store.ListedAlert;
import org.ttyaudit.server.store.Page;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link AlertQueries} on the read pool: newest first with keyset paging on (time, id); the list joins the
 * sessions table for the session's user and host (shown with each alert, and filtered on; a left join, so that
 * the integrity check, which lists every alert, also sees one whose session row is gone). Thread-safe.
 */
final class JdbcAlertQueries implements AlertQueries {
    private static final String LISTING = "alerts";
    private static final String COLUMNS = "a.id, a.session_id, a.at, a.offset_us, a.command_id, a.rule, a.severity,"
            + " a.description, a.trigger_kind, a.matched, a.actions_json, a.ledger_index";

    private final SqlReaders readers;

    JdbcAlertQueries(SqlReaders readers) {
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
    public Page<ListedAlert> list(AlertFilter filter, String cursor, int limit) {
        int pageSize = Paging.pageSize(limit);
        Cursors.Key after = Cursors.decode(LISTING, cursor, 2);
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + ", s.user_name, s.host FROM alerts a"
                + " LEFT JOIN sessions s ON s.id = a.session_id WHERE 1 = 1");
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
        List<ListedAlert> rows = query("listing alerts", sql.toString(), params,
                rs -> new ListedAlert(alert(rs), rs.getString("user_name"), rs.getString("host")));
        return Paging.page(rows, pageSize,
                a -> Cursors.encode(LISTING, EpochNanos.of(a.alert().at()), a.alert().id()));
    }

    @Override
    public List<AlertRecord> forSession(UUID sessionId, int limit) {
        return query("reading the alerts of session " + sessionId, "SELECT " + COLUMNS + " FROM alerts a"
                + " WHERE a.session_id = ? ORDER BY a.offset_us, a.id LIMIT ?",
                List.of(sessionId.toString(), Paging.pageSize(limit)), JdbcAlertQueries::alert);
    }

    /** A row of a result set as a value. */
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String what, String sql, List<Object> params, RowReader<T> row) {
        return readers.read(what, c -> {
            List<T> out = new ArrayList<>();
            try (ResultSet rs = Sql.bind(c.prepare(sql), params.toArray()).executeQuery()) {
                while (rs.next()) {
                    out.add(row.read(rs));
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
