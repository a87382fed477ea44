package org.ttyaudit.server.store.sqlite;

import org.ttyaudit.server.store.Page;
import org.ttyaudit.server.store.SearchHit;
import org.ttyaudit.server.store.SessionFilter;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Full-text search over the two FTS5 indexes (command lines and output text), in two steps on one snapshot: the
 * page's hits are found and ordered from the indexes and row keys alone, then snippets are made for those hits
 * only. (A snippet re-reads and re-tokenises its text; making one for every match of a common word would read
 * every output chunk that contains it.)
 *
 * <p>Order: newest session first (start time, then id), then offset, kind, row; the cursor is that key.
 */
final class SqliteSearch {
    private static final String LISTING = "search";
    private static final int SNIPPET_TOKENS = 24;

    private final SqliteReaders readers;

    SqliteSearch(SqliteReaders readers) {
        this.readers = readers;
    }

    Page<SearchHit> search(String query, SessionFilter filter, String cursor, int limit) {
        String match = FtsQuery.toFts5(query);
        int pageSize = Paging.pageSize(limit);
        Cursors.Key after = Cursors.decode(LISTING, cursor, 5);

        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT * FROM (");
        arm(sql, params, match, filter, SearchHit.COMMAND,
                "commands_fts JOIN commands x ON x.id = commands_fts.rowid", "commands_fts", "x.start_offset_us",
                "x.started_at");
        sql.append(" UNION ALL ");
        arm(sql, params, match, filter, SearchHit.OUTPUT,
                "output_fts JOIN output_text x ON x.id = output_fts.rowid", "output_fts", "x.first_offset_us", "NULL");
        sql.append(") WHERE 1");
        if (after != null) {
            // (started DESC, sid DESC, off ASC, kind ASC, rid ASC) > the cursor's key
            sql.append(" AND (started < ? OR (started = ? AND (sid < ? OR (sid = ? AND (off > ? OR (off = ?"
                    + " AND (kind > ? OR (kind = ? AND rid > ?))))))))");
            long started = after.longAt(0);
            String sid = after.uuidAt(1);
            long off = after.longAt(2);
            String kind = after.oneOf(3, SearchHit.COMMAND, SearchHit.OUTPUT);
            long rid = after.longAt(4);
            params.addAll(List.of(started, started, sid, sid, off, off, kind, kind, rid));
        }
        sql.append(" ORDER BY started DESC, sid DESC, off ASC, kind ASC, rid ASC LIMIT ?");
        params.add(pageSize + 1);

        List<Row> rows = readers.read("searching for " + query, c -> {
            c.execute("BEGIN");
            try {
                List<Row> found = new ArrayList<>();
                try (ResultSet rs = Sql.bind(c.prepare(sql.toString()), params.toArray()).executeQuery()) {
                    while (rs.next()) {
                        found.add(new Row(rs.getLong("started"), rs.getString("sid"), rs.getLong("off"),
                                rs.getString("kind"), rs.getLong("rid"), Sql.longOrNull(rs, "at_ns"),
                                rs.getString("user_name"), rs.getString("host"), null));
                    }
                }
                List<Row> withSnippets = new ArrayList<>(found.size());
                for (int i = 0; i < found.size() && i < pageSize; i++) {
                    withSnippets.add(found.get(i).withSnippet(snippet(c, found.get(i), match)));
                }
                if (found.size() > pageSize) {
                    withSnippets.add(found.get(pageSize));  // only its presence matters: there is a next page
                }
                return withSnippets;
            } finally {
                c.execute("COMMIT");
            }
        });
        Page<Row> page = Paging.page(rows, pageSize,
                r -> Cursors.encode(LISTING, r.started, r.sessionId, r.offset, r.kind, r.rowId));
        return new Page<>(page.items().stream().map(Row::toHit).toList(), page.nextCursor());
    }

    private static void arm(StringBuilder sql, List<Object> params, String match, SessionFilter filter, String kind,
                            String from, String fts, String offset, String at) {
        sql.append("SELECT s.started_at AS started, s.id AS sid, ").append(offset).append(" AS off, '").append(kind)
                .append("' AS kind, x.id AS rid, ").append(at).append(" AS at_ns, s.user_name AS user_name,")
                .append(" s.host AS host FROM ").append(from).append(" JOIN sessions s ON s.id = x.session_id")
                .append(" WHERE ").append(fts).append(" MATCH ?");
        params.add(match);
        SessionFilterSql.append(filter, "s", sql, params);
    }

    private static String snippet(SqliteConnection c, Row r, String match) throws SQLException {
        String fts = SearchHit.COMMAND.equals(r.kind) ? "commands_fts" : "output_fts";
        try (ResultSet rs = Sql.bind(c.prepare("SELECT snippet(" + fts + ", 0, '[[', ']]', '…', " + SNIPPET_TOKENS
                + ") FROM " + fts + " WHERE " + fts + " MATCH ? AND rowid = ?"), match, r.rowId).executeQuery()) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    private record Row(long started, String sessionId, long offset, String kind, long rowId, Long atNanos,
                       String user, String host, String snippet) {
        Row withSnippet(String s) {
            return new Row(started, sessionId, offset, kind, rowId, atNanos, user, host, s);
        }

        /** A command hit is at the command's start; an output hit at its chunk's start in the session. */
        SearchHit toHit() {
            Instant at = atNanos != null ? EpochNanos.toInstant(atNanos)
                    : EpochNanos.toInstant(started).plusNanos(Math.multiplyExact(offset, 1000L));
            return new SearchHit(UUID.fromString(sessionId), kind, at, offset, snippet, user, host);
        }
    }
}
