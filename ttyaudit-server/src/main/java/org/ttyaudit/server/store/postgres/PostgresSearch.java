package org.ttyaudit.server.store.postgres;

import org.ttyaudit.server.store.Page;
import org.ttyaudit.server.store.SearchHit;
import org.ttyaudit.server.store.SessionFilter;
import org.ttyaudit.server.store.jdbc.Paging;
import org.ttyaudit.server.store.jdbc.SearchMerge;
import org.ttyaudit.server.store.jdbc.SearchMerge.Row;
import org.ttyaudit.server.store.jdbc.SessionFilterSql;
import org.ttyaudit.server.store.jdbc.SessionSearch;
import org.ttyaudit.server.store.jdbc.Snippets;
import org.ttyaudit.server.store.jdbc.Sql;
import org.ttyaudit.server.store.jdbc.SqlConnection;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Full-text search on PostgreSQL: each kind's matches ({@code ttyaudit_search_words(text) @@ tsquery}, served by
 * the GIN indexes of {@link PostgresSchema}) newest arrival first, merged and paged by {@link SearchMerge} exactly
 * as on SQLite; then the texts of the page's hits only are read and their snippets made by {@link Snippets}. All
 * in one read-only snapshot, so the streams and the texts agree.
 *
 * <p>Substring terms ({@code *text*}) search command lines only: each is {@code command_line COLLATE "und-x-icu"
 * ILIKE '%text%'}, served by the trigram index of {@link PostgresSchema} (whose column has that collation, so the
 * planner can use it, and ICU folds the case of every script whatever the database's LC_CTYPE); a query with one
 * has no output hits.
 *
 * <p>The planner chooses per query between walking the arrival index backwards, filtering each row by the match
 * (cheap for common words: it stops after a page), and a bitmap scan of the GIN index followed by a sort (cheap for
 * rare words); with table statistics it picks the right one.
 */
final class PostgresSearch implements SessionSearch {
    private static final HitStream COMMANDS = new HitStream(SearchHit.COMMAND, "commands", "command_line",
            "x.start_offset_us", "x.started_at");
    private static final HitStream OUTPUT = new HitStream(SearchHit.OUTPUT, "output_text", "text",
            "x.first_offset_us", "s.started_at + x.first_offset_us * 1000");

    private final PostgresDatabase db;

    PostgresSearch(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public Page<SearchHit> search(String query, SessionFilter filter, String cursor, int limit) {
        SearchQuery q = SearchQuery.of(query);
        int pageSize = Paging.pageSize(limit);
        SearchMerge.Position from = SearchMerge.Position.of(cursor);
        List<Row> page = db.readSnapshot("searching for " + query, c -> SearchMerge.pageRows(
                COMMANDS.read(c, q, filter, from.commandsBefore(), pageSize + 1),
                q.hasSubstrings() ? List.of() : OUTPUT.read(c, q, filter, from.outputBefore(), pageSize + 1),
                pageSize, items -> {
                    Map<Long, String> commands = COMMANDS.texts(c, items);
                    Map<Long, String> output = OUTPUT.texts(c, items);
                    return r -> Snippets.of((r.isCommand() ? commands : output).getOrDefault(r.rowId(), ""),
                            q.phrases(), q.substrings());
                }));
        return SearchMerge.page(page, pageSize, from);
    }

    /** The statement that reads the command hits of {@code query}'s first page (for EXPLAIN in tests). */
    static String commandsSql(String query, SessionFilter filter, int limit, List<Object> params) {
        return COMMANDS.sql(SearchQuery.of(query), filter, Long.MAX_VALUE, limit, params);
    }

    private record HitStream(String kind, String table, String textColumn, String offset, String atNanos) {
        List<Row> read(SqlConnection c, SearchQuery q, SessionFilter filter, long before, int limit)
                throws SQLException {
            List<Object> params = new ArrayList<>();
            String sql = sql(q, filter, before, limit, params);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = Sql.bind(c.prepare(sql), params.toArray()).executeQuery()) {
                while (rs.next()) {
                    rows.add(Row.read(kind, rs));
                }
            }
            return rows;
        }

        /** The statement of {@link #read}, its parameters added to {@code params} (for EXPLAIN in tests too). */
        String sql(SearchQuery q, SessionFilter filter, long before, int limit, List<Object> params) {
            StringBuilder sql = new StringBuilder("SELECT x.id AS rid, s.id AS sid, ").append(offset)
                    .append(" AS off, ").append(atNanos).append(" AS at_ns, s.user_name AS user_name,")
                    .append(" s.host AS host FROM ").append(table).append(" x JOIN sessions s ON s.id = x.session_id")
                    .append(" WHERE x.id < ?");
            params.add(before);
            if (q.hasWords()) {
                sql.append(" AND ttyaudit_search_words(x.").append(textColumn)
                        .append(") @@ to_tsquery('ttyaudit_search', ?)");
                params.add(q.tsquery());
            }
            for (String pattern : q.patterns()) {
                // the expression of the trigram index exactly, or the planner cannot use it
                sql.append(" AND x.").append(textColumn).append(" COLLATE \"und-x-icu\" ILIKE ? ESCAPE E'\\\\'");
                params.add(pattern);
            }
            SessionFilterSql.append(filter, "s", sql, params);
            sql.append(" ORDER BY x.id DESC LIMIT ?");
            params.add(limit);
            return sql.toString();
        }

        /** The texts of this kind's rows among {@code page}, by row id. */
        Map<Long, String> texts(SqlConnection c, List<Row> page) throws SQLException {
            List<Row> mine = page.stream().filter(r -> r.kind().equals(kind)).toList();
            Map<Long, String> out = new HashMap<>();
            if (mine.isEmpty()) {
                return out;
            }
            // by (session_id, id): each lookup is pruned to its session's partition
            StringBuilder sql = new StringBuilder("SELECT id, ").append(textColumn).append(" FROM ").append(table)
                    .append(" WHERE (session_id, id) IN (");
            List<Object> params = new ArrayList<>();
            for (int i = 0; i < mine.size(); i++) {
                sql.append(i == 0 ? "(?, ?)" : ", (?, ?)");
                params.add(mine.get(i).sessionId());
                params.add(mine.get(i).rowId());
            }
            sql.append(")");
            try (ResultSet rs = Sql.bind(c.prepare(sql.toString()), params.toArray()).executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), rs.getString(2));
                }
            }
            return out;
        }
    }
}
