package org.ttyaudit.server.store.sqlite;

import org.ttyaudit.server.store.Page;
import org.ttyaudit.server.store.SearchHit;
import org.ttyaudit.server.store.SessionFilter;
import org.ttyaudit.server.store.jdbc.Paging;
import org.ttyaudit.server.store.jdbc.SearchMerge;
import org.ttyaudit.server.store.jdbc.SearchMerge.Row;
import org.ttyaudit.server.store.jdbc.SessionFilterSql;
import org.ttyaudit.server.store.jdbc.SessionSearch;
import org.ttyaudit.server.store.jdbc.Sql;
import org.ttyaudit.server.store.jdbc.SqlConnection;
import org.ttyaudit.server.store.jdbc.SqlReaders;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Full-text search over the two FTS5 indexes (command lines and output text), in two steps on one snapshot: the
 * page's hits are found from the indexes and row keys alone, then snippets are made for those hits only, one
 * statement per kind. (A snippet re-reads and re-tokenises its text; making one for every match of a common word
 * would read every output chunk that contains it.)
 *
 * <p>Order and paging are {@link SearchMerge}'s. FTS5 walks a doclist by {@code rowid DESC} lazily, so a page
 * reads about as many matches as it returns (more when a filter rejects many of them) instead of finding, joining
 * and sorting every match.
 */
final class SqliteSearch implements SessionSearch {
    private static final int SNIPPET_TOKENS = 24;
    private static final HitStream COMMANDS = new HitStream(SearchHit.COMMAND, "commands_fts", "commands",
            "x.start_offset_us", "x.started_at");
    private static final HitStream OUTPUT = new HitStream(SearchHit.OUTPUT, "output_fts", "output_text",
            "x.first_offset_us", "s.started_at + x.first_offset_us * 1000");

    private final SqlReaders readers;

    SqliteSearch(SqlReaders readers) {
        this.readers = readers;
    }

    @Override
    public Page<SearchHit> search(String query, SessionFilter filter, String cursor, int limit) {
        String match = FtsQuery.toFts5(query);
        int pageSize = Paging.pageSize(limit);
        SearchMerge.Position from = SearchMerge.Position.of(cursor);

        List<Row> page = readers.read("searching for " + query, c -> {
            c.execute("BEGIN");
            try {
                // the merged page's pageSize + 1 hits come from at most pageSize + 1 of each stream
                return SearchMerge.pageRows(COMMANDS.read(c, match, filter, from.commandsBefore(), pageSize + 1),
                        OUTPUT.read(c, match, filter, from.outputBefore(), pageSize + 1), pageSize, items -> {
                            Map<Long, String> commands = COMMANDS.snippets(c, match, items);
                            Map<Long, String> output = OUTPUT.snippets(c, match, items);
                            return r -> (r.isCommand() ? commands : output).getOrDefault(r.rowId(), "");
                        });
            } finally {
                c.execute("COMMIT");
            }
        });
        return SearchMerge.page(page, pageSize, from);
    }

    /**
     * One kind's hits, newest first: the FTS table drives the query ({@code CROSS JOIN} keeps SQLite from
     * starting at the sessions when a filter has an index) and its {@code ORDER BY rowid DESC} is served by the
     * index itself, so with the {@code LIMIT} the walk stops once enough matches passed the filter.
     */
    private record HitStream(String kind, String fts, String table, String offset, String atNanos) {
        List<Row> read(SqlConnection c, String match, SessionFilter filter, long before, int limit)
                throws SQLException {
            List<Object> params = new ArrayList<>();
            StringBuilder sql = new StringBuilder("SELECT ").append(fts).append(".rowid AS rid, s.id AS sid, ")
                    .append(offset).append(" AS off, ").append(atNanos).append(" AS at_ns, s.user_name AS user_name,")
                    .append(" s.host AS host FROM ").append(fts).append(" CROSS JOIN ").append(table)
                    .append(" x ON x.id = ").append(fts).append(".rowid CROSS JOIN sessions s ON s.id = x.session_id")
                    .append(" WHERE ").append(fts).append(" MATCH ? AND ").append(fts).append(".rowid < ?");
            params.add(match);
            params.add(before);
            SessionFilterSql.append(filter, "s", sql, params);
            sql.append(" ORDER BY ").append(fts).append(".rowid DESC LIMIT ?");
            params.add(limit);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = Sql.bind(c.prepare(sql.toString()), params.toArray()).executeQuery()) {
                while (rs.next()) {
                    rows.add(Row.read(kind, rs));
                }
            }
            return rows;
        }

        /**
         * Snippets of this kind's rows among {@code page}, by row id, in one statement: a prefix query costs
         * FTS5 a merge of every matching term's doclist each time it is evaluated (about 10 ms for {@code kube*}
         * over 10 M commands), so a statement per hit would cost that 50 times. The row id range is the stretch
         * of the index the page's walk has already read; rows in it that the filter rejected get no snippet.
         */
        Map<Long, String> snippets(SqlConnection c, String match, List<Row> page) throws SQLException {
            List<Long> ids = page.stream().filter(r -> r.kind().equals(kind)).map(Row::rowId).toList();
            Map<Long, String> out = new HashMap<>();
            if (ids.isEmpty()) {
                return out;
            }
            String sql = "SELECT rowid, CASE WHEN rowid IN (SELECT value FROM json_each(?)) THEN snippet(" + fts
                    + ", 0, '[[', ']]', '…', " + SNIPPET_TOKENS + ") END AS snippet FROM " + fts + " WHERE " + fts
                    + " MATCH ? AND rowid BETWEEN ? AND ?";
            String idList = ids.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
            try (ResultSet rs = Sql.bind(c.prepare(sql), idList, match, Collections.min(ids), Collections.max(ids))
                    .executeQuery()) {
                while (rs.next()) {
                    String snippet = rs.getString("snippet");
                    if (snippet != null) {
                        out.put(rs.getLong("rowid"), snippet);
                    }
                }
            }
            return out;
        }
    }
}
